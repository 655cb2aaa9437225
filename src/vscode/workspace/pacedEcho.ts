// A Pseudoterminal has no back-pressure: every onDidWrite is sent to the renderer at once, so a task that prints
// tens of MB as fast as it can queues it in the extension host's IPC buffers (measured: ~60 MB of external memory
// for a 50 MB flood, unpaced) and spends its time serializing it. The echo is therefore paced to
// what a terminal can usefully show; when the task prints faster than that, the oldest part of the backlog is
// skipped with a note. The terminal's scrollback (1,000 lines by default) would have dropped it anyway, and the
// tool's result keeps its own tail of the whole output. Plain Node (no vscode import) so it is unit-tested directly.

export interface PacedEchoOptions {
	/** Characters written per tick: 64 K per 100 ms is ~6,000 lines a second, far more than anyone reads. */
	charsPerTick: number;
	tickMs: number;
	/** Characters held back at most; beyond it the oldest are skipped. */
	maxBacklog: number;
}

export const defaultPacing: PacedEchoOptions = { charsPerTick: 64 * 1024, tickMs: 100, maxBacklog: 1024 * 1024 };

export class PacedEcho {
	private backlog: string[] = [];
	private backlogLength = 0;
	private sentThisTick = 0;
	private skipped = 0;
	private noted = 0;
	private timer: ReturnType<typeof setInterval> | undefined;

	/** `skippedNote(chars)` is the line written in place of skipped output. */
	constructor(
		private readonly write: (text: string) => void,
		private readonly skippedNote: (chars: number) => string,
		private readonly options: PacedEchoOptions = defaultPacing,
	) {}

	/** Characters skipped so far (the figure the note reports). */
	get skippedChars(): number {
		return this.skipped;
	}

	push(text: string): void {
		if (!text) return;
		if (this.backlogLength === 0 && this.sentThisTick + text.length <= this.options.charsPerTick) {
			this.sentThisTick += text.length;
			this.write(text);
		} else {
			this.backlog.push(text);
			this.backlogLength += text.length;
			if (this.backlogLength > this.options.maxBacklog) this.trim();
		}
		this.arm();
	}

	/** Writes everything held back now: before the terminal's last line, or before echoing what the user typed. */
	flush(): void {
		this.writeSkippedNote();
		if (this.backlogLength) this.write(this.take(this.backlogLength));
	}

	/** Flushes and stops the timer. */
	dispose(): void {
		this.flush();
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	private arm(): void {
		if (this.timer) return;
		this.timer = setInterval(() => this.tick(), this.options.tickMs);
		// A paced echo never keeps the extension host alive on its own.
		this.timer.unref?.();
	}

	private tick(): void {
		const idle = this.sentThisTick === 0 && this.backlogLength === 0;
		this.sentThisTick = 0;
		if (idle) {
			clearInterval(this.timer);
			this.timer = undefined;
			return;
		}
		if (!this.backlogLength) return;
		this.writeSkippedNote();
		const text = this.take(Math.min(this.backlogLength, this.options.charsPerTick));
		this.sentThisTick = text.length;
		this.write(text);
	}

	/** Keeps the newest half of the backlog, from a line start when there is one, so the note stands on its own line. */
	private trim(): void {
		const joined = this.backlog.join('');
		let cut = joined.length - Math.floor(this.options.maxBacklog / 2);
		const lineStart = joined.indexOf('\n', cut);
		if (lineStart !== -1 && lineStart - cut < this.options.maxBacklog / 4) cut = lineStart + 1;
		// Never split a UTF-16 surrogate pair.
		if (cut < joined.length && (joined.charCodeAt(cut) & 0xfc00) === 0xdc00) cut++;
		this.skipped += cut;
		const kept = joined.slice(cut);
		this.backlog = [kept];
		this.backlogLength = kept.length;
	}

	private take(chars: number): string {
		const joined = this.backlog.length === 1 ? this.backlog[0] : this.backlog.join('');
		let end = chars;
		if (end < joined.length && (joined.charCodeAt(end) & 0xfc00) === 0xdc00) end++;
		const rest = joined.slice(end);
		this.backlog = rest ? [rest] : [];
		this.backlogLength = rest.length;
		return joined.slice(0, end);
	}

	private writeSkippedNote(): void {
		if (!this.skipped || this.noted === this.skipped) return;
		this.write(this.skippedNote(this.skipped - this.noted));
		this.noted = this.skipped;
	}
}
