// Tools other extensions registered with vscode.lm.registerTool (vscode.lm.tools, which includes the tools of the
// MCP servers VS Code itself runs), offered to the model beside ours when the user opted them in with
// `switchboard.vscodeTools`: a tool name or an extension id → true (execute-class), a risk class, or false. Each
// call gets our approval card and runs through vscode.lm.invokeTool. Read from the user's own settings only (a
// cloned repository must not opt tools in) and never offered in Restricted Mode.
import * as vscode from 'vscode';
import type { ToolOutput } from '../../shared/chat';
import { formatPhrase, phrase } from '../../tools/phrases';
import { defineTool, ToolError, type AnyTool, type Risk } from '../../tools/types';
import { resultText, safeSchema } from './lmMessages';
import type { Log } from '../log';

export const VSCODE_TOOLS_SETTING = 'switchboard.vscodeTools';

/** Providers accept tool names of 1-64 characters from [a-zA-Z0-9_-]. */
const maxToolNameLength = 64;
/** Text beyond this is cut: the result goes into the model's context. */
const maxResultChars = 100_000;

type Choice = Risk | false;

/** The setting as the user wrote it in their user settings: name → choice; other values are logged and skipped. */
export function readVscodeToolChoices(log?: Log): Map<string, Choice> {
	const raw = vscode.workspace.getConfiguration('switchboard').inspect<unknown>('vscodeTools')?.globalValue;
	const choices = new Map<string, Choice>();
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return choices;
	for (const [key, value] of Object.entries(raw)) {
		if (value === true) choices.set(key, 'execute');
		else if (value === false || value === 'read' || value === 'write' || value === 'execute') choices.set(key, value);
		else log?.warn(`${VSCODE_TOOLS_SETTING}: "${key}" must be true, false, "read", "write" or "execute"; it is ignored.`);
	}
	return choices;
}

/** Tool name → the id of the extension whose package.json contributes it (MCP tools have none). */
function toolOwners(): Map<string, string> {
	const owners = new Map<string, string>();
	for (const extension of vscode.extensions.all) {
		const contributed = (extension.packageJSON as { contributes?: { languageModelTools?: unknown } } | undefined)?.contributes?.languageModelTools;
		if (!Array.isArray(contributed)) continue;
		for (const tool of contributed) {
			const name = (tool as { name?: unknown }).name;
			if (typeof name === 'string') owners.set(name, extension.id);
		}
	}
	return owners;
}

/** The tool's own choice wins over its extension's; case-insensitive like VS Code's extension ids. */
function choiceFor(choices: Map<string, Choice>, tool: string, owner: string | undefined): Choice | undefined {
	if (choices.has(tool)) return choices.get(tool);
	if (!owner) return undefined;
	for (const [key, value] of choices) if (key.toLowerCase() === owner.toLowerCase()) return value;
	return undefined;
}

/** The name the model sees: VS Code's own when providers accept it, else a cleaned-up one. */
function modelName(name: string): string {
	const clean = name.replace(/[^a-zA-Z0-9_-]/g, '_') || '_';
	return clean.slice(0, maxToolNameLength);
}

/** The opted-in tools of other extensions for one turn; none in Restricted Mode or without the setting. */
export function vscodeLmTools(log: Log): AnyTool[] {
	if (!vscode.workspace.isTrusted) return [];
	const choices = readVscodeToolChoices(log);
	if (choices.size === 0) return [];
	const owners = toolOwners();
	const tools: AnyTool[] = [];
	const names = new Set<string>();
	for (const info of vscode.lm.tools) {
		const choice = choiceFor(choices, info.name, owners.get(info.name));
		if (!choice) continue;
		const name = modelName(info.name);
		if (names.has(name)) {
			log.warn(`VS Code tool '${info.name}' is left out: another opted-in tool is also called '${name}'.`);
			continue;
		}
		names.add(name);
		tools.push(createVscodeTool(info, name, choice));
	}
	return tools;
}

function createVscodeTool(info: vscode.LanguageModelToolInformation, name: string, risk: Risk): AnyTool {
	const summaryPhrase = phrase('vscodeTool', info.name);
	return defineTool<Record<string, unknown>>({
		name,
		description: info.description.trim() || `The '${info.name}' tool of another VS Code extension.`,
		inputSchema: safeSchema(info.inputSchema),
		risk,
		parse(raw) {
			if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ToolError('invalid-arguments', 'The arguments must be a JSON object.');
			return raw as Record<string, unknown>;
		},
		approval: async () => ({ risk, summary: formatPhrase(summaryPhrase), summaryPhrase }),
		async invoke(input, context) {
			const source = new vscode.CancellationTokenSource();
			const onAbort = () => source.cancel();
			context.signal.addEventListener('abort', onAbort);
			try {
				// No toolInvocationToken: the call is not part of a VS Code chat request; our card was the approval.
				const result = await vscode.lm.invokeTool(info.name, { input, toolInvocationToken: undefined }, source.token);
				return toOutput(resultText(result.content));
			} catch (error) {
				if (context.signal.aborted) throw new ToolError('cancelled', `The '${info.name}' tool was cancelled.`);
				throw new ToolError('failed', `The '${info.name}' tool failed: ${error instanceof Error ? error.message : String(error)}`);
			} finally {
				context.signal.removeEventListener('abort', onAbort);
				source.dispose();
			}
		},
	});
}

function toOutput(text: string): ToolOutput {
	if (text.length > maxResultChars) return { type: 'text', value: `${text.slice(0, maxResultChars)}\n… (cut: the result had ${text.length} characters)` };
	return { type: 'text', value: text || '(The tool returned no content.)' };
}
