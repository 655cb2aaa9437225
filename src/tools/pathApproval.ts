// Shared by the path-taking tools: what forces an ask whatever the policy, and how a path reads in a summary.
import type { ApprovalInfo, ResolvedPath, Risk } from './types';

/** The approval for a call that touches `target`: forced when it is outside the folders or protected. */
export function pathApproval(risk: Risk, summary: string, target: ResolvedPath): ApprovalInfo {
	if (!target.inside) return { risk, summary, forcedReason: `${target.display} is outside the workspace folders` };
	if (target.protectedReason) return { risk, summary, forcedReason: `${target.display}: ${target.protectedReason}` };
	return { risk, summary };
}
