// The panel's answers to the calls waiting in the running turn: Approve (optionally "Always allow" the tool), Deny
// (with the user's reason), Approve all. What may be answered was decided per call in src/chat (CallApproval);
// this only delivers the answer and remembers "Always allow" where the call offered it.
import type * as vscode from 'vscode';
import type { ApprovalDecision } from '../../chat/approvals';
import type { Log } from '../log';
import { addAlwaysAllowed } from './approvalPolicy';
import type { ChatTurn } from './chatTurn';

/** "Always allow" counts only where the call's approval offered it (never on a forced ask). */
export function approveCall(turn: ChatTurn | undefined, callId: string, alwaysAllow: boolean, state: vscode.Memento, log: Log): void {
	const waiting = turn?.waitingCalls ?? [];
	const asked = waiting.find((call) => call.callId === callId);
	if (alwaysAllow && asked?.approval.offerAlwaysAllow) {
		void addAlwaysAllowed(state, asked.toolName);
		// Other calls of the same tool waiting in this step are covered by the same answer.
		for (const other of waiting) {
			if (other.callId !== callId && other.toolName === asked.toolName && other.approval.offerAlwaysAllow) decideCall(turn, other.callId, { approved: true }, log);
		}
	}
	decideCall(turn, callId, { approved: true }, log);
}

export function denyCall(turn: ChatTurn | undefined, callId: string, reason: string | undefined, log: Log): void {
	decideCall(turn, callId, reason ? { approved: false, reason } : { approved: false }, log);
}

/** The host decides which calls one click may answer; the ones that must always ask keep waiting. */
export function approveAllCalls(turn: ChatTurn | undefined, callIds: readonly string[], log: Log): void {
	const approved = turn?.approvals.approveAll(callIds) ?? [];
	if (approved.length < callIds.length) log.info(`Approve all left ${callIds.length - approved.length} call(s) that always ask waiting.`);
}

function decideCall(turn: ChatTurn | undefined, callId: string, decision: ApprovalDecision, log: Log): void {
	if (!turn?.approvals.resolve(callId, decision)) log.warn(`No call ${callId} is waiting for approval.`);
}
