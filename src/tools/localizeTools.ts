// A front end that shows tool approvals in another language wraps its tools here (VS Code: src/vscode/workspace/toolset.ts).
// Only what the user reads changes: names, schemas and results, what the model reads, stay English.
import { formatPhrase, type TemplateLookup } from './phrases';
import type { AnyTool, ApprovalInfo } from './types';

/** The approval's summary and forced reason through `lookup`; texts without a phrase stay as they are. */
export function localizeApproval(info: ApprovalInfo, lookup: TemplateLookup): ApprovalInfo {
	const localized = { ...info };
	if (info.summaryPhrase) localized.summary = formatPhrase(info.summaryPhrase, lookup);
	if (info.forcedPhrase) localized.forcedReason = formatPhrase(info.forcedPhrase, lookup);
	if (info.detailPhrase) localized.detail = formatPhrase(info.detailPhrase, lookup);
	return localized;
}

/** The same tools, their approval texts localized. Idempotent: the phrases stay, so wrapping twice changes nothing. */
export function localizeTools(tools: readonly AnyTool[], lookup: TemplateLookup): AnyTool[] {
	return tools.map((tool): AnyTool => ({
		name: tool.name,
		description: tool.description,
		inputSchema: tool.inputSchema,
		risk: tool.risk,
		parse: (raw) => tool.parse(raw),
		approval: async (input, context) => localizeApproval(await tool.approval(input, context), lookup),
		invoke: (input, context) => tool.invoke(input, context),
	}));
}
