// Between the agent loop's shapes (ChatMessage[], CallView) and the panel's (turns of segments, ToolCallView):
// the host keeps the same turn list the webview shows, so a reloaded webview, a reopened chat and an export all
// start from one value. Pure: no 'vscode'.
import { approvableInBatch } from '../../chat/approvals';
import type { CallView } from '../../chat/loopEvents';
import type { ChatMessage, ToolOutput } from '../../shared/chat';
import type { ConversationView, Risk, SegmentView, ToolCallView, ToolResultView, TurnView } from '../../shared/protocol';

export type AssistantTurnView = Extract<TurnView, { role: 'assistant' }>;

/** A result longer than this is cut for the card; the model always gets the whole of it. */
export const maxResultChars = 20_000;

export const reloadedMessage = 'Not run: the window was reloaded';

/** What the host remembers of a call between its events: the loop tells the risk only when it asks. */
export interface CallMemo {
	risk?: Risk;
	summary?: string;
	detail?: string;
}

export function resultView(text: string): ToolResultView {
	if (text.length <= maxResultChars) return { text, truncated: false };
	return { text: text.slice(0, maxResultChars), truncated: true, totalChars: text.length };
}

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

function argumentsText(input: unknown): string {
	if (typeof input === 'string') return input;
	try {
		return JSON.stringify(input, null, 2) ?? '';
	} catch {
		return String(input);
	}
}

/** The loop's card → the panel's card. `memo` carries the risk and summary learnt when the call asked. */
export function toToolCallView(call: CallView, memo: CallMemo = {}): ToolCallView {
	const base = { callId: call.callId, toolName: call.toolName, risk: memo.risk, summary: memo.summary ?? call.toolName, ...(memo.detail ? { detail: memo.detail } : {}) };
	switch (call.state) {
		case 'input-streaming':
			return { ...base, argumentsText: call.rawInput, state: 'streaming-arguments' };
		case 'awaiting-approval':
			return {
				...base,
				risk: call.approval.risk,
				summary: call.approval.summary,
				...(call.approval.detail ? { detail: call.approval.detail } : {}),
				argumentsText: argumentsText(call.input),
				state: 'awaiting-approval',
				forcedReason: call.approval.forcedReason,
				offerAlwaysAllow: offersAlwaysAllow(call.toolName, call.approval.risk) && !call.approval.forcedReason,
				inApproveAll: approvableInBatch(call.approval),
			};
		case 'running':
			return { ...base, summary: call.summary, argumentsText: argumentsText(call.input), state: 'running', progress: call.progress };
		case 'done':
			return { ...base, summary: call.summary, argumentsText: argumentsText(call.input), state: 'done', result: resultView(outputText(call.output)) };
		case 'error':
			return { ...base, summary: call.summary ?? base.summary, argumentsText: argumentsText(call.input), state: 'error', result: resultView(call.message) };
		case 'denied':
			return { ...base, summary: call.summary ?? base.summary, argumentsText: argumentsText(call.input), state: 'denied', reason: call.reason };
		case 'invalid':
			return { ...base, argumentsText: argumentsText(call.input), state: 'invalid', message: call.message };
		case 'incomplete':
			return { ...base, argumentsText: call.rawInput, state: 'incomplete', message: call.message };
	}
}

/** Appends to the turn's last segment of the same kind, as the webview does with the same deltas. */
export function appendText(turn: AssistantTurnView, kind: 'text' | 'reasoning', text: string): void {
	const last = turn.segments[turn.segments.length - 1];
	if (last && last.kind === kind) last.text += text;
	else turn.segments.push({ kind, text });
}

export function upsertCall(turn: AssistantTurnView, call: ToolCallView): void {
	const index = turn.segments.findIndex((segment) => segment.kind === 'tool' && segment.call.callId === call.callId);
	if (index >= 0) turn.segments[index] = { kind: 'tool', call };
	else turn.segments.push({ kind: 'tool', call });
}

function isUnsettled(call: ToolCallView): boolean {
	return call.state === 'streaming-arguments' || call.state === 'awaiting-approval' || call.state === 'running';
}

/**
 * A conversation saved while a turn was running, as it must look after a reload: the partial answer marked
 * interrupted, and calls that were waiting or running shown as not run. Returns the model history to continue
 * from: the steps that completed (saved as they ended) and the partial text of the cut step, so the model knows
 * what it already did and said.
 */
export function settleAfterReload(turns: TurnView[], messages: ChatMessage[]): { turns: TurnView[]; messages: ChatMessage[] } {
	const settled = turns.map((turn): TurnView => {
		if (turn.role === 'user' || turn.finish !== undefined) return turn;
		const segments = turn.segments.map((segment): SegmentView => segment.kind === 'tool' && isUnsettled(segment.call)
			? { kind: 'tool', call: { ...baseOf(segment.call), state: 'incomplete', message: reloadedMessage } }
			: segment);
		return { ...turn, segments, finish: 'interrupted' };
	});
	const last = turns[turns.length - 1];
	const history = [...messages];
	if (last?.role === 'assistant' && last.finish === undefined && history[history.length - 1]?.role !== 'assistant') {
		// Completed steps are in the history already (with their calls); only the cut step's text is missing.
		const replayed = new Set(history.flatMap((message) => message.role === 'assistant'
			? message.content.flatMap((part) => part.type === 'tool-call' ? [part.id] : [])
			: []));
		let from = 0;
		last.segments.forEach((segment, index) => {
			if (segment.kind === 'tool' && replayed.has(segment.call.callId)) from = index + 1;
		});
		const text = last.segments.slice(from).map((segment) => segment.kind === 'text' ? segment.text : '').join('');
		if (text) history.push({ role: 'assistant', content: [{ type: 'text', text }] });
	}
	return { turns: settled, messages: history };
}

function baseOf(call: ToolCallView): Pick<ToolCallView, 'callId' | 'toolName' | 'summary' | 'detail' | 'risk' | 'argumentsText'> {
	return { callId: call.callId, toolName: call.toolName, summary: call.summary, ...(call.detail ? { detail: call.detail } : {}), risk: call.risk, argumentsText: call.argumentsText };
}

/** A short title from the first prompt. */
export function titleFrom(text: string): string {
	const line = text.trim().split('\n')[0] ?? '';
	return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
}

/** A fence longer than any backtick run inside, so the content cannot close it. */
function fence(text: string, language = ''): string {
	const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
	const ticks = '`'.repeat(longest + 1);
	return `${ticks}${language}\n${text}\n${ticks}`;
}

function callMarkdown(call: ToolCallView): string {
	const lines = [`**Tool call: ${call.toolName}** — ${call.summary} (${call.state})`, ...(call.detail ? ['', fence(call.detail, '')] : []), '', fence(call.argumentsText, 'json')];
	switch (call.state) {
		case 'done':
		case 'error':
			lines.push('', fence(call.result.text + (call.result.truncated ? '\n…(truncated)' : '')));
			break;
		case 'denied':
			lines.push('', call.reason ? `Denied: ${call.reason}` : 'Denied.');
			break;
		case 'invalid':
		case 'incomplete':
			lines.push('', call.message);
			break;
		default:
			break;
	}
	return lines.join('\n');
}

/** The conversation as Markdown: what the panel shows, never a key (none is ever in the view). */
export function toMarkdown(conversation: ConversationView): string {
	const parts = [`# ${conversation.title ?? 'Switchboard chat'}`];
	for (const turn of conversation.turns) {
		if (turn.role === 'user') {
			parts.push(`## You\n\n${turn.text}`);
			continue;
		}
		const model = turn.model ? ` (${turn.model.provider}/${turn.model.model})` : '';
		const body = turn.segments.map((segment) => {
			switch (segment.kind) {
				case 'text': return segment.text;
				case 'reasoning': return `<details><summary>Reasoning</summary>\n\n${segment.text}\n\n</details>`;
				case 'tool': return callMarkdown(segment.call);
				case 'compaction': return `<details><summary>Earlier messages summarized (${segment.summary.replacedCount})</summary>\n\n${segment.summary.text}\n\n</details>`;
			}
		});
		if (turn.finish === 'interrupted') body.push('*(interrupted)*');
		if (turn.usage) body.push(`*Tokens: ${turn.usage.inputTokens} in, ${turn.usage.outputTokens} out*`);
		parts.push(`## Assistant${model}\n\n${body.join('\n\n')}`);
	}
	return `${parts.join('\n\n')}\n`;
}

/**
 * "Always allow" is offered on read tools and, per tool, on MCP tools, whose names are
 * `<server>__<tool>`; built-in tool names never contain a double underscore.
 */
function offersAlwaysAllow(toolName: string, risk: string): boolean {
	return risk === 'read' || toolName.includes('__');
}
