// Reads Switchboard's settings into typed values. Malformed entries are skipped with a log line, not thrown:
// settings are hand-edited JSON and one bad entry must not take the others down.
import * as vscode from 'vscode';
import type { QuirkProfile } from '../providers/types';
import type { Log } from './log';

export type ProviderAuthSetting = 'apiKey' | 'none' | { command: string };

/** One entry of `switchboard.providers`, as the user wrote it (a preset may fill in protocol and baseUrl later). */
export interface ProviderEntry {
	id: string;
	/** What the panel's picker shows; the id when absent. */
	label?: string;
	/** Overrides switchboard.requestTimeoutSeconds. */
	timeoutSeconds?: number;
	preset?: string;
	/** 'vscode-lm': the models of vscode.lm (vscodeLmProvider.ts); `models` may then be empty (all of them). */
	protocol?: 'openai' | 'anthropic' | 'vscode-lm';
	baseUrl?: string;
	models: string[];
	headers: Record<string, string>;
	extraBody: Record<string, unknown>;
	/** Undefined: the preset's auth, or an API key without a preset. */
	auth?: ProviderAuthSetting;
	quirks?: Record<string, Partial<QuirkProfile>>;
}

const QUIRK_TYPES: Record<keyof QuirkProfile, (value: unknown) => boolean> = {
	systemPrompt: (value) => value === 'keep' || value === 'fold',
	supportsRequiredToolChoice: (value) => typeof value === 'boolean',
	supportsNamedToolChoice: (value) => typeof value === 'boolean',
	toolsInSystemPrompt: (value) => typeof value === 'boolean',
	explicitToolChoice: (value) => typeof value === 'boolean',
};

export type ApprovalMode = 'ask' | 'auto';

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
	if (!isRecord(value)) return {};
	return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function parseAuth(value: unknown): ProviderAuthSetting | undefined | 'invalid' {
	if (value === undefined || value === 'apiKey' || value === 'none') return value;
	if (isRecord(value) && typeof value.command === 'string' && value.command.trim()) return { command: value.command };
	return 'invalid';
}

/** Keeps only known quirk names with values of the right type. */
function parseQuirks(value: unknown): Record<string, Partial<QuirkProfile>> | undefined {
	if (!isRecord(value)) return undefined;
	const result: Record<string, Partial<QuirkProfile>> = {};
	for (const [pattern, overrides] of Object.entries(value)) {
		if (!isRecord(overrides)) continue;
		result[pattern] = Object.fromEntries(
			Object.entries(overrides).filter(([name, setting]) => Object.hasOwn(QUIRK_TYPES, name) && QUIRK_TYPES[name as keyof QuirkProfile](setting)),
		) as Partial<QuirkProfile>;
	}
	return result;
}

export function parseProviderEntry(value: unknown): ProviderEntry | string {
	if (!isRecord(value)) return 'not an object';
	const { id, preset, protocol, baseUrl, models, quirks } = value;
	if (typeof id !== 'string' || !id) return 'missing "id"';
	if (protocol !== undefined && protocol !== 'openai' && protocol !== 'anthropic' && protocol !== 'vscode-lm') return `"${id}": protocol must be "openai", "anthropic" or "vscode-lm"`;
	// The vscode-lm "preset" is a protocol of its own: no URL, no key, the editor's models.
	const vscodeLm = protocol === 'vscode-lm' || preset === 'vscode-lm';
	const auth = parseAuth(value.auth);
	if (auth === 'invalid') return `"${id}": auth must be "apiKey", "none" or {"command": "..."}`;
	return {
		id,
		label: typeof value.label === 'string' && value.label.trim() ? value.label.trim() : undefined,
		timeoutSeconds: wholeSeconds(value.timeoutSeconds),
		preset: typeof preset === 'string' && !vscodeLm ? preset : undefined,
		protocol: vscodeLm ? 'vscode-lm' : protocol,
		baseUrl: typeof baseUrl === 'string' ? baseUrl : undefined,
		models: Array.isArray(models) ? models.filter((model): model is string => typeof model === 'string') : [],
		headers: stringRecord(value.headers),
		extraBody: isRecord(value.extraBody) ? value.extraBody : {},
		auth,
		quirks: parseQuirks(quirks),
	};
}

export function readProviders(log?: Log): ProviderEntry[] {
	const raw = vscode.workspace.getConfiguration('switchboard').get<unknown>('providers');
	const entries: ProviderEntry[] = [];
	const seen = new Set<string>();
	for (const value of Array.isArray(raw) ? raw : []) {
		const parsed = parseProviderEntry(value);
		if (typeof parsed === 'string') log?.warn(`Ignoring a switchboard.providers entry: ${parsed}`);
		else if (seen.has(parsed.id)) log?.warn(`Ignoring a second switchboard.providers entry with id "${parsed.id}"`);
		else {
			seen.add(parsed.id);
			entries.push(parsed);
		}
	}
	return entries;
}

/** `"<provider id>/<model id>"`; the model id may contain slashes (`openai/gpt-4o` on a gateway). */
export function parseModelRef(value: string): { provider: string; model: string } | undefined {
	const slash = value.indexOf('/');
	if (slash <= 0 || slash === value.length - 1) return undefined;
	return { provider: value.slice(0, slash), model: value.slice(slash + 1) };
}

export function readDefaultModel(): { provider: string; model: string } | undefined {
	return parseModelRef(vscode.workspace.getConfiguration('switchboard').get<string>('defaultModel') ?? '');
}

export function readApproval(risk: 'read' | 'write' | 'execute'): ApprovalMode {
	return vscode.workspace.getConfiguration('switchboard.approval').get<string>(risk) === 'auto' ? 'auto' : 'ask';
}

export function readMaxSteps(): number {
	const value = vscode.workspace.getConfiguration('switchboard').get<number>('maxSteps') ?? 25;
	return Number.isInteger(value) && value > 0 ? value : 25;
}

function wholeSeconds(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

/** Seconds without a byte before a request is abandoned; 0 turns the watchdog off. */
export function readRequestTimeoutSeconds(): number {
	return wholeSeconds(vscode.workspace.getConfiguration('switchboard').get<unknown>('requestTimeoutSeconds')) ?? 300;
}
