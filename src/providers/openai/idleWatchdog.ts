// Aborts a request when no byte arrived for `timeoutMs` (ProviderSettings.timeoutMs). The SDK's own timeout
// only covers the wait for the response headers; a stream that stalls afterwards would hang forever.

export class IdleWatchdog {
	private readonly controller = new AbortController();
	private timer: ReturnType<typeof setTimeout> | undefined;
	private expired = false;
	private readonly onAbort = (): void => this.controller.abort();

	constructor(private readonly outer: AbortSignal, private readonly timeoutMs: number | undefined) {
		if (outer.aborted) this.controller.abort();
		else outer.addEventListener('abort', this.onAbort, { once: true });
		this.touch();
	}

	/** Aborted by the caller or by the watchdog. */
	get signal(): AbortSignal {
		return this.controller.signal;
	}

	/** True when the watchdog (not the caller) ended the request. */
	get timedOut(): boolean {
		return this.expired;
	}

	/** Data arrived: restart the wait. */
	touch(): void {
		if (this.timeoutMs === undefined || this.timeoutMs <= 0) return;
		if (this.timer !== undefined) clearTimeout(this.timer);
		this.timer = setTimeout(() => {
			this.expired = true;
			this.controller.abort();
		}, this.timeoutMs);
	}

	dispose(): void {
		if (this.timer !== undefined) clearTimeout(this.timer);
		this.outer.removeEventListener('abort', this.onAbort);
	}
}
