// Project rules: instructions the workspace gives any coding agent. AGENTS.md at a folder's root (the cross-tool
// convention of agents.md) and .github/copilot-instructions.md (GitHub Copilot's repository instructions) are read
// when present, plus files the user lists themselves. Their text joins the system prompt, each file bounded so a
// huge one cannot crowd out the conversation; a cut file says so in the prompt.
import { ToolError, type Workspace } from '../tools/types';

/** Looked for at the root of every workspace folder. */
export const conventionalRuleFiles = ['AGENTS.md', '.github/copilot-instructions.md'] as const;

export interface RuleLimits {
	perFileChars: number;
	totalChars: number;
}

export const defaultRuleLimits: RuleLimits = { perFileChars: 16_000, totalChars: 32_000 };

export interface RuleFile {
	/** As shown: workspace-relative, or absolute for a file outside the workspace. */
	path: string;
	absolute: string;
	/** The text that goes into the prompt (already cut to the limits). */
	text: string;
	/** Characters left out. */
	omitted: number;
}

/**
 * The rule files that exist, in order: each folder's conventional files, then `extra` (absolute, `~/…`, or
 * relative to the first folder). Missing, unreadable and binary files are skipped: a rule file is optional.
 */
export async function loadRuleFiles(workspace: Workspace, extra: readonly string[], signal: AbortSignal, limits: RuleLimits = defaultRuleLimits): Promise<RuleFile[]> {
	const candidates = [...workspace.folders.flatMap((folder) => conventionalRuleFiles.map((name) => `${folder}/${name}`)), ...extra];
	const rules: RuleFile[] = [];
	const seen = new Set<string>();
	let remaining = limits.totalChars;
	for (const candidate of candidates) {
		if (candidate.trim() === '') continue;
		try {
			const target = await workspace.resolve(candidate);
			if (seen.has(target.absolute)) continue;
			const budget = Math.max(0, Math.min(limits.perFileChars, remaining));
			const read = await workspace.readText(target, budget * 4 + 4, signal);
			const full = read.text.replace(/\r\n/g, '\n');
			const text = full.slice(0, budget);
			const unread = read.truncated && read.size !== undefined ? Math.max(0, read.size - Buffer.byteLength(read.text)) : 0;
			seen.add(target.absolute);
			rules.push({ path: target.display, absolute: target.absolute, text, omitted: full.length - text.length + unread });
			remaining -= text.length;
		} catch (error) {
			if (error instanceof ToolError && error.reason !== 'cancelled') continue;
			throw error;
		}
	}
	return rules;
}

/** The system prompt's rules section for the files that are on; empty when none is. */
export function rulesPrompt(rules: readonly Pick<RuleFile, 'path' | 'text' | 'omitted'>[]): string {
	if (rules.length === 0) return '';
	const sections = rules.map((rule) => {
		const note = rule.omitted > 0
			? `\n[Cut: ${rule.omitted} more characters of this file were left out to keep the prompt small; read_file can read it whole.]`
			: '';
		return `<rules path="${rule.path.replace(/"/g, '&quot;')}">\n${rule.text.trim()}${note}\n</rules>`;
	});
	return `\n\nThe project's rule files follow. They are the user's instructions for this workspace: follow them.\n${sections.join('\n')}`;
}
