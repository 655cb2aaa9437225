// Anthropic `stop_reason` -> our FinishReason. Unknown words never throw: they finish as 'stop' (or 'tool_calls'
// when calls arrived, so the loop still runs them) with a warning the caller can show.
import type { FinishReason } from '../../shared/chat';

export interface MappedStopReason {
	reason: FinishReason;
	warning?: string;
}

export function mapStopReason(raw: string | null | undefined, hasToolCalls: boolean): MappedStopReason {
	switch (raw) {
		case 'end_turn':
		case 'stop_sequence':
			// Some gateways say end_turn after tool_use blocks; the calls still have to run.
			return { reason: hasToolCalls ? 'tool_calls' : 'stop' };
		case 'tool_use':
			return { reason: 'tool_calls' };
		case 'max_tokens':
		case 'model_context_window_exceeded':
			return { reason: 'length' };
		case 'refusal':
			return { reason: 'content_filter' };
		case 'pause_turn':
			return {
				reason: hasToolCalls ? 'tool_calls' : 'stop',
				warning: 'The provider paused the turn (pause_turn); send the conversation again to let it continue.',
			};
		default:
			return {
				reason: hasToolCalls ? 'tool_calls' : 'stop',
				warning: `Unknown stop reason ${JSON.stringify(raw ?? null)}; treated as the end of the response.`,
			};
	}
}
