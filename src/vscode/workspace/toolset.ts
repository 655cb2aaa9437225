// The tools the chat offers inside VS Code: the workspace read tools, get_diagnostics and run_task. In Restricted
// Mode (an untrusted workspace) execute tools are not offered at all, as the manifest's untrustedWorkspaces says.
// Their approval texts (the card's summary, why a call always asks) are put in VS Code's display language once per
// turn, with the edit and MCP tools (localizeTools, called by turnLoop.ts).
import * as vscode from 'vscode';
import { createGetDiagnosticsTool, type DiagnosticsPort } from '../../tools/getDiagnostics';
import { localizeTools as localizeToolsWith } from '../../tools/localizeTools';
import type { TemplateLookup } from '../../tools/phrases';
import { workspaceTools } from '../../tools/registry';
import { createRunTaskTool, type TaskPort } from '../../tools/runTask';
import type { AnyTool } from '../../tools/types';
import { VscodeDiagnostics } from './diagnosticsAdapter';
import { VscodeTaskRunner } from './taskRunner';

export interface ToolsetOptions {
	tasks?: TaskPort;
	diagnostics?: DiagnosticsPort;
	/** Defaults to vscode.workspace.isTrusted at the time of the call; trust can be granted later, so build per turn. */
	isTrusted?: boolean;
	/** run_task's timeout (default 120 s). */
	taskTimeoutMs?: number;
}

/** The tool list for one chat turn, in the order offered to the model. */
export function buildToolset(options: ToolsetOptions = {}): AnyTool[] {
	const isTrusted = options.isTrusted ?? vscode.workspace.isTrusted;
	const tools: AnyTool[] = [...workspaceTools, createGetDiagnosticsTool(options.diagnostics ?? new VscodeDiagnostics())];
	if (isTrusted) tools.push(createRunTaskTool(options.tasks ?? new VscodeTaskRunner(), { timeoutMs: options.taskTimeoutMs }));
	return tools.filter((tool) => isTrusted || tool.risk !== 'execute');
}

/**
 * The translation of an English tool phrase in the extension's l10n bundle (keyed by the English text, as every
 * host string). Looked up directly rather than through vscode.l10n.t: the template is a variable here.
 */
export const bundleLookup: TemplateLookup = (english) => {
	const translated = vscode.l10n.bundle?.[english];
	return typeof translated === 'string' ? translated : undefined;
};

/** The tools with their approval texts in the display language. */
export function localizeTools(tools: readonly AnyTool[]): AnyTool[] {
	return localizeToolsWith(tools, bundleLookup);
}
