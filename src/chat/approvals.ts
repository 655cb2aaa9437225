// Approval of tool calls, in one place: the policy (per risk class auto|ask, forced asks, "always allow <tool>"),
// the decision it makes for each call (decideApproval, called once per call by the tool runner), and the pending
// approvals of a UI, one Deferred per call keyed by OUR call id (Vertex AI's open-model function-calling guide shows
// two calls sharing one id). Front ends read settings into an ApprovalPolicy and display the CallApproval; they
// decide nothing themselves.
import type { ApprovalMode, CallApproval, Risk } from '../shared/toolCall';
import type { AnyTool, ApprovalInfo, Preview } from '../tools/types';

/** A call that asks: everything a UI shows, and how to open the tool's preview (a diff) while it waits. */
export interface ApprovalRequest {
	callId: string;
	providerId: string;
	toolName: string;
	input: unknown;
	info: ApprovalInfo;
	/** The decision; `mode` is 'ask' here (calls the policy allows never reach a hook). */
	approval: CallApproval;
	/** Opens what the tool can show of the call (edit_file: a diff), for a UI that can show it. */
	preview?: () => Promise<Preview | undefined>;
}

export type ApprovalDecision = { approved: true } | { approved: false; reason?: string };

/** Answers one call that asks. Called concurrently for the calls of a step; implementations that prompt must queue. */
export type ApprovalHook = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalDecision>;

export interface ApprovalPolicy {
	risks: Record<Risk, ApprovalMode>;
	/** Tools the user chose to always allow (never overrides a forced ask). */
	alwaysAllow: ReadonlySet<string>;
}

/** Everything asks until the user says otherwise. */
export const defaultApprovalPolicy: ApprovalPolicy = { risks: { read: 'ask', write: 'ask', execute: 'ask' }, alwaysAllow: new Set() };

/**
 * Whether this call asks, and what its card offers. A forced reason (outside the workspace, a protected path) asks
 * whatever the policy, keeps its own buttons (each such call gets its own look) and is never "always allowed".
 * "Always allow" is offered on read tools and, per tool, on MCP tools (a server the user configured).
 */
export function decideApproval(policy: ApprovalPolicy, tool: Pick<AnyTool, 'name' | 'origin'>, info: ApprovalInfo): CallApproval {
	const forced = info.forcedReason !== undefined;
	const mode: ApprovalMode = forced ? 'ask' : policy.alwaysAllow.has(tool.name) ? 'auto' : policy.risks[info.risk];
	const approval: CallApproval = { mode, offerAlwaysAllow: !forced && (info.risk === 'read' || tool.origin === 'mcp'), inApproveAll: !forced };
	if (forced) approval.forcedReason = info.forcedReason;
	return approval;
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
	/** The calls "Approve all" may answer (their CallApproval's inApproveAll). */
	private readonly batchable = new Set<string>();

	/** An ApprovalHook that waits for resolve(); an abort denies with a reason. */
	readonly hook: ApprovalHook = (request, signal) => this.wait(request.callId, signal, request.approval);

	/** `approval` unknown: the call is not answered by approveAll. */
	wait(callId: string, signal: AbortSignal, approval?: CallApproval): Promise<ApprovalDecision> {
		if (this.pending.has(callId)) throw new Error(`Call ${callId} is already waiting for approval.`);
		if (signal.aborted) return Promise.resolve({ approved: false, reason: 'The turn was cancelled.' });
		const deferred = new Deferred<ApprovalDecision>();
		this.pending.set(callId, deferred);
		if (approval?.inApproveAll) this.batchable.add(callId);
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
