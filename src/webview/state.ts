// The panel's data: the conversation as the host described it, updated message by message. No DOM here;
// render/transcript.ts turns changes into DOM updates.
import type { FinishReason, Usage } from '../shared/chat';
import type { ModelPrice } from '../shared/cost';
import type { ContextSummaryView, ConversationView, ImageAttachment, ModelRef, SegmentView, ToolCallView, TurnView } from '../shared/protocol';

export type AssistantTurn = Extract<TurnView, { role: 'assistant' }>;

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
		const last = this.turns[this.turns.length - 1];
		return last !== undefined && last.role === 'assistant' && last.finish === undefined;
	}

	addUser(turnId: string, text: string, images?: ImageAttachment[]): TurnView {
		const turn: TurnView = images ? { role: 'user', turnId, text, images } : { role: 'user', turnId, text };
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

	/** Appends to the turn's last segment when it has the same kind, else starts a segment. Returns its index. */
	appendDelta(turnId: string, kind: 'text' | 'reasoning', text: string): { turn: AssistantTurn; index: number; created: boolean } {
		const turn = this.startAssistant(turnId);
		const last = turn.segments[turn.segments.length - 1];
		if (last && last.kind === kind) {
			last.text += text;
			return { turn, index: turn.segments.length - 1, created: false };
		}
		const segment: SegmentView = { kind, text };
		turn.segments.push(segment);
		return { turn, index: turn.segments.length - 1, created: true };
	}

	/** Creates or replaces the card with this callId. */
	upsertCall(turnId: string, call: ToolCallView): { turn: AssistantTurn; index: number; created: boolean } {
		const turn = this.startAssistant(turnId);
		const index = turn.segments.findIndex((segment) => segment.kind === 'tool' && segment.call.callId === call.callId);
		if (index >= 0) {
			turn.segments[index] = { kind: 'tool', call };
			return { turn, index, created: false };
		}
		turn.segments.push({ kind: 'tool', call });
		return { turn, index: turn.segments.length - 1, created: true };
	}

	/** Whether a turn already shows this summary (a later turn reusing it adds nothing). */
	hasCompaction(summary: ContextSummaryView): boolean {
		return this.turns.some((turn) => turn.role === 'assistant'
			&& turn.segments.some((segment) => segment.kind === 'compaction' && segment.summary.text === summary.text));
	}

	/** Marks where the conversation was compacted: at the turn's current end. */
	addCompaction(turn: AssistantTurn, summary: ContextSummaryView): number {
		turn.segments.push({ kind: 'compaction', summary });
		return turn.segments.length - 1;
	}

	/** The turn a compaction without a turn id belongs to: the running one. */
	get running(): AssistantTurn | undefined {
		const last = this.turns[this.turns.length - 1];
		return last?.role === 'assistant' && last.finish === undefined ? last : undefined;
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

/** Calls of a turn that wait for the user, in order. */
export function awaitingCalls(turn: AssistantTurn): ToolCallView[] {
	const calls: ToolCallView[] = [];
	for (const segment of turn.segments) {
		if (segment.kind === 'tool' && segment.call.state === 'awaiting-approval') calls.push(segment.call);
	}
	return calls;
}
