// The turns above the ones drawn. A loaded conversation shows its newest turns at once; the older ones are built
// newest first in idle slices and prepended above, so opening a long chat shows its end at once and no slice holds
// the main thread long. Only so many turns stay drawn while the reader is at the end: a live session drops its
// oldest articles as it grows (the panel's DOM stays bounded), and whatever is not drawn is built again, the same
// way, when the reader scrolls up to it.
import type { TurnView } from '../../shared/protocol';
import { isNearBottom } from '../dom';

/** Work per idle slice: well under the 50 ms that counts as a long task, with room for style and layout. */
const sliceMs = 12;
/** Turns drawn while the reader is at the end (a few hundred DOM nodes each); idle slices stop here. */
export const drawnTurns = 80;
/** Dropping waits until this many more are drawn, so it happens once per several exchanges, not per turn. */
const dropSlack = 20;

export class OlderTurns {
	private turns: readonly TurnView[] = [];
	/** Turns [0, pending) are not built (or no longer drawn). */
	pending = 0;
	private handle: number | undefined;
	private dropHandle: number | undefined;

	constructor(
		private readonly list: HTMLElement,
		private readonly scroller: HTMLElement,
		private readonly build: (turn: TurnView) => HTMLElement,
		/** A turn's article left the DOM: whatever refers to it is forgotten. */
		private readonly dropped: (turn: TurnView) => void,
	) {
		// Scrolled up to the top of what is drawn: the turns above are built again.
		scroller.addEventListener('scroll', () => { if (this.nearTop()) this.schedule(); }, { passive: true });
	}

	/** `turns[0, end)` are not drawn: they are built from now on in slices, up to the drawn limit. */
	start(turns: readonly TurnView[], end: number): void {
		this.cancel();
		this.turns = turns;
		this.pending = end;
		this.schedule();
	}

	cancel(): void {
		if (this.handle !== undefined) cancelIdleCallback(this.handle);
		if (this.dropHandle !== undefined) cancelIdleCallback(this.dropHandle);
		this.handle = undefined;
		this.dropHandle = undefined;
		this.pending = 0;
	}

	/** Builds all that is left now. */
	finish(): void {
		this.slice(Infinity, Infinity);
		this.cancel();
	}

	/**
	 * The conversation `turns` (the live array) grew: once more than the limit are drawn, the oldest are dropped
	 * when the panel is idle, provided the reader is at the end then (someone reading above keeps what they read).
	 */
	grew(turns: readonly TurnView[]): void {
		this.turns = turns;
		if (this.dropHandle !== undefined || this.list.childElementCount <= drawnTurns + dropSlack) return;
		this.dropHandle = requestIdleCallback(() => {
			this.dropHandle = undefined;
			this.drop();
		}, { timeout: 2000 });
	}

	private drop(): void {
		const extra = this.list.childElementCount - drawnTurns;
		if (extra <= 0 || this.handle !== undefined || !isNearBottom(this.scroller)) return;
		const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
		for (let n = 0; n < extra; n++) {
			this.list.firstElementChild?.remove();
			this.dropped(this.turns[this.pending++]);
		}
		this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
	}

	private nearTop(): boolean {
		return this.pending > 0 && this.scroller.scrollTop < this.scroller.clientHeight;
	}

	private schedule(): void {
		if (this.pending === 0 || this.handle !== undefined) return;
		if (this.list.childElementCount >= drawnTurns && !this.nearTop()) return;
		// The timeout keeps the history coming on a panel that is never idle (a long stream).
		this.handle = requestIdleCallback(() => {
			this.handle = undefined;
			// Up to the limit, unless the reader is up there waiting for them.
			this.slice(performance.now() + sliceMs, this.nearTop() ? Infinity : drawnTurns - this.list.childElementCount);
			this.schedule();
		}, { timeout: 500 });
	}

	/** Builds older turns, at least one, at most `room`, until `deadline`; they go above the ones already shown. */
	private slice(deadline: number, room: number): void {
		const end = this.pending;
		let start = end;
		const built: HTMLElement[] = [];
		while (start > 0 && (built.length === 0 || (performance.now() < deadline && built.length < room))) {
			const article = this.build(this.turns[--start]);
			article.classList.add('deferred');
			built.push(article);
		}
		this.pending = start;
		// What the reader looks at stays in place while content grows above it (the distance to the bottom is
		// kept; layout is clean here, so reading it before the change costs nothing).
		const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
		this.list.prepend(...built.reverse());
		this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
	}
}
