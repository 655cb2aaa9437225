// One running turn of the chat: the agent loop's events become panel messages. Text deltas are batched (at most one
// message per ~20 ms, never the history again; a delta after a quiet spell goes at once, so the first token of a
// turn is not held back), each call card is posted as its state changes, and the host's copy of the turn is updated
// exactly as the webview's is, so a reloaded webview or a save mid-turn sees the same thing.
import { PendingApprovals, type ApprovalHook, type ApprovalPolicy } from '../../chat/approvals';
import type { LoopErrorInfo, LoopEvent } from '../../chat/loopEvents';
import type { FinishReason, Usage } from '../../shared/chat';
import type { HostToWebview } from '../../shared/protocol';
import type { ToolCall } from '../../shared/toolCall';
import { appendText, awaitingCalls, upsertCall, type AssistantTurn } from '../../shared/transcript';
import type { Preview } from '../../tools/types';

export const deltaFlushMs = 20;
/** How long a status message (the context meter) waits for a message of the turn to travel with. */
export const statusHoldMs = 50;

type WaitingCall = Extract<ToolCall, { state: 'awaiting-approval' }>;

export interface ChatTurnHost {
	post(message: HostToWebview): void;
	/** Something worth saving changed; `soon` for call states, later for text. */
	changed(soon: boolean): void;
	/** The approval policy, read at each call so "Always allow" applies at once. */
	policy(): ApprovalPolicy;
	warn(message: string): void;
	error(message: string, error: unknown): void;
}

export class ChatTurn {
	readonly abort = new AbortController();
	readonly approvals = new PendingApprovals();
	private readonly usageBySteps = new Map<number, Usage>();
	private buffer: { kind: 'text' | 'reasoning'; text: string } | undefined;
	/** Cards whose arguments are streaming: only the latest text of each is sent, with the text batch. */
	private readonly streamingCalls = new Map<string, ToolCall>();
	private timer: ReturnType<typeof setTimeout> | undefined;
	/** When text or a streaming card was last posted (performance.now()); the next batch waits out its window. */
	private postedAt = -Infinity;
	/** Status messages waiting to go out with the turn's next message (see postWithNext). */
	private held: HostToWebview[] = [];
	private heldTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(readonly view: AssistantTurn, private readonly host: ChatTurnHost) {}

	get turnId(): string {
		return this.view.turnId;
	}

	readonly policy = (): ApprovalPolicy => this.host.policy();

	/**
	 * Waits for the user's answer to a call that asks, with the tool's preview (a diff) open meanwhile. The wait is
	 * registered first, so a click while the preview opens is not lost; the preview closes before the call runs.
	 */
	readonly approve: ApprovalHook = async (request, signal) => {
		const answer = this.approvals.wait(request.callId, signal, request.approval);
		const shown = request.preview?.().catch((error: unknown): Preview | undefined => {
			this.host.error(`Could not show the proposed ${request.toolName} call`, error);
			return undefined;
		});
		try {
			return await answer;
		} finally {
			await (await shown)?.close().catch((error: unknown) => this.host.error('Could not close the proposed change', error));
		}
	};

	onEvent(event: LoopEvent): void {
		switch (event.type) {
			case 'text-delta':
			case 'reasoning-delta':
				this.delta(event.type === 'text-delta' ? 'text' : 'reasoning', event.delta);
				return;
			case 'call-update':
				this.callUpdate(event);
				return;
			case 'retry':
				this.flush();
				this.post({ type: 'retry-wait', turnId: this.turnId, attempt: event.attempt, delayMs: event.delayMs, message: event.error.message });
				return;
			case 'usage':
				this.flush();
				this.usageBySteps.set(event.step, event.usage);
				this.view.usage = sumUsage([...this.usageBySteps.values()]);
				this.post({ type: 'usage', turnId: this.turnId, usage: this.view.usage });
				return;
			case 'warning':
				this.host.warn(event.message);
				return;
			case 'step-start':
			case 'step-end':
				this.flush();
				return;
		}
	}

	/**
	 * A status message for the panel (the context meter before a model request) that need not travel alone: it goes
	 * out just before the turn's next message, or after statusHoldMs. In a web workbench each extension-host message
	 * sent on its own is a WebSocket frame that the workbench reads one at a time through a FileReader (VS Code's
	 * BrowserWebSocket; Streamlit measured 5-50 ms per such read, streamlit/streamlit#4355), so a status message sent
	 * just before a fast model's first token would hold that token back by a read; sent in the same task, both share
	 * one frame.
	 */
	postWithNext(message: HostToWebview): void {
		this.held.push(message);
		this.heldTimer ??= setTimeout(() => this.postHeld(), statusHoldMs);
	}

	/** The calls waiting for the user, as their cards show them (with the approval decided for each). */
	get waitingCalls(): WaitingCall[] {
		return awaitingCalls(this.view);
	}

	/** Sends buffered text now; called before any other message so the order on screen is the order of events. */
	flush(): void {
		this.postHeld();
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		const buffered = this.buffer;
		this.buffer = undefined;
		if (buffered) {
			appendText(this.view, buffered.kind, buffered.text);
			this.post({ type: buffered.kind === 'text' ? 'text-delta' : 'reasoning-delta', turnId: this.turnId, text: buffered.text });
			this.host.changed(false);
		}
		if (buffered || this.streamingCalls.size > 0) this.postedAt = performance.now();
		for (const call of this.streamingCalls.values()) this.postCall(call);
		this.streamingCalls.clear();
	}

	dispose(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (this.heldTimer) clearTimeout(this.heldTimer);
		this.heldTimer = undefined;
	}

	/** Every message of the turn goes through here, after the status messages held for it. */
	private post(message: HostToWebview): void {
		this.postHeld();
		this.host.post(message);
	}

	private postHeld(): void {
		if (this.heldTimer) clearTimeout(this.heldTimer);
		this.heldTimer = undefined;
		const held = this.held;
		this.held = [];
		for (const message of held) this.host.post(message);
	}

	private delta(kind: 'text' | 'reasoning', text: string): void {
		// Text after a streaming card belongs after it on screen.
		if ((this.buffer && this.buffer.kind !== kind) || this.streamingCalls.size > 0) this.flush();
		if (this.buffer) this.buffer.text += text;
		else this.buffer = { kind, text };
		// Leading edge: nothing went out in the last window, so this goes now; what follows within it is batched.
		if (this.timer === undefined && performance.now() - this.postedAt >= deltaFlushMs) this.flush();
		else this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.postedAt + deltaFlushMs - performance.now()));
	}

	private postCall(call: ToolCall): void {
		upsertCall(this.view, call);
		this.post({ type: 'tool-call', turnId: this.turnId, call });
		this.host.changed(true);
	}

	private callUpdate(event: Extract<LoopEvent, { type: 'call-update' }>): void {
		const { call } = event;
		if (call.state === 'streaming') {
			// Long arguments (a whole file) arrive in many pieces; resending the card per piece would be quadratic.
			// A call whose arguments are complete within the window is posted once, in its final state.
			this.streamingCalls.set(call.callId, call);
			this.timer ??= setTimeout(() => this.flush(), deltaFlushMs);
			return;
		}
		// A card not posted yet goes out in its final state only, in its place among the other waiting cards.
		if (this.streamingCalls.has(call.callId)) {
			this.streamingCalls.set(call.callId, call);
			this.flush();
		} else {
			this.flush();
			this.postCall(call);
		}
	}
}

export function sumUsage(usages: readonly Usage[]): Usage {
	const total: Usage = { inputTokens: 0, outputTokens: 0 };
	for (const usage of usages) {
		total.inputTokens += usage.inputTokens;
		total.outputTokens += usage.outputTokens;
		if (usage.cachedInputTokens !== undefined) total.cachedInputTokens = (total.cachedInputTokens ?? 0) + usage.cachedInputTokens;
	}
	return total;
}

/** How the turn ended on screen: whatever arrived before a failure or a Stop stays, marked interrupted. */
export function finishReason(error: LoopErrorInfo | null, view: AssistantTurn, last: FinishReason | undefined): FinishReason {
	if (!error) return last ?? 'stop';
	// The provider ended the answer on purpose: the panel says why rather than "interrupted".
	if ((error.kind === 'refusal' || error.kind === 'content-filter') && last !== undefined) return last;
	if (error.kind === 'aborted' || view.segments.length > 0) return 'interrupted';
	return 'error';
}
