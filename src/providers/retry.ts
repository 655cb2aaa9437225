// Retries a streamed request only before anything reached the caller. STUB: the provider-core helper
// replaces this body (backoff, retry-after, caps, 401 token refresh); the exported signature stays.
import { toProviderError } from './errors';
import type { ProviderDeps, ProviderSettings, StreamEvent } from './types';

export interface AttemptContext {
	/** 0 for the first try. */
	attempt: number;
	signal: AbortSignal;
}

/**
 * Yields the events of `attempt`. When it throws before yielding any event other than 'warning', and the error
 * is retryable within the limits of `settings`, yields a 'retry' event, waits and tries again. Every error leaves
 * as a ProviderError (via toProviderError).
 */
export async function* streamWithRetries(
	attempt: (context: AttemptContext) => AsyncIterable<StreamEvent>,
	options: { settings: ProviderSettings; deps: ProviderDeps; signal: AbortSignal },
): AsyncGenerator<StreamEvent> {
	try {
		yield* attempt({ attempt: 0, signal: options.signal });
	} catch (error) {
		throw toProviderError(error, options.signal);
	}
}
