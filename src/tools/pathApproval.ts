// Shared by the tools: what forces an ask whatever the policy, and the approval's texts in English and as phrases.
import { formatPhrase, phrase, type Phrase, type PhraseKey } from './phrases';
import type { ApprovalInfo, ProtectedKind, ResolvedPath, Risk } from './types';

const protectedPhrases: Record<ProtectedKind, PhraseKey> = {
	'git': 'insideGit',
	'vscode-settings': 'vscodeSettings',
	'code-workspace': 'codeWorkspace',
	'pattern': 'protectedPattern',
	'short-name': 'shortName',
	'hard-link': 'hardLink',
};

/** An approval whose summary (and forced reason) are phrases, with their English text alongside. A plain string
 * summary (a tool defined outside src/tools) is shown as it is. */
export function approvalInfo(risk: Risk, summary: Phrase | string, forced?: Phrase): ApprovalInfo {
	const info: ApprovalInfo = typeof summary === 'string' ? { risk, summary } : { risk, summary: formatPhrase(summary), summaryPhrase: summary };
	if (forced) Object.assign(info, { forcedReason: formatPhrase(forced), forcedPhrase: forced });
	return info;
}

/**
 * Why a call touching `target` asks whatever the policy: outside the folders, or a protected path. A read asks only
 * for the paths that may hold secrets or redirect the editor (.git/, .vscode/*.json, workspace files, short
 * names): reading package.json or a Makefile runs nothing, and a hard-linked file (pnpm's node_modules are full of
 * them) is asked about only for writes.
 */
export function forcedPhraseFor(target: ResolvedPath, risk: Risk = 'write'): Phrase | undefined {
	if (!target.inside) return phrase('outside', target.display);
	if (!target.protectedKind || (risk === 'read' && (target.protectedKind === 'pattern' || target.protectedKind === 'hard-link'))) return undefined;
	return target.protectedKind === 'pattern'
		? phrase('protectedPattern', target.display, target.protectedPattern ?? '')
		: phrase(protectedPhrases[target.protectedKind], target.display);
}

/** The English reason a call touching `target` always asks, if it does. */
export function forcedReasonFor(target: ResolvedPath, risk: Risk = 'write'): string | undefined {
	const forced = forcedPhraseFor(target, risk);
	if (forced) return formatPhrase(forced);
	// A Workspace that states only an English reason (no kind) still forces the ask.
	return target.protectedKind ? undefined : target.protectedReason && `${target.display}: ${target.protectedReason}`;
}

/** The approval for a call that touches `target`: forced when it is outside the folders or protected. */
export function pathApproval(risk: Risk, summary: Phrase | string, target: ResolvedPath): ApprovalInfo {
	const forced = forcedPhraseFor(target, risk);
	if (forced) return approvalInfo(risk, summary, forced);
	const info = approvalInfo(risk, summary);
	const reason = forcedReasonFor(target, risk);
	if (reason) info.forcedReason = reason;
	return info;
}
