// Aborts a request when no byte arrived for `timeoutMs` (ProviderSettings.timeoutMs). The SDK's own timeout
// stops at the response headers; a stream that stalls afterwards would otherwise hang the turn forever.
// kick() runs for every body chunk and pause()/resume() around every event, so they only write fields (even a
// clock read costs about half a microsecond on some VMs): a check every quarter of the timeout looks at them.
// The abort therefore comes after between 1 and 1.25 times `timeoutMs` of silence.

import { ProviderError } from './types';

/** Checks per timeout period: the overshoot is at most one period of this size. */
const checksPerTimeout = 4;

export class IdleWatchdog {
	private readonly controller = new AbortController();
	private timer: ReturnType<typeof setInterval> | undefined;
	private fired = false;
	/** Bumped by every sign of life; the check compares it with what it saw last time. */
	private activity = 0;
	private seenActivity = 0;
	/** performance.now() of the first check that saw no new activity. */
	private quietSince = performance.now();
	/** The consumer holds an event: its time is not the provider's silence. */
	private paused = false;
	private readonly onParentAbort = (): void => this.controller.abort();

	constructor(private readonly parent: AbortSignal, timeoutMs: number | undefined) {
		if (parent.aborted) this.controller.abort();
		else parent.addEventListener('abort', this.onParentAbort, { once: true });
		if (timeoutMs !== undefined && timeoutMs > 0) this.timer = setInterval(() => this.check(timeoutMs), Math.max(1, timeoutMs / checksPerTimeout));
	}

	/** Aborted when the parent is, or when the watchdog fires. */
	get signal(): AbortSignal {
		return this.controller.signal;
	}

	/** True when the abort came from silence, not from the caller. */
	get timedOut(): boolean {
		return this.fired;
	}

	/** Data arrived: the countdown starts again. */
	kick(): void {
		this.activity++;
	}

	/** The consumer is handling an event: no countdown until resume(). Bytes arriving meanwhile still count. */
	pause(): void {
		this.paused = true;
	}

	/** The consumer wants more: the countdown starts again from now. */
	resume(): void {
		this.paused = false;
		this.activity++;
	}

	dispose(): void {
		clearInterval(this.timer);
		this.timer = undefined;
		this.parent.removeEventListener('abort', this.onParentAbort);
	}

	private check(timeoutMs: number): void {
		const now = performance.now();
		// Activity since the last check happened at most now: counting the silence from here never fires early.
		if (this.paused || this.activity !== this.seenActivity) {
			this.seenActivity = this.activity;
			this.quietSince = now;
			return;
		}
		if (now - this.quietSince < timeoutMs) return;
		this.fired = true;
		this.dispose();
		this.controller.abort();
	}
}

/**
 * The error for a response the watchdog stopped, the same for both protocols: 'interrupted' once part of the answer
 * came (it stays on screen; a retry would repeat it, so none is automatic), else 'network' (retried).
 */
export function stalledError(timeoutMs: number | undefined, partial: boolean): ProviderError {
	const ms = timeoutMs ?? 0;
	// Sub-second timeouts (tests, local servers) must not read as '0 s'.
	const silence = ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
	return new ProviderError(partial ? 'interrupted' : 'network', `No data from the provider for ${silence}. Try again; raise the timeout if the model is slow to answer.`, { retryable: true });
}
