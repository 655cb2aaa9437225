// A synchronous server-sent-events decoder for both adapters: bytes in, (event, data) pairs out through a callback.
// The SDKs' streams cost more per event than everything else we do: @anthropic-ai/sdk runs two async generators
// per event, and openai copies the rest of its buffer for every event (quadratic in the size of a network chunk).
// Here one network chunk (often hundreds of events) is one call, and no byte is copied twice.
// Follows the WHATWG event-stream rules the SDKs follow: lines end in \n, \r\n or \r; `:` starts a comment;
// only the `event` and `data` fields matter; an event is dispatched at a blank line, and an event the body
// breaks off in the middle of is dropped.

/** Receives one dispatched event: its name (null when it had no `event:` line) and its data lines joined. */
export type SseListener<C> = (event: string | null, data: string, context: C) => void;

const LF = 10;

export class SseDecoder<C> {
	private readonly decoder = new TextDecoder('utf-8');
	/** The start of a line whose end has not arrived (kept as a rope: never searched again). */
	private pending = '';
	/** The last chunk ended in \r: a \n opening the next one belongs to the same line ending. */
	private skipLF = false;
	private event: string | null = null;
	private data: string | undefined;

	constructor(private readonly listener: SseListener<C>) {}

	/** One body chunk. Whatever the listener throws propagates; the rest of the chunk is then not read. */
	push(bytes: Uint8Array, context: C): void {
		this.feed(this.decoder.decode(bytes, { stream: true }), context);
	}

	/** The body ended: an unfinished line or event is dropped, as the SSE rules say. */
	end(context: C): void {
		this.feed(this.decoder.decode(), context);
		this.pending = '';
		this.event = null;
		this.data = undefined;
	}

	private feed(text: string, context: C): void {
		if (text.length === 0) return;
		let start = 0;
		if (this.skipLF) {
			this.skipLF = false;
			if (text.charCodeAt(0) === LF) start = 1;
		}
		// Most streams use \n only; \r is looked for once per chunk, then only past the last one found.
		let nextCR = text.indexOf('\r', start);
		for (;;) {
			let end = text.indexOf('\n', start);
			let isCR = false;
			if (nextCR !== -1) {
				if (nextCR < start) nextCR = text.indexOf('\r', start);
				if (nextCR !== -1 && (end === -1 || nextCR < end)) {
					end = nextCR;
					isCR = true;
				}
			}
			if (end === -1) break;
			let line = text.slice(start, end);
			if (this.pending.length > 0) {
				line = this.pending + line;
				this.pending = '';
			}
			start = end + 1;
			if (isCR) {
				if (start === text.length) this.skipLF = true;
				else if (text.charCodeAt(start) === LF) start++;
			}
			this.line(line, context);
		}
		if (start < text.length) this.pending += text.slice(start);
	}

	private line(line: string, context: C): void {
		if (line.length === 0) {
			const { event, data } = this;
			if (event === null && data === undefined) return;
			this.event = null;
			this.data = undefined;
			this.listener(event, data ?? '', context);
			return;
		}
		const colon = line.indexOf(':');
		if (colon === 0) return;
		const field = colon === -1 ? line : line.slice(0, colon);
		if (field !== 'data' && field !== 'event') return;
		// One space after the colon is part of the syntax, not of the value.
		const value = colon === -1 ? '' : line.slice(line.charCodeAt(colon + 1) === 0x20 ? colon + 2 : colon + 1);
		if (field === 'event') this.event = value;
		else this.data = this.data === undefined ? value : `${this.data}\n${value}`;
	}
}

/** The body's chunks, one read() each; returning early cancels the body, which ends the HTTP request. */
export function bodyChunks(body: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> & AsyncIterable<Uint8Array> {
	const reader = body.getReader();
	const iterator = {
		next: (): Promise<IteratorResult<Uint8Array>> => reader.read() as Promise<IteratorResult<Uint8Array>>,
		return: async (): Promise<IteratorResult<Uint8Array>> => {
			await reader.cancel();
			return { value: undefined, done: true };
		},
		[Symbol.asyncIterator]: () => iterator,
	};
	return iterator;
}
