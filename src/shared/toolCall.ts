// What a tool call is, from its first streamed byte to the saved history: one record, one state vocabulary. The
// agent loop emits it, the host posts it as a card, the webview draws it, the history saves it. Pure TypeScript:
// no 'vscode', no DOM, no Node (the webview imports it too).
import type { ToolOutput } from './chat';

export type Risk = 'read' | 'write' | 'execute';

/** What a policy says for a call: run it ('auto') or wait for the user ('ask'). */
export type ApprovalMode = 'ask' | 'auto';

/** What a long-running tool says while it runs (an MCP server's progress notifications). */
export interface ToolProgress {
	message?: string;
	/** Done so far, 0 to 1, when the tool knows its total. */
	fraction?: number;
}

/**
 * Whether and how one call asks, decided once by `decideApproval` (src/chat/approvals.ts). A UI displays it and
 * decides nothing: the same record drives the panel's buttons and the CLI's prompt.
 */
export interface CallApproval {
	mode: ApprovalMode;
	/** Why this call asks whatever the policy (outside the workspace, `.git/`, `.vscode/*.json`, …). */
	forcedReason?: string;
	/** Offer "Always allow <tool> in this workspace". */
	offerAlwaysAllow: boolean;
	/** Whether one "Approve all" click may answer it (false keeps its own buttons). */
	inApproveAll: boolean;
}

/** A tool result as displayed. A huge result is cut for the card; `truncated` says so. The model gets all of it. */
export interface ToolResultView {
	text: string;
	truncated: boolean;
	/** Length of the full result in characters, when truncated. */
	totalChars?: number;
}

interface ToolCallBase {
	/** OUR id, unique in the conversation (never the provider's, which may repeat, as in Vertex AI's open-model function-calling guide). */
	callId: string;
	toolName: string;
	/** One line: "Read src/app.ts lines 1–80". While arguments stream, the tool name. */
	summary: string;
	/** What exactly runs, shown whole under the summary: a task's command line. */
	detail?: string;
	/** Known once the tool has looked at the arguments. */
	risk?: Risk;
	/** Arguments as text: formatted JSON once parsed, the raw partial text while streaming or when invalid. */
	argumentsText: string;
}

/**
 * One tool call: streaming → awaiting-approval (only when it asks) → running → done | error | denied; or invalid
 * (arguments not JSON, failing the schema, or an unknown tool) or incomplete (cut off, or pending at a reload),
 * which never run.
 */
export type ToolCall = ToolCallBase & (
	| { state: 'streaming' }
	| { state: 'awaiting-approval'; approval: CallApproval }
	/** `progress`: what the tool last reported while it runs. */
	| { state: 'running'; progress?: ToolProgress }
	| { state: 'done'; result: ToolResultView }
	| { state: 'error'; result: ToolResultView }
	| { state: 'denied'; reason?: string }
	| { state: 'invalid'; message: string }
	| { state: 'incomplete'; message: string }
);

export type ToolCallState = ToolCall['state'];

/** The states a call ends in: the `status` of the CLI's JSON record. */
export type ToolCallEnd = Extract<ToolCallState, 'done' | 'error' | 'denied' | 'invalid' | 'incomplete'>;

/** Not yet ended: what a reload finds still streaming, waiting or running. */
export function isUnsettled(call: ToolCall): boolean {
	return call.state === 'streaming' || call.state === 'awaiting-approval' || call.state === 'running';
}

/** A result longer than this is cut for the card; the model always gets the whole of it. */
export const maxResultChars = 20_000;

export function resultView(text: string): ToolResultView {
	if (text.length <= maxResultChars) return { text, truncated: false };
	return { text: text.slice(0, maxResultChars), truncated: true, totalChars: text.length };
}

/** What a tool returned, as the card shows it. */
export function outputText(output: ToolOutput): string {
	switch (output.type) {
		case 'text':
		case 'error-text':
			return output.value;
		case 'json':
			return JSON.stringify(output.value, null, 2) ?? '';
		case 'denied':
			return output.reason ? `Denied: ${output.reason}` : 'Denied.';
	}
}

/** Parsed arguments as the card shows them; a string (raw text that did not parse) as it is. */
export function argumentsText(input: unknown): string {
	if (typeof input === 'string') return input;
	try {
		return JSON.stringify(input, null, 2) ?? '';
	} catch {
		// Too deep for JSON.stringify (the runner refuses such calls, but still shows them): String() may overflow too.
		try {
			return String(input);
		} catch {
			return '(arguments nested too deeply to show)';
		}
	}
}

/**
 * A call from a saved conversation, in today's words. Chats saved by earlier versions named the streaming state
 * 'streaming-arguments' and kept a waiting call's approval fields on the call itself.
 */
export function upgradeSavedCall(saved: ToolCall): ToolCall {
	const old = saved as unknown as Record<string, unknown> & { state: string };
	if (old.state === 'streaming-arguments') return { ...baseOf(old), state: 'streaming' };
	if (old.state === 'awaiting-approval' && old.approval === undefined) {
		const approval: CallApproval = { mode: 'ask', offerAlwaysAllow: old.offerAlwaysAllow === true, inApproveAll: old.inApproveAll !== false };
		if (typeof old.forcedReason === 'string') approval.forcedReason = old.forcedReason;
		return { ...baseOf(old), state: 'awaiting-approval', approval };
	}
	return saved;
}

/** The fields every state shares, without the old approval fields. */
function baseOf(old: Record<string, unknown>): ToolCallBase {
	const { forcedReason: _forced, offerAlwaysAllow: _offer, inApproveAll: _batch, state: _state, ...base } = old;
	return base as unknown as ToolCallBase;
}
