// Finish and stop reasons are open sets: gateways forward an upstream's word as it is. One that names an error must
// not read as success. A gateway was seen forwarding Anthropic's `overloaded_error` mid-stream as
// `finish_reason: "overloaded_error"` followed by `[DONE]`, half an answer in.
import { ProviderError } from './types';

/** `error`, `*_error`, `overloaded`, `server_failure`, `timeout`…: a word that says the response failed. */
export function isErrorReason(raw: string): boolean {
	return /error|overload|fail|exception|unavailable|time[_ ]?out|timed[_ ]?out|abort/i.test(raw);
}

/** The error for a response that ended with an error word: retryable, never retried once output was shown. */
export function errorReasonError(field: 'finish_reason' | 'stop_reason', raw: string): ProviderError {
	const kind = /overload/i.test(raw) ? 'overloaded' : 'server';
	return new ProviderError(kind, `The provider ended the response with ${field} "${raw}", which reports an error, so the answer is incomplete. Try again.`, { retryable: true, providerMessage: raw });
}
