// A text segment that grows while the model streams. Its Markdown is split into finished top-level blocks,
// rendered once and kept as DOM, and the open rest, re-rendered each frame inside a `display: contents` wrapper.
// A block counts as finished only when nothing later in the stream can change how it renders; when unsure, it
// stays open (rendering more text together is always what a one-shot render would do). Finished blocks are lexed
// once: those a frame had no time to render wait, lexed, for the next, so a panel that fell behind (a big batch
// arrived) does not lex the whole backlog again each frame.
import type { Token } from 'marked';
import { h } from '../dom';
import { finishedBlocks, joinRaw } from './blocks';
import { lexBlocks, markdownFragment, renderMarkdown, type CodeActions } from './markdown';

/** A streaming render costing more than this is followed by a pause (render). */
const pacedAboveMs = 50;
/** Finished blocks are rendered in groups of about this much source: one sanitizer pass per group, not per block. */
const groupChars = 1024;

interface Block {
	tokens: Token[];
	raw: string;
}

export class MarkdownStream {
	/** Characters of the source already rendered as finished blocks (always a block boundary). */
	private committed = 0;
	/** Finished blocks after `committed`, lexed but not rendered yet (a frame ran out of time); `readyChars` long. */
	private ready: Block[] = [];
	private readyChars = 0;
	/** What the wrapper shows, so a frame that brought nothing new costs nothing. */
	private shownTail: string | undefined;
	private readonly tail = h('div', { class: 'markdown-tail' });
	/** A link reference definition was seen: it can change any earlier block, so the segment renders as a whole. */
	private whole = false;
	private shownWhole: string | undefined;
	/** No open-block render before this performance.now() time (see render). */
	private notBefore = 0;

	constructor(private readonly box: HTMLElement, private readonly actions: CodeActions) {}

	/**
	 * Brings the box up to `source`, which only ever grows. Finished blocks are rendered a group at a time until
	 * `deadline` (a performance.now() time) has passed; returns false when work is left for another frame.
	 * `final` (the segment is complete) renders everything, the last block too, whatever the deadline.
	 */
	render(source: string, deadline: number, final: boolean): boolean {
		if (final) return this.renderFinal(source, deadline);
		if (this.whole ? source === this.shownWhole : this.ready.length === 0 && source.slice(this.committed) === this.shownTail) return true;
		const started = performance.now();
		// Paced: the last render was expensive (a huge open block is rendered anew each time). Not now, but soon.
		if (started < this.notBefore) return false;
		const done = this.whole ? this.renderWhole(source) : this.renderOpen(source, deadline);
		let cost = performance.now() - started;
		if (cost > pacedAboveMs) {
			// The layout of what was just rendered is most of the cost of a huge block: it is done here (the frame
			// would do it next anyway) so that it is counted.
			void this.box.offsetHeight;
			cost = performance.now() - started;
		}
		// Ordinary frames cost a few ms and are not paced; an expensive one is followed by three times its cost of
		// idle, so typing and Stop keep most of the main thread while a 1 MB line streams.
		this.notBefore = cost > pacedAboveMs ? performance.now() + 3 * cost : 0;
		return done;
	}

	private renderFinal(source: string, deadline: number): boolean {
		if (this.whole) return this.renderWhole(source);
		const rest = source.slice(this.committed + this.readyChars);
		// A link definition in the last text, never lexed before, may serve blocks already committed.
		if (rest !== this.shownTail && Object.keys(lexBlocks(rest).links).length > 0) {
			this.whole = true;
			return this.renderWhole(source);
		}
		// A backlog of finished blocks (a panel that fell behind a fast stream) is drawn over frames, as while streaming.
		if (!this.commitReady(deadline)) return false;
		this.tail.remove();
		this.shownTail = undefined;
		if (rest !== '') this.commit(rest, rest);
		return true;
	}

	private renderOpen(source: string, deadline: number): boolean {
		const tokens = lexBlocks(source.slice(this.committed + this.readyChars));
		if (Object.keys(tokens.links).length > 0) {
			this.whole = true;
			return this.renderWhole(source);
		}
		const finished = finishedBlocks(tokens);
		for (let index = 0; index < finished;) {
			let end = index + 1;
			while (end < finished && tokens[end].type === 'space') end++;
			const raw = joinRaw(tokens, index, end);
			this.ready.push({ tokens: tokens.slice(index, end), raw });
			this.readyChars += raw.length;
			index = end;
		}
		// Out of time: show no open block rather than a stale one that repeats what was just committed.
		if (!this.commitReady(deadline)) {
			this.showTail('');
			return false;
		}
		this.showTail(joinRaw(tokens, finished, tokens.length));
		return true;
	}

	/** Renders waiting finished blocks, at least one group, until `deadline`; returns whether none are left. */
	private commitReady(deadline: number): boolean {
		while (this.ready.length > 0) {
			let count = 0;
			let raw = '';
			while (count < this.ready.length && (count === 0 || raw.length < groupChars)) raw += this.ready[count++].raw;
			const group = this.ready.splice(0, count);
			this.readyChars -= raw.length;
			this.commit(group.flatMap((block) => block.tokens), raw);
			if (this.ready.length > 0 && performance.now() > deadline) return false;
		}
		return true;
	}

	/** Renders finished blocks (their tokens, as lexed in context) before the open rest. */
	private commit(blocks: string | Token[], raw: string): void {
		this.box.insertBefore(markdownFragment(blocks, this.actions, true), this.tail.parentNode === this.box ? this.tail : null);
		this.committed += raw.length;
	}

	private showTail(text: string): void {
		if (this.tail.parentNode !== this.box) this.box.append(this.tail);
		if (text === '') this.tail.replaceChildren();
		else this.tail.replaceChildren(markdownFragment(text, this.actions, false));
		this.shownTail = text;
	}

	private renderWhole(source: string): boolean {
		if (source === this.shownWhole) return true;
		this.ready = [];
		this.readyChars = 0;
		renderMarkdown(this.box, source, this.actions);
		this.shownWhole = source;
		return true;
	}
}
