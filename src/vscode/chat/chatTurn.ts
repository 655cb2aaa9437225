// One running turn of the chat: the agent loop's events become panel messages. Text deltas are batched (one message
// per ~20 ms, never the history again), each call card is posted as its state changes, and the host's copy of the
// turn is updated exactly as the webview's is, so a reloaded webview or a save mid-turn sees the same thing.
import { approvalMode, PendingApprovals, type ApprovalHook } from '../../chat/approvals';
import type { LoopErrorInfo, LoopEvent } from '../../chat/loopEvents';
import type { FinishReason, Usage } from '../../shared/chat';
import type { HostToWebview, ToolCallView } from '../../shared/protocol';
import type { ApprovalPolicy } from '../../chat/approvals';
import { appendText, toToolCallView, upsertCall, type AssistantTurnView, type CallMemo } from '../conversation/conversationMapper';

export const deltaFlushMs = 20;

interface TurnMemo extends CallMemo {
	toolName: string;
	forced: boolean;
}

export interface ChatTurnHost {
	post(message: HostToWebview): void;
	/** Something worth saving changed; `soon` for call states, later for text. */
	changed(soon: boolean): void;
	policy(): ApprovalPolicy;
	warn(message: string): void;
}

export class ChatTurn {
	readonly abort = new AbortController();
	readonly approvals = new PendingApprovals();
	private readonly memos = new Map<string, TurnMemo>();
	private readonly usageBySteps = new Map<number, Usage>();
	private buffer: { kind: 'text' | 'reasoning'; text: string } | undefined;
	/** Cards whose arguments are streaming: only the latest text of each is sent, with the text batch. */
	private readonly streamingCalls = new Map<string, ToolCallView>();
	private timer: ReturnType<typeof setTimeout> | undefined;

	constructor(readonly view: AssistantTurnView, private readonly host: ChatTurnHost) {}

	get turnId(): string {
		return this.view.turnId;
	}

	/** Approves what the policy allows (read when each call asks, so "Always allow" applies at once). */
	readonly approve: ApprovalHook = (request, signal) =>
		approvalMode(this.host.policy(), request.toolName, request.info) === 'auto'
			? Promise.resolve({ approved: true })
			: this.approvals.wait(request.callId, signal, request.info);

	onEvent(event: LoopEvent): void {
		switch (event.type) {
			case 'text-delta':
			case 'reasoning-delta':
				this.delta(event.type === 'text-delta' ? 'text' : 'reasoning', event.delta);
				return;
			case 'call-update':
				if (event.call.state !== 'input-streaming') this.flush();
				this.callUpdate(event);
				return;
			case 'retry':
				this.flush();
				this.host.post({ type: 'retry-wait', turnId: this.turnId, attempt: event.attempt, delayMs: event.delayMs, message: event.error.message });
				return;
			case 'usage':
				this.flush();
				this.usageBySteps.set(event.step, event.usage);
				this.view.usage = sumUsage([...this.usageBySteps.values()]);
				this.host.post({ type: 'usage', turnId: this.turnId, usage: this.view.usage });
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

	/** The tool a waiting call belongs to, and whether it must ask whatever the policy. */
	memo(callId: string): { toolName: string; forced: boolean } | undefined {
		return this.memos.get(callId);
	}

	/** Sends buffered text now; called before any other message so the order on screen is the order of events. */
	flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		const buffered = this.buffer;
		this.buffer = undefined;
		if (buffered) {
			appendText(this.view, buffered.kind, buffered.text);
			this.host.post({ type: buffered.kind === 'text' ? 'text-delta' : 'reasoning-delta', turnId: this.turnId, text: buffered.text });
			this.host.changed(false);
		}
		for (const call of this.streamingCalls.values()) this.postCall(call);
		this.streamingCalls.clear();
	}

	dispose(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}

	private delta(kind: 'text' | 'reasoning', text: string): void {
		// Text after a streaming card belongs after it on screen.
		if ((this.buffer && this.buffer.kind !== kind) || this.streamingCalls.size > 0) this.flush();
		if (this.buffer) this.buffer.text += text;
		else this.buffer = { kind, text };
		this.timer ??= setTimeout(() => this.flush(), deltaFlushMs);
	}

	private postCall(view: ToolCallView): void {
		upsertCall(this.view, view);
		this.host.post({ type: 'tool-call', turnId: this.turnId, call: view });
		this.host.changed(true);
	}

	private callUpdate(event: Extract<LoopEvent, { type: 'call-update' }>): void {
		const { call } = event;
		const memo: TurnMemo = this.memos.get(call.callId) ?? { toolName: call.toolName, forced: false };
		if (call.state === 'awaiting-approval') {
			memo.risk = call.approval.risk;
			memo.summary = call.approval.summary;
			memo.detail = call.approval.detail;
			memo.forced = call.approval.forcedReason !== undefined;
			this.memos.set(call.callId, memo);
			// An auto-approved call goes straight to running: no Approve button flashes on screen.
			if (approvalMode(this.host.policy(), call.toolName, call.approval) === 'auto') return;
		}
		this.memos.set(call.callId, memo);
		const view = toToolCallView(call, memo);
		if (view.state === 'streaming-arguments') {
			// Long arguments (a whole file) arrive in many pieces; resending the card per piece would be quadratic.
			this.streamingCalls.set(view.callId, view);
			this.timer ??= setTimeout(() => this.flush(), deltaFlushMs);
			return;
		}
		this.streamingCalls.delete(view.callId);
		this.postCall(view);
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
export function finishReason(error: LoopErrorInfo | null, view: AssistantTurnView, last: FinishReason | undefined): FinishReason {
	if (!error) return last ?? 'stop';
	// The provider ended the answer on purpose: the panel says why rather than "interrupted".
	if ((error.kind === 'refusal' || error.kind === 'content-filter') && last !== undefined) return last;
	if (error.kind === 'aborted' || view.segments.length > 0) return 'interrupted';
	return 'error';
}
