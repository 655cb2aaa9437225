// Approval of tool calls: the policy (per risk class auto|ask, forced asks, "always allow <tool>") and the
// pending approvals of a UI, one Deferred per call keyed by OUR call id (Vertex AI's open-model function-calling guide shows two calls sharing one id).
import type { ApprovalInfo, Risk } from '../tools/types';

export interface ApprovalRequest {
	callId: string;
	providerId: string;
	toolName: string;
	input: unknown;
	info: ApprovalInfo;
}

export type ApprovalDecision = { approved: true } | { approved: false; reason?: string };

/** Decides one call. Called for every valid call, concurrently; implementations that prompt must queue. */
export type ApprovalHook = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalDecision>;

export type ApprovalMode = 'auto' | 'ask';

export interface ApprovalPolicy {
	risks: Record<Risk, ApprovalMode>;
	/** Tools the user chose to always allow (never overrides a forced ask). */
	alwaysAllow: ReadonlySet<string>;
}

/** Everything asks until the user says otherwise. */
export const defaultApprovalPolicy: ApprovalPolicy = { risks: { read: 'ask', write: 'ask', execute: 'ask' }, alwaysAllow: new Set() };

export function approvalMode(policy: ApprovalPolicy, toolName: string, info: ApprovalInfo): ApprovalMode {
	if (info.forcedReason) return 'ask';
	if (policy.alwaysAllow.has(toolName)) return 'auto';
	return policy.risks[info.risk];
}

/**
 * Whether one "Approve all" click may answer this call. A call that asks whatever the policy (outside the
 * workspace, a protected path) keeps its own buttons: each such call gets its own look.
 */
export function approvableInBatch(info: ApprovalInfo): boolean {
	return info.forcedReason === undefined;
}

/** A hook that approves what the policy allows and hands the rest to `ask`. */
export function policyHook(policy: ApprovalPolicy, ask: ApprovalHook): ApprovalHook {
	return (request, signal) => approvalMode(policy, request.toolName, request.info) === 'auto'
		? Promise.resolve({ approved: true })
		: ask(request, signal);
}

export class Deferred<T> {
	readonly promise: Promise<T>;
	resolve!: (value: T) => void;
	constructor() {
		this.promise = new Promise<T>((resolve) => {
			this.resolve = resolve;
		});
	}
}

/** Calls waiting for the user. The UI resolves them one by one, or all at once ("Approve all"). */
export class PendingApprovals {
	private readonly pending = new Map<string, Deferred<ApprovalDecision>>();
	/** The calls "Approve all" may answer (approvableInBatch, decided here so a UI only displays it). */
	private readonly batchable = new Set<string>();

	/** An ApprovalHook that waits for resolve(); an abort denies with a reason. */
	readonly hook: ApprovalHook = (request, signal) => this.wait(request.callId, signal, request.info);

	/** `info` unknown: the call is not answered by approveAll. */
	wait(callId: string, signal: AbortSignal, info?: ApprovalInfo): Promise<ApprovalDecision> {
		if (this.pending.has(callId)) throw new Error(`Call ${callId} is already waiting for approval.`);
		if (signal.aborted) return Promise.resolve({ approved: false, reason: 'The turn was cancelled.' });
		const deferred = new Deferred<ApprovalDecision>();
		this.pending.set(callId, deferred);
		if (info && approvableInBatch(info)) this.batchable.add(callId);
		const onAbort = (): void => {
			this.resolve(callId, { approved: false, reason: 'The turn was cancelled.' });
		};
		signal.addEventListener('abort', onAbort, { once: true });
		return deferred.promise.finally(() => signal.removeEventListener('abort', onAbort));
	}

	/** false when no call with this id is waiting (already decided, or never asked). */
	resolve(callId: string, decision: ApprovalDecision): boolean {
		const deferred = this.pending.get(callId);
		if (!deferred) return false;
		this.pending.delete(callId);
		this.batchable.delete(callId);
		deferred.resolve(decision);
		return true;
	}

	/** "Approve all": approves those of `callIds` that may be answered in a batch; returns the ones it approved. */
	approveAll(callIds: readonly string[]): string[] {
		const approved = callIds.filter((callId) => this.batchable.has(callId));
		for (const callId of approved) this.resolve(callId, { approved: true });
		return approved;
	}

	resolveAll(decision: ApprovalDecision): number {
		const ids = [...this.pending.keys()];
		for (const id of ids) this.resolve(id, decision);
		return ids.length;
	}

	get waiting(): string[] {
		return [...this.pending.keys()];
	}
}
