// Classifies every failure into a ProviderError with a kind, the provider's own message and a fix.
// STUB: the provider-core helper replaces this body; the exported signatures stay.
import { ProviderError } from './types';

/** Any thrown value (SDK APIError of either SDK, fetch TypeError, AbortError, ProviderError) -> ProviderError. */
export function toProviderError(error: unknown, signal?: AbortSignal): ProviderError {
	if (error instanceof ProviderError) return error;
	if (signal?.aborted) return new ProviderError('aborted', 'The request was cancelled.', { cause: error });
	return new ProviderError('network', error instanceof Error ? error.message : String(error), { cause: error, retryable: true });
}

/** An HTTP error response (JSON, JSON-array or HTML body) -> ProviderError, with retry-after honoured. */
export function errorFromResponse(status: number, _headers: Headers, bodyText: string): ProviderError {
	return new ProviderError(status >= 500 ? 'server' : 'bad-request', `HTTP ${status}: ${bodyText.slice(0, 200)}`, { status });
}

/** An error payload found inside a 200 stream (OpenAI `{"error":{...}}` chunk, Anthropic `event: error`). */
export function errorFromStreamPayload(payload: unknown): ProviderError {
	return new ProviderError('server', `The provider reported an error mid-stream: ${JSON.stringify(payload).slice(0, 300)}`);
}
