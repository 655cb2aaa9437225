// Aborts a request when no byte arrived for `timeoutMs` (ProviderSettings.timeoutMs). The SDK's own timeout
// stops at the response headers; a stream that stalls afterwards would otherwise hang the turn forever.

export class IdleWatchdog {
	private readonly controller = new AbortController();
	private timer: ReturnType<typeof setTimeout> | undefined;
	private fired = false;
	private readonly onParentAbort = (): void => this.controller.abort();

	constructor(private readonly parent: AbortSignal, private readonly timeoutMs: number | undefined) {
		if (parent.aborted) this.controller.abort();
		else parent.addEventListener('abort', this.onParentAbort, { once: true });
		this.kick();
	}

	/** Aborted when the parent is, or when the watchdog fires. */
	get signal(): AbortSignal {
		return this.controller.signal;
	}

	/** True when the abort came from silence, not from the caller. */
	get timedOut(): boolean {
		return this.fired;
	}

	/** Data arrived: restart the countdown. */
	kick(): void {
		if (!this.timeoutMs || this.timeoutMs <= 0) return;
		clearTimeout(this.timer);
		this.timer = setTimeout(() => {
			this.fired = true;
			this.controller.abort();
		}, this.timeoutMs);
	}

	/** Stops the countdown until the next kick(). */
	pause(): void {
		clearTimeout(this.timer);
	}

	dispose(): void {
		clearTimeout(this.timer);
		this.parent.removeEventListener('abort', this.onParentAbort);
	}
}
