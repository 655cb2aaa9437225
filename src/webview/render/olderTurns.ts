// The older turns of a loaded conversation, built newest first in idle slices and prepended above what is shown,
// so opening a long chat shows its end at once and no slice holds the main thread long.
import type { TurnView } from '../../shared/protocol';

/** Work per idle slice: well under the 50 ms that counts as a long task, with room for style and layout. */
const sliceMs = 12;

export class OlderTurns {
	private turns: readonly TurnView[] = [];
	/** Turns [0, pending) are not built yet. */
	pending = 0;
	private handle: number | undefined;

	constructor(private readonly list: HTMLElement, private readonly scroller: HTMLElement, private readonly build: (turn: TurnView) => HTMLElement) {}

	/** Builds `turns[0, end)` from now on, in slices. */
	start(turns: readonly TurnView[], end: number): void {
		this.cancel();
		this.turns = turns;
		this.pending = end;
		this.schedule();
	}

	cancel(): void {
		if (this.handle !== undefined) cancelIdleCallback(this.handle);
		this.handle = undefined;
		this.pending = 0;
	}

	/** Builds all that is left now. */
	finish(): void {
		this.slice(Infinity);
		this.cancel();
	}

	private schedule(): void {
		if (this.pending === 0 || this.handle !== undefined) return;
		// The timeout keeps the history coming on a panel that is never idle (a long stream).
		this.handle = requestIdleCallback(() => {
			this.handle = undefined;
			this.slice(performance.now() + sliceMs);
			this.schedule();
		}, { timeout: 500 });
	}

	/** Builds older turns, at least one, until `deadline`; they go above the ones already shown. */
	private slice(deadline: number): void {
		const end = this.pending;
		let start = end;
		const built: HTMLElement[] = [];
		while (start > 0 && (built.length === 0 || performance.now() < deadline)) {
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
