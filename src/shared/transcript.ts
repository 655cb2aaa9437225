// The transcript: a conversation's turns as the panel shows them, changed message by message. One reducer for both
// copies, the host's (saved, exported, sent to a reloaded webview) and the webview's (drawn by
// src/webview/render/transcript.ts), so the two always hold the same value. Pure TypeScript: no 'vscode', no DOM.
import type { ChatMessage, FinishReason, Usage } from './chat';
import type { ModelPrice } from './cost';
import type { AttachmentChipView, ContextSummaryView, ConversationView, ImageAttachment, ModelRef, SegmentView, TurnView } from './protocol';
import { isUnsettled, upgradeSavedCall, type ToolCall } from './toolCall';

export type AssistantTurn = Extract<TurnView, { role: 'assistant' }>;

/** Where a change landed in a turn: the segment's index, and whether it is new (else it replaced or grew one). */
export interface SegmentChange {
	index: number;
	created: boolean;
}

/** Appends to the turn's last segment when it has the same kind, else starts a segment. */
export function appendText(turn: AssistantTurn, kind: 'text' | 'reasoning', text: string): SegmentChange {
	const last = turn.segments[turn.segments.length - 1];
	if (last && last.kind === kind) {
		last.text += text;
		return { index: turn.segments.length - 1, created: false };
	}
	turn.segments.push({ kind, text });
	return { index: turn.segments.length - 1, created: true };
}

/** Creates or replaces the card with this callId. */
export function upsertCall(turn: AssistantTurn, call: ToolCall): SegmentChange {
	const index = turn.segments.findIndex((segment) => segment.kind === 'tool' && segment.call.callId === call.callId);
	if (index >= 0) {
		turn.segments[index] = { kind: 'tool', call };
		return { index, created: false };
	}
	turn.segments.push({ kind: 'tool', call });
	return { index: turn.segments.length - 1, created: true };
}

/** Marks where the conversation was compacted: at the turn's current end. Returns the segment's index. */
export function addCompaction(turn: AssistantTurn, summary: ContextSummaryView): number {
	turn.segments.push({ kind: 'compaction', summary });
	return turn.segments.length - 1;
}

/** Calls of a turn that wait for the user, in order. */
export function awaitingCalls(turn: AssistantTurn): Array<Extract<ToolCall, { state: 'awaiting-approval' }>> {
	const calls: Array<Extract<ToolCall, { state: 'awaiting-approval' }>> = [];
	for (const segment of turn.segments) {
		if (segment.kind === 'tool' && segment.call.state === 'awaiting-approval') calls.push(segment.call);
	}
	return calls;
}

/** A conversation's turns, with the changes the host's messages make to them. */
export class Conversation {
	id = '';
	turns: TurnView[] = [];

	load(conversation: ConversationView): void {
		this.id = conversation.id;
		// Copied so later deltas never mutate the host's (structured-cloned) object twice.
		this.turns = conversation.turns.map((turn) => turn.role === 'user' ? { ...turn } : { ...turn, segments: turn.segments.map((segment) => ({ ...segment })) });
	}

	get isEmpty(): boolean {
		return this.turns.length === 0;
	}

	/** True while the last assistant turn has not ended. */
	get busy(): boolean {
		return this.running !== undefined;
	}

	/** The turn still running (a compaction without a turn id belongs to it). */
	get running(): AssistantTurn | undefined {
		const last = this.turns[this.turns.length - 1];
		return last?.role === 'assistant' && last.finish === undefined ? last : undefined;
	}

	addUser(turnId: string, text: string, extras: { attachments?: AttachmentChipView[]; images?: ImageAttachment[] } = {}): TurnView {
		const turn: TurnView = { role: 'user', turnId, text, ...(extras.attachments && { attachments: extras.attachments }), ...(extras.images && { images: extras.images }) };
		this.turns.push(turn);
		return turn;
	}

	startAssistant(turnId: string, model?: ModelRef, price?: ModelPrice): AssistantTurn {
		const existing = this.assistant(turnId);
		if (existing) return existing;
		const turn: AssistantTurn = { role: 'assistant', turnId, segments: [], model, ...(price && { price }) };
		this.turns.push(turn);
		return turn;
	}

	assistant(turnId: string): AssistantTurn | undefined {
		for (let index = this.turns.length - 1; index >= 0; index--) {
			const turn = this.turns[index];
			if (turn.turnId === turnId && turn.role === 'assistant') return turn;
		}
		return undefined;
	}

	appendDelta(turnId: string, kind: 'text' | 'reasoning', text: string): SegmentChange & { turn: AssistantTurn } {
		const turn = this.startAssistant(turnId);
		return { turn, ...appendText(turn, kind, text) };
	}

	upsertCall(turnId: string, call: ToolCall): SegmentChange & { turn: AssistantTurn } {
		const turn = this.startAssistant(turnId);
		return { turn, ...upsertCall(turn, call) };
	}

	/** Whether a turn already shows this summary (a later turn reusing it adds nothing). */
	hasCompaction(summary: ContextSummaryView): boolean {
		return this.turns.some((turn) => turn.role === 'assistant'
			&& turn.segments.some((segment) => segment.kind === 'compaction' && segment.summary.text === summary.text));
	}

	setUsage(turnId: string, usage: Usage): AssistantTurn {
		const turn = this.startAssistant(turnId);
		turn.usage = usage;
		return turn;
	}

	end(turnId: string, reason: FinishReason): AssistantTurn {
		const turn = this.startAssistant(turnId);
		turn.finish = reason;
		return turn;
	}
}

export const reloadedMessage = 'Not run: the window was reloaded';

/**
 * A conversation saved while a turn was running, as it must look after a reload: the partial answer marked
 * interrupted, and calls that were waiting or running shown as not run. Returns the model history to continue
 * from: the steps that completed (saved as they ended) and the partial text of the cut step, so the model knows
 * what it already did and said. Calls saved by earlier versions are read in today's words first.
 */
export function settleAfterReload(saved: TurnView[], messages: ChatMessage[]): { turns: TurnView[]; messages: ChatMessage[] } {
	const turns = saved.map(upgradeTurn);
	const settled = turns.map((turn): TurnView => {
		if (turn.role === 'user' || turn.finish !== undefined) return turn;
		const segments = turn.segments.map((segment): SegmentView => segment.kind === 'tool' && isUnsettled(segment.call)
			? { kind: 'tool', call: notRun(segment.call) }
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

function upgradeTurn(turn: TurnView): TurnView {
	if (turn.role === 'user') return turn;
	const segments = turn.segments.map((segment): SegmentView => {
		if (segment.kind !== 'tool') return segment;
		const call = upgradeSavedCall(segment.call);
		return call === segment.call ? segment : { kind: 'tool', call };
	});
	return segments.every((segment, index) => segment === turn.segments[index]) ? turn : { ...turn, segments };
}

function notRun(call: ToolCall): ToolCall {
	return {
		callId: call.callId,
		toolName: call.toolName,
		summary: call.summary,
		...(call.detail ? { detail: call.detail } : {}),
		...(call.risk ? { risk: call.risk } : {}),
		argumentsText: call.argumentsText,
		state: 'incomplete',
		message: reloadedMessage,
	};
}
