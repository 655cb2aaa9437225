// The conversation's DOM. Deltas only mark a segment dirty; once per animation frame the dirty segments (in
// practice the current message) are re-rendered, never the whole history.
import type { Usage } from '../../shared/chat';
import type { ConversationView, ToolCallView, TurnView } from '../../shared/protocol';
import { button, h, isNearBottom } from '../dom';
import { t, type StringKey } from '../l10n';
import { awaitingCalls, Conversation, type AssistantTurn } from '../state';
import { renderMarkdown, type CodeActions } from './markdown';
import { ToolCard, type CardActions } from './toolCard';

export interface TranscriptActions extends CodeActions, CardActions {
	approveAll(callIds: string[]): void;
}

interface TurnDom {
	article: HTMLElement;
	body: HTMLElement;
	/** Parallel to the turn's segments: the element each renders into (the markdown box for text/reasoning). */
	segments: HTMLElement[];
	cards: Map<string, ToolCard>;
	batch: HTMLElement;
	footer: HTMLElement;
}

const finishLabels: Partial<Record<NonNullable<AssistantTurn['finish']>, StringKey>> = {
	interrupted: 'interrupted',
	length: 'stoppedLength',
	content_filter: 'stoppedFilter',
	error: 'stoppedError',
};

export class Transcript {
	readonly conversation = new Conversation();
	private readonly turns = new Map<string, TurnDom>();
	private readonly dirty = new Map<AssistantTurn, Set<number>>();
	private frame: number | undefined;

	constructor(private readonly list: HTMLElement, private readonly scroller: HTMLElement, private readonly actions: TranscriptActions) {}

	load(conversation: ConversationView): void {
		this.cancelFrame();
		this.conversation.load(conversation);
		this.turns.clear();
		this.list.replaceChildren();
		for (const turn of this.conversation.turns) this.mount(turn);
		this.scroller.scrollTop = this.scroller.scrollHeight;
	}

	addUser(turnId: string, text: string): void {
		this.mount(this.conversation.addUser(turnId, text));
		this.scroller.scrollTop = this.scroller.scrollHeight;
	}

	startAssistant(turnId: string, model: AssistantTurn['model']): void {
		const stick = isNearBottom(this.scroller);
		const turn = this.conversation.startAssistant(turnId, model);
		if (!this.turns.has(turnId)) this.mount(turn);
		if (stick) this.scroller.scrollTop = this.scroller.scrollHeight;
	}

	appendDelta(turnId: string, kind: 'text' | 'reasoning', text: string): void {
		const { turn, index, created } = this.conversation.appendDelta(turnId, kind, text);
		const dom = this.domFor(turn);
		if (created) dom.body.append(this.segmentElement(turn, index, dom, false));
		this.markDirty(turn, index);
		this.refreshPending(turn, dom);
	}

	upsertCall(turnId: string, call: ToolCallView): void {
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
		}
		this.renderBatch(turn, dom);
		this.refreshPending(turn, dom);
		if (stick) this.scroller.scrollTop = this.scroller.scrollHeight;
	}

	setUsage(turnId: string, usage: Usage): void {
		const turn = this.conversation.setUsage(turnId, usage);
		this.renderFooter(turn, this.domFor(turn));
	}

	end(turnId: string, reason: NonNullable<AssistantTurn['finish']>): void {
		const turn = this.conversation.end(turnId, reason);
		const dom = this.domFor(turn);
		this.flush();
		this.renderFooter(turn, dom);
		this.refreshPending(turn, dom);
	}

	/** Renders what is pending now (tests and turn ends don't wait for a frame). */
	flush(): void {
		this.cancelFrame();
		const stick = isNearBottom(this.scroller);
		for (const [turn, indices] of this.dirty) {
			const dom = this.turns.get(turn.turnId);
			if (!dom) continue;
			for (const index of indices) {
				const segment = turn.segments[index];
				const target = dom.segments[index];
				if (!target || !segment || segment.kind === 'tool') continue;
				renderMarkdown(target, segment.text, this.actions);
			}
		}
		this.dirty.clear();
		if (stick) this.scroller.scrollTop = this.scroller.scrollHeight;
	}

	private markDirty(turn: AssistantTurn, index: number): void {
		let indices = this.dirty.get(turn);
		if (!indices) this.dirty.set(turn, indices = new Set());
		indices.add(index);
		if (this.frame === undefined) this.frame = requestAnimationFrame(() => { this.frame = undefined; this.flush(); });
	}

	private cancelFrame(): void {
		if (this.frame !== undefined) cancelAnimationFrame(this.frame);
		this.frame = undefined;
	}

	private domFor(turn: AssistantTurn): TurnDom {
		const existing = this.turns.get(turn.turnId);
		if (existing) return existing;
		this.mount(turn);
		return this.turns.get(turn.turnId) as TurnDom;
	}

	private mount(turn: TurnView): void {
		if (turn.role === 'user') {
			this.list.append(h('article', { class: 'turn user', 'aria-label': t('you') },
				h('div', { class: 'turn-role' }, t('you')),
				h('div', { class: 'user-text' }, turn.text)));
			return;
		}
		const body = h('div', { class: 'turn-body' });
		const batch = h('div', { class: 'batch-bar', role: 'group', 'aria-label': 'Pending tool calls', hidden: true });
		const footer = h('div', { class: 'turn-footer' });
		const role = h('div', { class: 'turn-role' }, t('assistant'), turn.model && h('span', { class: 'turn-model' }, turn.model.model));
		const article = h('article', { class: 'turn assistant', 'aria-label': t('assistant'), tabindex: '-1' }, role, body, batch, footer);
		const dom: TurnDom = { article, body, segments: [], cards: new Map(), batch, footer };
		this.turns.set(turn.turnId, dom);
		this.list.append(article);
		turn.segments.forEach((_segment, index) => body.append(this.segmentElement(turn, index, dom, true)));
		this.renderBatch(turn, dom);
		this.renderFooter(turn, dom);
		this.refreshPending(turn, dom);
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
		const box = h('div', { class: 'markdown' });
		dom.segments[index] = box;
		if (renderNow) renderMarkdown(box, segment.text, this.actions);
		if (segment.kind === 'text') return box;
		return h('details', { class: 'reasoning' }, h('summary', {}, t('reasoning')), box);
	}

	private renderBatch(turn: AssistantTurn, dom: TurnDom): void {
		const waiting = awaitingCalls(turn);
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
			const cached = usage.cachedInputTokens ? ` (${t('cached', usage.cachedInputTokens.toLocaleString('en-US'))})` : '';
			parts.push(h('span', { class: 'usage' }, t('tokens', usage.inputTokens.toLocaleString('en-US'), usage.outputTokens.toLocaleString('en-US')) + cached));
		}
		dom.footer.replaceChildren(...parts);
		dom.footer.hidden = parts.length === 0;
	}

	/** The "working" dots show while a running turn has nothing to show yet or waits on the model. */
	private refreshPending(turn: AssistantTurn, dom: TurnDom): void {
		const last = turn.segments[turn.segments.length - 1];
		const waitingOnModel = last === undefined || (last.kind === 'tool' && (last.call.state === 'done' || last.call.state === 'error' || last.call.state === 'denied'));
		dom.article.classList.toggle('pending', turn.finish === undefined && waitingOnModel);
	}
}
