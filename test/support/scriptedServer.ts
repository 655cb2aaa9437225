// A local HTTP server that answers each request with the next scripted response: a JSON body, an SSE stream
// replayed from a fixture, an HTML error page, a reset socket. It records every request it received, so tests
// can assert on what the adapters sent. Loopback only.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface ScriptedResponse {
	status?: number;
	headers?: Record<string, string>;
	/** A whole body, sent at once. */
	body?: string;
	/** Pieces written one after another (an SSE stream); `delayMs` between them. */
	chunks?: string[];
	delayMs?: number;
	/** Destroy the socket after writing the chunks (a reset mid-stream). */
	reset?: boolean;
	/** Keep the response open after the chunks, writing nothing (a stall). */
	stall?: boolean;
}

export interface RecordedRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	/** The body parsed as JSON, or undefined. */
	json: Record<string, unknown> | undefined;
}

export type Responder = ScriptedResponse | ((request: RecordedRequest, index: number) => ScriptedResponse);

export interface ScriptedServer {
	/** e.g. http://127.0.0.1:PORT */
	url: string;
	requests: RecordedRequest[];
	/** Appends responses to the queue. */
	push(...responses: Responder[]): void;
	close(): Promise<void>;
}

/** Starts the server; when the queue runs dry it answers 500 with a message saying so. */
export async function startScriptedServer(initial: Responder[] = []): Promise<ScriptedServer> {
	const queue: Responder[] = [...initial];
	const requests: RecordedRequest[] = [];
	const sockets = new Set<import('node:net').Socket>();
	const server = http.createServer((req, res) => {
		const pieces: Buffer[] = [];
		req.on('data', (d: Buffer) => pieces.push(d));
		req.on('end', () => {
			const body = Buffer.concat(pieces).toString('utf8');
			let json: Record<string, unknown> | undefined;
			try {
				json = body ? (JSON.parse(body) as Record<string, unknown>) : undefined;
			} catch {
				json = undefined;
			}
			const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json };
			requests.push(recorded);
			const next = queue.shift();
			const scripted: ScriptedResponse = next === undefined
				? { status: 500, body: '{"error":{"message":"scripted server: no response left"}}' }
				: typeof next === 'function' ? next(recorded, requests.length - 1) : next;
			void respond(res, scripted);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		push: (...responses) => queue.push(...responses),
		close: () => new Promise<void>((resolve) => {
			for (const socket of sockets) socket.destroy();
			server.close(() => resolve());
		}),
	};
}

async function respond(res: http.ServerResponse, scripted: ScriptedResponse): Promise<void> {
	const streaming = scripted.chunks !== undefined;
	const headers: Record<string, string> = streaming
		? { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...scripted.headers }
		: { 'content-type': 'application/json', ...scripted.headers };
	res.writeHead(scripted.status ?? 200, headers);
	if (!streaming) {
		res.end(scripted.body ?? '');
		return;
	}
	for (const chunk of scripted.chunks ?? []) {
		if (res.destroyed) return;
		res.write(chunk);
		if (scripted.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
	}
	if (scripted.reset) {
		// Let the written bytes leave before the reset, as a dropped connection would.
		await new Promise((r) => setTimeout(r, 20));
		res.socket?.destroy();
		return;
	}
	if (scripted.stall) return;
	res.end();
}

const fixtureDir = path.join(__dirname, '..', 'fixtures');

/** Reads test/fixtures/NAME. Lines starting with '#' before the first blank line are a provenance header. */
export function readFixture(name: string): string {
	const text = fs.readFileSync(path.join(fixtureDir, name), 'utf8');
	return text.replace(/^(#[^\n]*\n)+\n?/, '');
}

/** An SSE fixture as chunks, one event per chunk (split on blank lines), for a streamed response. */
export function sseFixture(name: string): ScriptedResponse {
	const events = readFixture(name).split(/\n\n+/).filter((e) => e.trim() !== '');
	return { chunks: events.map((e) => `${e}\n\n`) };
}

/** Builds an OpenAI-style SSE stream from chunk objects, ending with [DONE] unless told otherwise. */
export function openaiSse(chunks: unknown[], options: { done?: boolean } = {}): ScriptedResponse {
	const lines = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`);
	if (options.done !== false) lines.push('data: [DONE]\n\n');
	return { chunks: lines };
}

/** Builds an Anthropic-style SSE stream from [event, data] pairs. */
export function anthropicSse(events: Array<[string, unknown]>): ScriptedResponse {
	return { chunks: events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`) };
}
