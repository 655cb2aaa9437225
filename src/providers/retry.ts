// Retries a streamed request only before anything reached the caller: once text or a tool call is out, a retry
// would duplicate it. Waits back off exponentially with jitter, honour the server's retry-after, and are capped
// both per attempt count and in total, so a turn never hangs on a provider that keeps refusing.
import { toProviderError } from './errors';
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
export async function* streamWithRetries(
	attempt: (context: AttemptContext) => AsyncIterable<StreamEvent>,
	options: { settings: ProviderSettings; deps: ProviderDeps; signal: AbortSignal },
): AsyncGenerator<StreamEvent> {
	const { settings, deps, signal } = options;
	const maxRetries = settings.maxRetries ?? defaultMaxRetries;
	const maxTotalWaitMs = settings.maxRetryWaitMs ?? defaultMaxRetryWaitMs;
	const sleep = deps.sleep ?? abortableSleep;
	let retries = 0;
	let waitedMs = 0;
	let refreshedCredential = false;
	for (let tryIndex = 0; ; tryIndex++) {
		let sentContent = false;
		try {
			for await (const event of attempt({ attempt: tryIndex, signal })) {
				if (event.type !== 'warning') sentContent = true;
				yield event;
			}
			return;
		} catch (thrown) {
			const error = toProviderError(thrown, signal);
			if (sentContent || error.kind === 'aborted') throw error;
			// A 401 with a token command: the token may have expired, so one immediate re-run is worth it.
			if (error.kind === 'auth' && error.status === 401 && !refreshedCredential && deps.credentials.invalidate()) {
				refreshedCredential = true;
				yield { type: 'retry', attempt: tryIndex + 1, delayMs: 0, error: error.toInfo() };
				continue;
			}
			if (!error.retryable || retries >= maxRetries) throw error;
			const delayMs = error.details.retryAfterMs ?? backoffDelay(retries);
			// The server asked for more than the budget has left: waiting part of it would only fail again.
			if (waitedMs + delayMs > maxTotalWaitMs) throw error;
			retries++;
			yield { type: 'retry', attempt: tryIndex + 1, delayMs, error: error.toInfo() };
			try {
				await sleep(delayMs, signal);
			} catch (sleepError) {
				throw toProviderError(sleepError, signal);
			}
			if (signal.aborted) throw toProviderError(signal.reason, signal);
			waitedMs += delayMs;
		}
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
