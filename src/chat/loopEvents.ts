// What the agent loop tells its caller: events a UI renders as they happen (a tool call is src/shared/toolCall.ts)
// and per-step records shaped like the CLI's JSON output.
import type { FinishReason, Usage } from '../shared/chat';
import type { ProviderErrorInfo, ProviderErrorKind } from '../providers/types';
import type { ToolCall, ToolCallEnd } from '../shared/toolCall';
import type { CompactionSummary } from './context/compaction';

/**
 * A call as the CLI's `--json` prints it in a step: `id` = providerId, `name`, `arguments`, `status` (the state the
 * ToolCall ended in), and `result` in full (a card may cut it).
 */
export interface ToolCallRecord {
	callId: string;
	id: string;
	name: string;
	/** The parsed arguments; the raw text when they were not JSON. */
	arguments: unknown;
	status: ToolCallEnd;
	/** What the model was told: the tool's text or JSON, or the error, denial or validation message. */
	result: unknown;
}

export interface StepRecord {
	text: string;
	reasoning: string;
	toolCalls: ToolCallRecord[];
	finish: FinishReason;
	usage: Usage | null;
	/** What the provider layer warned about (an unknown finish reason, a setting not sent…), in order. */
	warnings: string[];
}

/** Why the loop stopped without the model finishing; provider failures keep their ProviderError kind. */
export type LoopStopKind = 'step-cap' | 'repeated-call' | 'truncated' | 'content-filter' | 'refusal' | 'paused';

export interface LoopErrorInfo {
	kind: ProviderErrorKind | LoopStopKind;
	status?: number;
	message: string;
	retryable: boolean;
}

export type LoopEvent =
	| { type: 'step-start'; step: number }
	| { type: 'text-delta'; step: number; delta: string }
	| { type: 'reasoning-delta'; step: number; delta: string }
	| { type: 'call-update'; step: number; call: ToolCall }
	/** The provider is waiting before retrying; show it rather than block silently. */
	| { type: 'retry'; step: number; attempt: number; delayMs: number; error: ProviderErrorInfo }
	| { type: 'warning'; step: number; message: string }
	| { type: 'usage'; step: number; usage: Usage }
	/**
	 * Before each request (with context management on): the prompt's estimated size against the window, for the
	 * panel's meter, and what was compacted to make it fit (the summary replaces `replacedCount` older messages).
	 */
	| { type: 'context'; step: number; usedTokens: number; windowTokens: number; compaction?: { elidedToolResults: number; summary?: CompactionSummary } }
	| { type: 'step-end'; step: number; record: StepRecord };
