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
			// https://docs.claude.com/en/docs/test-and-evaluate/strengthen-guardrails/handle-streaming-refusals
			return { reason: 'refusal' };
		case 'pause_turn':
			// A long server-tool turn paused; the caller sends the conversation back as it is to let it continue
			// (https://docs.claude.com/en/api/handling-stop-reasons). Client tool calls, if any, still run first.
			return { reason: hasToolCalls ? 'tool_calls' : 'pause_turn' };
		default:
			return {
				reason: hasToolCalls ? 'tool_calls' : 'stop',
				warning: `Unknown stop reason ${JSON.stringify(raw ?? null)}; treated as the end of the response.`,
			};
	}
}
