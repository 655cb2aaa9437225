// What the agent loop tells its caller: events a UI renders as they happen (tool cards are small state machines)
// and per-step records shaped like the CLI's JSON output.
import type { FinishReason, ToolOutput, Usage } from '../shared/chat';
import type { ProviderErrorInfo, ProviderErrorKind } from '../providers/types';
import type { ApprovalInfo, ToolProgress } from '../tools/types';
import type { CompactionSummary } from './context/compaction';

/** How a call ended. */
export type CallStatus = 'done' | 'denied' | 'error' | 'invalid' | 'incomplete';

interface CallIdentity {
	/** Ours, unique in the conversation: the key for approvals and UI cards. */
	callId: string;
	/** The provider's, possibly '' or shared by parallel calls (as in Vertex AI's open-model function-calling guide). */
	providerId: string;
	toolName: string;
}

/** One tool call card: arguments streaming → awaiting approval → running → done | error | denied | invalid | incomplete. */
export type CallView = CallIdentity & (
	| { state: 'input-streaming'; rawInput: string }
	| { state: 'awaiting-approval'; input: unknown; approval: ApprovalInfo }
	| { state: 'running'; input: unknown; summary: string; progress?: ToolProgress }
	| { state: 'done'; input: unknown; summary: string; output: ToolOutput }
	| { state: 'error'; input: unknown; summary?: string; message: string }
	| { state: 'denied'; input: unknown; summary?: string; reason?: string }
	/** Arguments that are not JSON or fail the schema, or an unknown tool: not run. */
	| { state: 'invalid'; input: unknown; message: string }
	/** Cut off before its arguments closed, or its step was interrupted: never run. */
	| { state: 'incomplete'; rawInput: string; message: string }
);

/** A call as recorded in a step (the CLI prints `id` = providerId, `name`, `arguments`, `status`, `result`). */
export interface ToolCallRecord {
	callId: string;
	id: string;
	name: string;
	/** The parsed arguments; the raw text when they were not JSON. */
	arguments: unknown;
	status: CallStatus;
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
	| { type: 'call-update'; step: number; call: CallView }
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
