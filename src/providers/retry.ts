// Retries a streamed request only before anything reached the caller: once text or a tool call is out, a retry
// would duplicate it. Waits back off exponentially with jitter, honour the server's retry-after, and are capped
// both per attempt count and in total, so a turn never hangs on a provider that keeps refusing.
import { toProviderError } from './errors';
import { EventPump } from './eventPump';
import { ProviderError, type ProviderDeps, type ProviderSettings, type StreamEvent } from './types';

export interface AttemptContext {
	/** 0 for the first try. */
	attempt: number;
	signal: AbortSignal;
}

export const defaultMaxRetries = 3;
export const defaultMaxRetryWaitMs = 60_000;
const baseDelayMs = 500;
const maxDelayMs = 30_000;

/**
 * Yields the events of `attempt`. When it throws before yielding any event other than 'warning', and the error
 * is retryable within the limits of `settings`, yields a 'retry' event, waits and tries again. Every error leaves
 * as a ProviderError (via toProviderError).
 */
export function streamWithRetries(
	attempt: (context: AttemptContext) => AsyncIterable<StreamEvent>,
	options: { settings: ProviderSettings; deps: ProviderDeps; signal: AbortSignal },
): AsyncIterableIterator<StreamEvent> {
	return new RetryingStream(attempt, options.settings, options.deps, options.signal);
}

const doneResult: IteratorResult<StreamEvent> = { value: undefined, done: true };

/**
 * Once content reached the caller no retry can happen, so from then on the attempt's own iterator answers each
 * next() (an EventPump's errors are already ProviderErrors; any other attempt's are mapped): no layer per event.
 * Not safe for overlapping next() calls (for await never makes them).
 */
class RetryingStream implements AsyncIterableIterator<StreamEvent> {
	private readonly maxRetries: number;
	private readonly maxTotalWaitMs: number;
	private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
	private inner: AsyncIterator<StreamEvent> | undefined;
	private handedOver = false;
	private trusted = false;
	private done = false;
	private tryIndex = 0;
	private retries = 0;
	private waitedMs = 0;
	private refreshedCredential = false;
	/** The wait announced by the 'retry' event just yielded; it happens on the next next(). */
	private pendingWaitMs: number | undefined;
	private readonly mapError = (thrown: unknown): never => {
		throw toProviderError(thrown, this.signal);
	};

	constructor(
		private readonly attempt: (context: AttemptContext) => AsyncIterable<StreamEvent>,
		settings: ProviderSettings,
		private readonly deps: ProviderDeps,
		private readonly signal: AbortSignal,
	) {
		this.maxRetries = settings.maxRetries ?? defaultMaxRetries;
		this.maxTotalWaitMs = settings.maxRetryWaitMs ?? defaultMaxRetryWaitMs;
		this.sleep = deps.sleep ?? abortableSleep;
	}

	[Symbol.asyncIterator](): this {
		return this;
	}

	next(): Promise<IteratorResult<StreamEvent>> {
		if (this.handedOver) {
			const result = (this.inner as AsyncIterator<StreamEvent>).next();
			return this.trusted ? result : result.then(undefined, this.mapError);
		}
		return this.nextBeforeContent();
	}

	async return(): Promise<IteratorResult<StreamEvent>> {
		this.done = true;
		const inner = this.inner;
		this.inner = undefined;
		this.handedOver = false;
		await inner?.return?.();
		return doneResult;
	}

	private async nextBeforeContent(): Promise<IteratorResult<StreamEvent>> {
		if (this.done) return doneResult;
		if (this.pendingWaitMs !== undefined) await this.wait(this.pendingWaitMs);
		try {
			if (this.inner === undefined) {
				const inner = this.attempt({ attempt: this.tryIndex, signal: this.signal })[Symbol.asyncIterator]();
				this.inner = inner;
				this.trusted = inner instanceof EventPump;
			}
			const result = await this.inner.next();
			if (result.done === true) {
				this.done = true;
				return doneResult;
			}
			if (result.value.type !== 'warning') this.handedOver = true;
			return result;
		} catch (thrown) {
			this.inner = undefined;
			const retry = this.retryFor(toProviderError(thrown, this.signal));
			this.tryIndex++;
			return { value: retry, done: false };
		}
	}

	/** The 'retry' event for `error`, or throws it when it must not be retried. */
	private retryFor(error: ProviderError): StreamEvent {
		const fail = (): never => {
			this.done = true;
			throw error;
		};
		if (error.kind === 'aborted') return fail();
		// A 401 with a token command: the token may have expired, so one immediate re-run is worth it.
		if (error.kind === 'auth' && error.status === 401 && !this.refreshedCredential && this.deps.credentials.invalidate()) {
			this.refreshedCredential = true;
			return { type: 'retry', attempt: this.tryIndex + 1, delayMs: 0, error: error.toInfo() };
		}
		if (!error.retryable || this.retries >= this.maxRetries) return fail();
		const delayMs = error.details.retryAfterMs ?? backoffDelay(this.retries);
		// The server asked for more than the budget has left: waiting part of it would only fail again.
		if (this.waitedMs + delayMs > this.maxTotalWaitMs) return fail();
		this.retries++;
		this.pendingWaitMs = delayMs;
		return { type: 'retry', attempt: this.tryIndex + 1, delayMs, error: error.toInfo() };
	}

	private async wait(delayMs: number): Promise<void> {
		this.pendingWaitMs = undefined;
		try {
			await this.sleep(delayMs, this.signal);
			if (this.signal.aborted) throw this.signal.reason;
		} catch (error) {
			this.done = true;
			throw toProviderError(error, this.signal);
		}
		this.waitedMs += delayMs;
	}
}

/** Exponential backoff with "equal jitter": between half and all of min(30 s, 500 ms * 2^retry). */
export function backoffDelay(retry: number, random: () => number = Math.random): number {
	const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
	return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** A timer that rejects with an 'aborted' ProviderError when the signal fires, and clears itself either way. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		const cancelled = () => new ProviderError('aborted', 'The request was cancelled.', { cause: signal.reason });
		if (signal.aborted) {
			reject(cancelled());
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			reject(cancelled());
		};
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal.addEventListener('abort', onAbort, { once: true });
	});
}
