// Small pieces the MCP connection needs that know nothing of its state: stderr line forwarding, closing a session,
// abortable waits, and reading the SDK's HTTP transport errors.
import { StringDecoder } from 'node:string_decoder';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** A longer stderr line is cut in the log (a server dumping a blob must not flood it). */
const maxLogLineChars = 2000;

/** Sends the child's stderr to `sink` one complete line at a time (UTF-8 safe across chunks). */
export function forwardLines(transport: StdioClientTransport, sink: (line: string) => void): void {
	const stream = transport.stderr;
	if (!stream) return;
	const decoder = new StringDecoder('utf8');
	let pending = '';
	const emit = (text: string): void => {
		pending += text;
		const lines = pending.split(/\r?\n/);
		pending = lines.pop() ?? '';
		for (const line of lines) if (line.trim() !== '') sink(cut(line));
	};
	stream.on('data', (chunk: Buffer | string) => emit(typeof chunk === 'string' ? chunk : decoder.write(chunk)));
	stream.on('end', () => {
		emit(decoder.end());
		if (pending.trim() !== '') sink(cut(pending));
		pending = '';
	});
}

function cut(line: string): string {
	return line.length > maxLogLineChars ? `${line.slice(0, maxLogLineChars)}… (${line.length} characters)` : line;
}

/** Ends a session; `tellServer` sends the HTTP DELETE first (pointless when the server already forgot it). */
export async function closeClient(client: Client, transport: Transport, tellServer = true): Promise<void> {
	try {
		if (tellServer && transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
			// The server may answer 405 when it does not support ending sessions.
			await transport.terminateSession().catch(() => undefined);
		}
		await client.close();
	} catch {
		// Closing a connection that is already gone is not worth reporting.
	}
}

/**
 * The Streamable HTTP spec has a server answer 404 to a session id it does not know (it restarted or expired the
 * session, https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#session-management); some
 * servers, the reference "everything" server among them, answer 400 "No valid session ID provided" instead.
 */
export function isSessionGone(error: unknown): boolean {
	if (!(error instanceof StreamableHTTPError)) return false;
	if (error.code === 404) return true;
	return error.code === 400 && /session/i.test(error.message);
}

/** The HTTP status of an SDK transport error, when it has one. */
export function httpStatus(error: unknown): number | undefined {
	return error instanceof StreamableHTTPError && error.code !== undefined && error.code > 0 ? error.code : undefined;
}

export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, cancelled: () => Error): Promise<T> {
	if (!signal) return promise;
	if (signal.aborted) return Promise.reject(cancelled());
	return new Promise<T>((resolve, reject) => {
		const onAbort = (): void => reject(cancelled());
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

/** Node's fetch says only "fetch failed"; the cause's code (ECONNREFUSED, ECONNRESET) says what happened. */
export function messageOf(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const code = error.cause instanceof Error && 'code' in error.cause && typeof error.cause.code === 'string' ? error.cause.code : undefined;
	return code && !error.message.includes(code) ? `${error.message}: ${code}` : error.message;
}
