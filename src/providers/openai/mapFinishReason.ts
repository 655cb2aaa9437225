// Maps a Chat Completions `finish_reason` to ours. What a step did wins over what the provider says:
// several servers answer "stop" after emitting tool calls, and unknown words must not lose the calls.
import type { FinishReason } from '../../shared/chat';

export interface MappedFinish {
	reason: FinishReason;
	/** The provider's word when it differs from ours. */
	raw?: string;
	warning?: string;
}

/** DeepSeek's word for a generation cut off by the server: a truncation, never a success. */
export const INTERRUPTED_FINISH_REASONS: ReadonlySet<string> = new Set(['insufficient_system_resource']);

export function mapFinishReason(raw: string, hadToolCalls: boolean): MappedFinish {
	const withRaw = (reason: FinishReason): MappedFinish => (reason === raw ? { reason } : { reason, raw });
	switch (raw) {
		case 'stop':
		case 'tool_calls':
		case 'function_call':
			return withRaw(hadToolCalls ? 'tool_calls' : 'stop');
		case 'length':
			return withRaw('length');
		case 'content_filter':
			return withRaw('content_filter');
		default: {
			const reason: FinishReason = hadToolCalls ? 'tool_calls' : 'stop';
			return { reason, raw, warning: `Unknown finish_reason "${raw}" from the provider; treated as "${reason}".` };
		}
	}
}
