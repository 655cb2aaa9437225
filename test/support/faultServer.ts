// Faults a misbehaving provider produces, derived from a good scripted answer of either protocol: the answer cut
// by a reset, ended without its finish event, stalled, re-split into one-byte writes, followed by 10 MB of
// garbage; or replaced by an error status with the headers and bodies real providers send. The faulty answers
// are served by the scripted server (loopback only), so a test can queue a good answer right behind a fault.
import type { Protocol } from '../../src/providers/types';
import { startScriptedServer, type ScriptedResponse, type ScriptedServer } from './scriptedServer';

export type FaultName =
	| 'reset-mid-stream'
	| 'no-finish-event'
	| 'stall'
	| '429-retry-after'
	| '429-retry-after-ms'
	| '429-no-header'
	| '429-quota-body'
	| '500'
	| '502-html'
	| '529'
	| 'json-array-error'
	| 'error-event-in-200'
	| 'garbage-10mb'
	| 'tiny-chunks';

export const faultNames: readonly FaultName[] = [
	'reset-mid-stream', 'no-finish-event', 'stall', '429-retry-after', '429-retry-after-ms', '429-no-header', '429-quota-body',
	'500', '502-html', '529', 'json-array-error', 'error-event-in-200', 'garbage-10mb', 'tiny-chunks',
];

/** The chunks of a good streamed answer, and where its finishing events begin. */
export interface GoodAnswer {
	chunks: string[];
	/** Index of the first chunk that says the response is complete (finish_reason / message_delta). */
	finishAt: number;
}

const garbageBytes = 10 * 1024 * 1024;

/** Splits a good answer at the finish: OpenAI's chunk carrying finish_reason, Anthropic's message_delta. */
export function goodAnswer(response: ScriptedResponse, protocol: Protocol): GoodAnswer {
	const chunks = response.chunks ?? [];
	const marker = protocol === 'openai' ? /"finish_reason":"[a-z_]+"/ : /^event: message_delta/;
	const found = chunks.findIndex((chunk) => marker.test(chunk));
	return { chunks, finishAt: found === -1 ? chunks.length : found };
}

/** The response a provider of `protocol` would send for `fault`, given the good answer it spoils. */
export function faultResponse(fault: FaultName, protocol: Protocol, good: GoodAnswer): ScriptedResponse {
	// Content up to and including the middle of the answer: some text, a tool call begun but not closed.
	const firstHalf = good.chunks.slice(0, Math.max(1, Math.ceil(good.finishAt / 2)));
	switch (fault) {
		case 'reset-mid-stream':
			return { chunks: firstHalf, reset: true };
		case 'no-finish-event':
			return { chunks: good.chunks.slice(0, good.finishAt) };
		case 'stall':
			return { chunks: firstHalf, stall: true };
		case '429-retry-after':
			return errorStatus(429, protocol, 'rate_limit', 'Rate limit reached for requests.', { 'retry-after': '2' });
		case '429-retry-after-ms':
			return errorStatus(429, protocol, 'rate_limit', 'Rate limit reached for requests.', { 'retry-after-ms': '150' });
		case '429-no-header':
			return errorStatus(429, protocol, 'rate_limit', 'Too many requests.');
		case '429-quota-body':
			return errorStatus(429, protocol, 'insufficient_quota', 'You exceeded your current quota, please check your plan and billing details.');
		case '500':
			return errorStatus(500, protocol, 'server_error', 'The server had an error while processing your request.');
		case '502-html':
			return {
				status: 502,
				headers: { 'content-type': 'text/html' },
				body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
			};
		case '529':
			return errorStatus(529, protocol, 'overloaded', 'Overloaded');
		case 'json-array-error':
			// Google-style gateways wrap the error object in an array.
			return { status: 429, body: JSON.stringify([{ error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } }]) };
		case 'error-event-in-200':
			return { chunks: [...firstHalf, streamErrorEvent(protocol)] };
		case 'garbage-10mb':
			return { chunks: [...firstHalf, ...garbageChunks(garbageBytes)] };
		case 'tiny-chunks':
			return { chunks: [...good.chunks.join('')] };
	}
}

/** An error status with the body shape of `protocol` (OpenAI `{error:{…}}`, Anthropic `{type:'error',error:{…}}`). */
export function errorStatus(status: number, protocol: Protocol, type: string, message: string, headers: Record<string, string> = {}): ScriptedResponse {
	const body = protocol === 'openai'
		? { error: { message, type, code: type } }
		: { type: 'error', error: { type: type === 'overloaded' ? 'overloaded_error' : type === 'rate_limit' ? 'rate_limit_error' : type === 'server_error' ? 'api_error' : type, message } };
	return { status, headers, body: JSON.stringify(body) };
}

function streamErrorEvent(protocol: Protocol): string {
	return protocol === 'openai'
		? `data: ${JSON.stringify({ error: { message: 'The server is overloaded mid-stream.', type: 'server_error' } })}\n\n`
		: `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`;
}

let garbage: string[] | undefined;

/** Deterministic bytes that are not SSE: no 'data:' or 'event:' field can form, newlines appear now and then. */
function garbageChunks(total: number): string[] {
	garbage ??= makeGarbage(total);
	return garbage;
}

function makeGarbage(total: number): string[] {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789{}[]",. \n\r\t\u00e9\u4e2d';
	const chunkSize = 64 * 1024;
	let seed = 0x9e3779b9;
	let block = '';
	for (let i = 0; i < chunkSize; i++) {
		seed = (seed * 1103515245 + 12345) >>> 0;
		block += alphabet[seed % alphabet.length];
	}
	// Rotations of one random block: cheap to make, and no two chunks alike.
	const chunks: string[] = [];
	for (let written = 0, n = 0; written < total; written += chunkSize, n++) {
		const at = (n * 7919) % chunkSize;
		chunks.push(block.slice(at) + block.slice(0, at));
	}
	return chunks;
}

export interface FaultServer extends ScriptedServer {
	/** Queues the faulty version of `good`, then (optionally) answers to serve after it. */
	inject(fault: FaultName, protocol: Protocol, good: ScriptedResponse, ...then: ScriptedResponse[]): void;
}

export async function startFaultServer(): Promise<FaultServer> {
	const server = await startScriptedServer();
	return {
		...server,
		inject(fault, protocol, good, ...then) {
			server.push(faultResponse(fault, protocol, goodAnswer(good, protocol)), ...then);
		},
	};
}
