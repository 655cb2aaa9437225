// The conversation's DOM. Deltas mark a segment dirty (a segment's first text is drawn as it arrives); once per
// animation frame the dirty segments (in practice the current message) are brought up to date, within a time budget:
// a streamed segment renders only its newly finished Markdown blocks and its open last block (markdownStream.ts).
// A loaded conversation shows its newest turns at once and builds the older ones in idle slices, prepended above;
// a long one, loaded or live, keeps only its newest turns drawn while the reader is at the end (olderTurns.ts).
import type { Usage } from '../../shared/chat';
import { costOf, formatCost } from '../../shared/cost';
import type { AttachmentChipView, ContextSummaryView, ConversationView, ImageAttachment, SegmentView, TurnView } from '../../shared/protocol';
import type { ToolCall } from '../../shared/toolCall';
import { sentImages } from './imageTray';
import { button, h, isNearBottom } from '../dom';
import { t, type StringKey } from '../l10n';
import { addCompaction, awaitingCalls, Conversation, type AssistantTurn } from '../../shared/transcript';
import { renderMarkdown, type CodeActions } from './markdown';
import { MarkdownStream } from './markdownStream';
import { transcriptChips } from './attachmentChips';
import { OlderTurns } from './olderTurns';
import { ToolCard, type CardActions } from './toolCard';

export interface TranscriptActions extends CodeActions, CardActions {
	approveAll(callIds: string[]): void;
}

interface TurnDom {
	article: HTMLElement;
	body: HTMLElement;
	/** Parallel to the turn's segments: the element each renders into (the markdown box for text/reasoning). */
	segments: HTMLElement[];
	/** Parallel to `segments`: the incremental renderer of each text/reasoning segment that received deltas. */
	streams: (MarkdownStream | undefined)[];
	cards: Map<string, ToolCard>;
	batch: HTMLElement;
	footer: HTMLElement;
}

const finishLabels: Partial<Record<NonNullable<AssistantTurn['finish']>, StringKey>> = {
	interrupted: 'interrupted',
	length: 'stoppedLength',
	content_filter: 'stoppedFilter',
	refusal: 'declined',
	error: 'stoppedError',
};

/** Markdown work per frame; what is left waits for the next frame, so no frame's task grows long. */
const frameBudgetMs = 10;
/** The newest turns shown synchronously on load: at least a screenful, at most this much time. */
const initialTurns = { min: 6, max: 60, budgetMs: 30 };
const tokenCount = new Intl.NumberFormat('en-US');

export class Transcript {
	readonly conversation = new Conversation();
	private readonly turns = new Map<string, TurnDom>();
	private readonly dirty = new Map<AssistantTurn, Set<number>>();
	private frame: number | undefined;
	private readonly older: OlderTurns;

	constructor(private readonly list: HTMLElement, private readonly scroller: HTMLElement, private readonly actions: TranscriptActions) {
		this.older = new OlderTurns(list, scroller, (turn) => this.build(turn), (turn) => this.turns.delete(turn.turnId));
	}

	load(conversation: ConversationView): void {
		this.cancelFrame();
		this.dirty.clear();
		this.older.cancel();
		this.conversation.load(conversation);
		this.turns.clear();
		const turns = this.conversation.turns;
		const started = performance.now();
		const newest: HTMLElement[] = [];
		let first = turns.length;
		while (first > 0 && newest.length < initialTurns.max
			&& (newest.length < initialTurns.min || performance.now() - started < initialTurns.budgetMs)) newest.push(this.build(turns[--first]));
		this.list.replaceChildren(...newest.reverse());
		this.scroller.scrollTop = this.scroller.scrollHeight;
		this.older.start(turns, first);
	}

	addUser(turnId: string, text: string, extras: { attachments?: AttachmentChipView[]; images?: ImageAttachment[] } = {}): void {
		this.list.append(this.build(this.conversation.addUser(turnId, text, extras)));
		this.scroller.scrollTop = this.scroller.scrollHeight;
		this.older.grew(this.conversation.turns);
	}

	startAssistant(turnId: string, model: AssistantTurn['model'], price?: AssistantTurn['price']): void {
		const stick = isNearBottom(this.scroller);
		const turn = this.conversation.startAssistant(turnId, model, price);
		this.domFor(turn);
		if (stick) this.scroller.scrollTop = this.scroller.scrollHeight;
	}

	appendDelta(turnId: string, kind: 'text' | 'reasoning', text: string): void {
		const { turn, index, created } = this.conversation.appendDelta(turnId, kind, text);
		const dom = this.domFor(turn);
		if (created) {
			dom.body.append(this.segmentElement(turn, index, dom, false));
			// The segment before is complete now: its last block gets its final render.
			if (index > 0) this.markDirty(turn, index - 1);
		}
		this.markDirty(turn, index);
		this.refreshPending(turn, dom);
		// A segment's first text (a turn's first token) is drawn as it arrives, so the coming frame paints it; what
		// follows is drawn once per frame.
		if (created) this.render(performance.now() + frameBudgetMs);
	}

	upsertCall(turnId: string, call: ToolCall): void {
		const stick = isNearBottom(this.scroller);
		const { turn, index } = this.conversation.upsertCall(turnId, call);
		const dom = this.domFor(turn);
		const card = dom.cards.get(call.callId);
		if (card) {
			card.update(call);
		} else {
			const created = new ToolCard(call, this.actions);
			dom.cards.set(call.callId, created);
			dom.segments[index] = created.element;
			dom.body.append(created.element);
			if (index > 0) this.markDirty(turn, index - 1);
		}
		this.renderBatch(turn, dom);
		this.refreshPending(turn, dom);
		if (stick) this.scroller.scrollTop = this.scroller.scrollHeight;
	}

	/**
	 * Shows `summary` collapsed where the conversation was compacted: at the current end of turn `turnId`, or of the
	 * running turn. Returns whether the transcript shows it (now or already); false when there is no turn to put it in.
	 */
	noteCompaction(summary: ContextSummaryView | undefined, turnId?: string): boolean {
		if (!summary) return false;
		if (this.conversation.hasCompaction(summary)) return true;
		const turn = turnId ? this.conversation.assistant(turnId) : this.conversation.running;
		if (!turn) return false;
		const stick = isNearBottom(this.scroller);
		const index = addCompaction(turn, summary);
		const dom = this.domFor(turn);
		dom.body.append(this.segmentElement(turn, index, dom, true));
		// The segment before is complete now: its last block gets its final render.
		if (index > 0) this.markDirty(turn, index - 1);
		this.refreshPending(turn, dom);
		if (stick) this.scroller.scrollTop = this.scroller.scrollHeight;
		return true;
	}

	setUsage(turnId: string, usage: Usage): void {
		const turn = this.conversation.setUsage(turnId, usage);
		this.renderFooter(turn, this.domFor(turn));
	}

	end(turnId: string, reason: NonNullable<AssistantTurn['finish']>): void {
		const turn = this.conversation.end(turnId, reason);
		const dom = this.domFor(turn);
		// Every streamed segment gets its final render: its last block too, highlighted. A backlog left by a fast
		// stream is finished over the next frames within the frame budget, not in one long task.
		dom.streams.forEach((stream, index) => { if (stream) this.markDirty(turn, index); });
		this.render(performance.now() + frameBudgetMs);
		this.renderFooter(turn, dom);
		this.refreshPending(turn, dom);
	}

	/** Renders dirty segments until `deadline`; what is left is rendered in the next frame. */
	private render(deadline: number): void {
		this.cancelFrame();
		const stick = isNearBottom(this.scroller);
		let done = true;
		for (const [turn, indices] of this.dirty) {
			const dom = this.turns.get(turn.turnId);
			for (const index of indices) {
				done = !dom || this.renderSegment(turn, dom, index, deadline);
				if (!done) break;
				indices.delete(index);
			}
			if (indices.size === 0) this.dirty.delete(turn);
			if (!done) break;
		}
		if (stick) this.scroller.scrollTop = this.scroller.scrollHeight;
		if (this.dirty.size > 0) this.requestFrame();
	}

	/** Returns false when the deadline passed with work left. */
	private renderSegment(turn: AssistantTurn, dom: TurnDom, index: number, deadline: number): boolean {
		const segment = turn.segments[index];
		const box = dom.segments[index];
		if (!box || !segment || segment.kind === 'tool' || segment.kind === 'compaction') return true;
		let stream = dom.streams[index];
		if (!stream) {
			// A segment restored from a saved conversation and now growing again: rendered anew, incrementally.
			box.replaceChildren();
			stream = dom.streams[index] = new MarkdownStream(box, this.actions);
		}
		const final = turn.finish !== undefined || index < turn.segments.length - 1;
		return stream.render(segment.text, deadline, final);
	}

	private markDirty(turn: AssistantTurn, index: number): void {
		let indices = this.dirty.get(turn);
		if (!indices) this.dirty.set(turn, indices = new Set());
		indices.add(index);
		this.requestFrame();
	}

	private requestFrame(): void {
		if (this.frame === undefined) this.frame = requestAnimationFrame(() => { this.frame = undefined; this.render(performance.now() + frameBudgetMs); });
	}

	private cancelFrame(): void {
		if (this.frame !== undefined) cancelAnimationFrame(this.frame);
		this.frame = undefined;
	}

	private domFor(turn: AssistantTurn): TurnDom {
		const existing = this.turns.get(turn.turnId);
		if (existing) return existing;
		// An older turn not built yet (the host updates one): build all of them now, in order.
		if (this.conversation.turns.indexOf(turn) < this.older.pending) this.older.finish();
		const built = this.turns.get(turn.turnId);
		if (built) return built;
		this.list.append(this.build(turn));
		return this.turns.get(turn.turnId) as TurnDom;
	}

	/** The turn's article, registered but not placed. */
	private build(turn: TurnView): HTMLElement {
		if (turn.role === 'user') {
			return h('article', { class: 'turn user', 'aria-label': t('you') },
				h('div', { class: 'turn-role' }, t('you')),
				turn.images && turn.images.length > 0 && sentImages(turn.images),
				turn.text !== '' && h('div', { class: 'user-text' }, turn.text),
				transcriptChips(turn.attachments));
		}
		const body = h('div', { class: 'turn-body' });
		const batch = h('div', { class: 'batch-bar', role: 'group', 'aria-label': 'Pending tool calls', hidden: true });
		const footer = h('div', { class: 'turn-footer' });
		const role = h('div', { class: 'turn-role' }, t('assistant'), turn.model && h('span', { class: 'turn-model' }, turn.model.model));
		const article = h('article', { class: 'turn assistant', 'aria-label': t('assistant'), tabindex: '-1' }, role, body, batch, footer);
		const dom: TurnDom = { article, body, segments: [], streams: [], cards: new Map(), batch, footer };
		this.turns.set(turn.turnId, dom);
		turn.segments.forEach((_segment, index) => body.append(this.segmentElement(turn, index, dom, true)));
		this.renderBatch(turn, dom);
		this.renderFooter(turn, dom);
		this.refreshPending(turn, dom);
		return article;
	}

	/** Creates the element for segment `index`, registers it in `dom` and returns what to append. */
	private segmentElement(turn: AssistantTurn, index: number, dom: TurnDom, renderNow: boolean): HTMLElement {
		const segment = turn.segments[index];
		if (segment.kind === 'tool') {
			const card = new ToolCard(segment.call, this.actions);
			dom.cards.set(segment.call.callId, card);
			dom.segments[index] = card.element;
			return card.element;
		}
		if (segment.kind === 'compaction') {
			dom.segments[index] = compactionBlock(segment);
			return dom.segments[index];
		}
		const box = h('div', { class: 'markdown' });
		dom.segments[index] = box;
		if (renderNow) renderMarkdown(box, segment.text, this.actions);
		else dom.streams[index] = new MarkdownStream(box, this.actions);
		if (segment.kind === 'text') return box;
		return h('details', { class: 'reasoning' }, h('summary', {}, t('reasoning')), box);
	}

	private renderBatch(turn: AssistantTurn, dom: TurnDom): void {
		const waiting = awaitingCalls(turn).filter((call) => call.approval.inApproveAll);
		dom.batch.hidden = waiting.length < 2;
		if (waiting.length < 2) {
			if (dom.batch.contains(document.activeElement)) dom.article.focus();
			dom.batch.replaceChildren();
			return;
		}
		const callIds = waiting.map((call) => call.callId);
		dom.batch.replaceChildren(
			h('span', {}, t('waitingCalls', waiting.length)),
			button(t('approveAll'), () => {
				for (const callId of callIds) dom.cards.get(callId)?.markAnswered();
				this.actions.approveAll(callIds);
			}, { class: 'primary' }),
		);
	}

	private renderFooter(turn: AssistantTurn, dom: TurnDom): void {
		const parts: Node[] = [];
		const label = turn.finish && finishLabels[turn.finish];
		dom.article.classList.toggle('interrupted', turn.finish === 'interrupted');
		if (label) parts.push(h('span', { class: `finish finish-${turn.finish}` }, t(label)));
		if (turn.usage) {
			const usage = turn.usage;
			const cached = usage.cachedInputTokens ? ` (${t('cached', tokenCount.format(usage.cachedInputTokens))})` : '';
			// No price, no cost: the tokens alone, never an estimate.
			const cost = turn.price ? ` · ${t('cost', formatCost(costOf(usage, turn.price)))}` : '';
			parts.push(h('span', { class: 'usage' }, t('tokens', tokenCount.format(usage.inputTokens), tokenCount.format(usage.outputTokens)) + cached + cost));
		}
		dom.footer.replaceChildren(...parts);
		dom.footer.hidden = parts.length === 0;
	}

	/** The "working" dots show while a running turn has nothing to show yet or waits on the model. */
	private refreshPending(turn: AssistantTurn, dom: TurnDom): void {
		const last = turn.segments[turn.segments.length - 1];
		const waitingOnModel = last === undefined || last.kind === 'compaction' || (last.kind === 'tool' && (last.call.state === 'done' || last.call.state === 'error' || last.call.state === 'denied'));
		dom.article.classList.toggle('pending', turn.finish === undefined && waitingOnModel);
	}
}

/** The older messages as condensed for the model, collapsed: the transcript above still shows them in full. */
function compactionBlock(segment: Extract<SegmentView, { kind: 'compaction' }>): HTMLElement {
	const { summary } = segment;
	const heading = t(summary.byModel ? 'contextSummarized' : 'contextOmitted', summary.replacedCount);
	return h('details', { class: 'compaction context-details' }, h('summary', {}, heading), h('div', { class: 'context-summary-text' }, summary.text));
}
