// Which of the other extensions' tools a turn offers, from `switchboard.vscodeTools` as the user wrote it: a tool
// name or an extension id → true (execute-class), a risk class, or false. Pure: vscodeLmTools.ts reads the setting
// and VS Code's tool list and builds the tools.
import type { Risk } from '../../tools/types';

export const VSCODE_TOOLS_SETTING = 'switchboard.vscodeTools';

/** Providers accept tool names of 1-64 characters from [a-zA-Z0-9_-]. */
const maxToolNameLength = 64;

export type ToolChoice = Risk | false;

/** The setting's value: name → choice; other values are reported through `warn` and skipped. */
export function parseToolChoices(raw: unknown, warn: (message: string) => void): Map<string, ToolChoice> {
	const choices = new Map<string, ToolChoice>();
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return choices;
	for (const [key, value] of Object.entries(raw)) {
		if (value === true) choices.set(key, 'execute');
		else if (value === false || value === 'read' || value === 'write' || value === 'execute') choices.set(key, value);
		else warn(`${VSCODE_TOOLS_SETTING}: "${key}" must be true, false, "read", "write" or "execute"; it is ignored.`);
	}
	return choices;
}

/** The tool's own choice wins over its extension's; case-insensitive like VS Code's extension ids. */
export function choiceFor(choices: ReadonlyMap<string, ToolChoice>, tool: string, owner: string | undefined): ToolChoice | undefined {
	if (choices.has(tool)) return choices.get(tool);
	if (!owner) return undefined;
	for (const [key, value] of choices) if (key.toLowerCase() === owner.toLowerCase()) return value;
	return undefined;
}

/** The name the model sees: VS Code's own when providers accept it, else a cleaned-up one. */
export function modelToolName(name: string): string {
	const clean = name.replace(/[^a-zA-Z0-9_-]/g, '_') || '_';
	return clean.slice(0, maxToolNameLength);
}

/**
 * The opted-in tools among `available` (in VS Code's order), each with the name the model sees and its risk. A tool
 * whose cleaned-up name another one already took is left out, with a warning.
 */
export function chooseTools<T extends { name: string }>(available: Iterable<T>, choices: ReadonlyMap<string, ToolChoice>, owners: ReadonlyMap<string, string>, warn: (message: string) => void): Array<{ info: T; name: string; risk: Risk }> {
	const chosen: Array<{ info: T; name: string; risk: Risk }> = [];
	const names = new Set<string>();
	for (const info of available) {
		const risk = choiceFor(choices, info.name, owners.get(info.name));
		if (!risk) continue;
		const name = modelToolName(info.name);
		if (names.has(name)) {
			warn(`VS Code tool '${info.name}' is left out: another opted-in tool is also called '${name}'.`);
			continue;
		}
		names.add(name);
		chosen.push({ info, name, risk });
	}
	return chosen;
}
