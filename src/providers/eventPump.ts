// One attempt's events as a hand-written async iterator over the SDK's stream. Each layer of async generators
// between the SDK and the caller costs promises, result objects and microtasks per event, which on a local
// model's fast stream is measurable next to the SDK's own parsing; this costs one `.then` per SDK item.
// Adapters supply the protocol parts (open, item, end, fail, close); the pump owns the order of events and errors.
import { toProviderError } from './errors';
import type { IdleWatchdog } from './idleWatchdog';
import type { ProviderError, StreamEvent } from './types';

export interface PumpSource<T> {
	/** The response body as the SDK yields it (or a whole answer's items). */
	items: AsyncIterable<T> | Iterable<T>;
	/** Counts only the time spent waiting for the provider: paused while the caller holds an event. */
	watchdog?: IdleWatchdog;
}

export interface PumpHandlers<T> {
	/** Sends the request. Events that precede the body (warnings) may be pushed onto `out`. */
	open(out: StreamEvent[]): Promise<PumpSource<T>>;
	/** One item of the body: its events are pushed onto `out`. */
	item(value: T, out: StreamEvent[]): void;
	/** The body ended: its last events go onto `out`; returns the error that ends the stream, if it did not succeed. */
	end(out: StreamEvent[]): ProviderError | undefined;
	/**
	 * Opening (`opened` false) or reading failed: events for what was cut off go onto `out`. Returns the error to
	 * throw after them, or undefined when the failure does not matter and the body counts as ended (end() runs).
	 */
	fail(error: unknown, out: StreamEvent[], opened: boolean): ProviderError | undefined;
	/** Called once, however the stream ends: completed, failed, or left early by the caller. */
	close(): void;
}

const enum Phase {
	New,
	Reading,
	/** The body is over: the queue drains, then `final` is thrown or the stream completes. */
	Ending,
	Done,
}

const doneResult: IteratorResult<StreamEvent> = { value: undefined, done: true };

/**
 * Not safe for overlapping next() calls (for await never makes them). Every error it throws is a ProviderError,
 * so streamWithRetries can hand it to the caller as it is.
 */
export class EventPump<T> implements AsyncIterableIterator<StreamEvent> {
	private readonly out: StreamEvent[] = [];
	private head = 0;
	private phase = Phase.New;
	private source: AsyncIterator<T> | undefined;
	private watchdog: IdleWatchdog | undefined;
	private final: ProviderError | undefined;
	private closed = false;

	constructor(private readonly handlers: PumpHandlers<T>) {}

	[Symbol.asyncIterator](): this {
		return this;
	}

	next(): Promise<IteratorResult<StreamEvent>> {
		if (this.head < this.out.length) return Promise.resolve(this.take());
		if (this.phase === Phase.Reading) return this.pull();
		if (this.phase === Phase.New) return this.start();
		return this.settle();
	}

	async return(): Promise<IteratorResult<StreamEvent>> {
		if (this.phase === Phase.Done) return doneResult;
		const source = this.source;
		this.phase = Phase.Done;
		this.out.length = 0;
		this.head = 0;
		try {
			// The SDK aborts its request when its iterator is returned early.
			await source?.return?.();
		} finally {
			this.close();
		}
		return doneResult;
	}

	private async start(): Promise<IteratorResult<StreamEvent>> {
		this.phase = Phase.Reading;
		try {
			const { items, watchdog } = await this.handlers.open(this.out);
			this.watchdog = watchdog;
			this.source = toAsyncIterator(items);
		} catch (error) {
			this.failed(error, false);
		}
		return this.next();
	}

	private pull(): Promise<IteratorResult<StreamEvent>> {
		this.watchdog?.resume();
		return (this.source as AsyncIterator<T>).next().then(this.onItem, this.onFailure);
	}

	private readonly onItem = (result: IteratorResult<T>): IteratorResult<StreamEvent> | Promise<IteratorResult<StreamEvent>> => {
		this.watchdog?.pause();
		if (this.phase !== Phase.Reading) return this.next();
		if (result.done === true) {
			this.ended();
			return this.next();
		}
		try {
			this.handlers.item(result.value, this.out);
		} catch (error) {
			this.failed(error, true);
			return this.next();
		}
		return this.head < this.out.length ? this.take() : this.pull();
	};

	private readonly onFailure = (error: unknown): Promise<IteratorResult<StreamEvent>> => {
		this.watchdog?.pause();
		if (this.phase === Phase.Reading) this.failed(error, true);
		return this.next();
	};

	private take(): IteratorResult<StreamEvent> {
		// Most items give one event: pop() is far cheaper than truncating with `length = 0`.
		if (this.head === 0 && this.out.length === 1) return { value: this.out.pop() as StreamEvent, done: false };
		const value = this.out[this.head++];
		if (this.head === this.out.length) {
			this.out.length = 0;
			this.head = 0;
		}
		return { value, done: false };
	}

	private ended(): void {
		this.phase = Phase.Ending;
		try {
			this.final = this.handlers.end(this.out);
		} catch (error) {
			this.final = toProviderError(error);
		}
	}

	private failed(error: unknown, opened: boolean): void {
		this.phase = Phase.Ending;
		try {
			const final = this.handlers.fail(error, this.out, opened);
			if (final === undefined) this.ended();
			else this.final = final;
		} catch (handlerError) {
			this.final = toProviderError(handlerError);
		}
	}

	/** The queue is empty and the body is over. */
	private settle(): Promise<IteratorResult<StreamEvent>> {
		if (this.phase === Phase.Done) return Promise.resolve(doneResult);
		this.phase = Phase.Done;
		this.close();
		const final = this.final;
		this.final = undefined;
		return final === undefined ? Promise.resolve(doneResult) : Promise.reject(final);
	}

	private close(): void {
		if (this.closed) return;
		this.closed = true;
		this.handlers.close();
	}
}

function toAsyncIterator<T>(items: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
	if (Symbol.asyncIterator in items) return items[Symbol.asyncIterator]();
	const iterator = items[Symbol.iterator]();
	return {
		// A throwing sync iterator becomes a rejection, like a failing body.
		next: () => new Promise<IteratorResult<T>>((resolve) => resolve(iterator.next())),
		return: async (value?: unknown) => iterator.return?.(value) ?? { value: undefined, done: true },
	};
}

/** `events`, preceded by warnings (a rewritten request's): only then is there a generator in between. */
export function precededBy(warnings: readonly string[], events: AsyncIterable<StreamEvent>): AsyncIterator<StreamEvent> {
	if (warnings.length === 0) return events[Symbol.asyncIterator]();
	return (async function* (): AsyncGenerator<StreamEvent> {
		for (const message of warnings) yield { type: 'warning', message };
		yield* events;
	})();
}
