// A provider entry as a user writes it (`switchboard.providers` in VS Code, `providers` in the CLI's config file),
// and how it becomes what the provider engine takes: presets filled in, auth decided. One reader for both front
// ends: the extension skips a bad entry and ignores a bad field, the CLI refuses the file and names the line.
import { getPreset, settingsFromPreset } from './presets';
import type { ProviderEntry as EngineEntry } from './registry';
import type { AuthConfig, ProviderSettings, QuirkProfile } from './types';

export type ProviderAuthSetting = 'apiKey' | 'none' | { command: string };

/** One provider entry, as the user wrote it (a preset may fill in protocol and baseUrl later). */
export interface ProviderEntry {
	id: string;
	/** What the panel's picker shows; the id when absent. */
	label?: string;
	/** Overrides switchboard.requestTimeoutSeconds. */
	timeoutSeconds?: number;
	preset?: string;
	/** 'vscode-lm': the editor's language models (src/vscode/lm/vscodeLmProvider.ts); `models` may then be empty (all). */
	protocol?: 'openai' | 'anthropic' | 'vscode-lm';
	baseUrl?: string;
	models: string[];
	headers: Record<string, string>;
	extraBody: Record<string, unknown>;
	/** Undefined: the preset's auth, or an API key without a preset. */
	auth?: ProviderAuthSetting;
	quirks?: Record<string, Partial<QuirkProfile>>;
	/** The output limit for this provider's models; null sends none; unset: the model's known limit or the default. */
	maxOutputTokens?: number | null;
}

/** Something wrong in an entry: where (keys from the entry down) and what to write instead. */
export interface EntryProblem {
	path: Array<string | number>;
	message: string;
}

export class ProviderConfigError extends Error {
	override readonly name = 'ProviderConfigError';
}

export const providerEntryFields: readonly string[] = ['id', 'label', 'timeoutSeconds', 'preset', 'protocol', 'baseUrl', 'models', 'headers', 'extraBody', 'auth', 'quirks', 'maxOutputTokens'];

const QUIRK_TYPES: Record<keyof QuirkProfile, (value: unknown) => boolean> = {
	systemPrompt: (value) => value === 'keep' || value === 'fold',
	supportsRequiredToolChoice: (value) => typeof value === 'boolean',
	supportsNamedToolChoice: (value) => typeof value === 'boolean',
	toolsInSystemPrompt: (value) => typeof value === 'boolean',
	explicitToolChoice: (value) => typeof value === 'boolean',
	maxOutputTokens: isOutputLimit,
};

/** A positive whole number of tokens, or null for "send no output limit". */
function isOutputLimit(value: unknown): value is number | null {
	return value === null || (typeof value === 'number' && Number.isInteger(value) && value > 0);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The extension's reading: the entry, or why it is skipped. Problems in single fields drop only that field. */
export function parseProviderEntry(value: unknown): ProviderEntry | string {
	const problems: EntryProblem[] = [];
	return readProviderEntry(value, problems) ?? problems[0].message;
}

/**
 * Reads an entry, adding every problem to `problems`. Returns undefined when the entry cannot be used at all
 * (then the first problem added says why); otherwise bad fields are left out of the result.
 */
export function readProviderEntry(value: unknown, problems: EntryProblem[]): ProviderEntry | undefined {
	if (!isRecord(value)) {
		problems.push({ path: [], message: 'not an object' });
		return undefined;
	}
	const { id, preset, protocol, baseUrl } = value;
	if (typeof id !== 'string' || !id) {
		problems.push({ path: ['id'], message: 'missing "id"' });
		return undefined;
	}
	const problem = (path: Array<string | number>, message: string): void => {
		problems.push({ path, message: `"${id}": ${message}` });
	};
	if (protocol !== undefined && protocol !== 'openai' && protocol !== 'anthropic' && protocol !== 'vscode-lm') {
		problem(['protocol'], 'protocol must be "openai", "anthropic" or "vscode-lm"');
		return undefined;
	}
	// The vscode-lm "preset" is a protocol of its own: no URL, no key, the editor's models.
	const vscodeLm = protocol === 'vscode-lm' || preset === 'vscode-lm';
	const auth = parseAuth(value.auth);
	if (auth === 'invalid') {
		problem(['auth'], 'auth must be "apiKey", "none" or {"command": "..."}');
		return undefined;
	}
	for (const key of Object.keys(value)) if (!providerEntryFields.includes(key)) problem([key], `unknown field "${key}" (allowed: ${providerEntryFields.join(', ')})`);
	const expect = (key: string, ok: boolean, what: string): void => {
		if (value[key] !== undefined && !ok) problem([key], `"${key}" must be ${what}`);
	};
	const label = value.label;
	const timeoutSeconds = wholeSeconds(value.timeoutSeconds);
	expect('timeoutSeconds', timeoutSeconds !== undefined, 'a whole number of seconds, 0 or more');
	expect('label', typeof label === 'string', 'a string');
	expect('preset', typeof preset === 'string', 'a preset name such as "openai"');
	expect('baseUrl', typeof baseUrl === 'string', 'a URL string');
	const models = Array.isArray(value.models) ? value.models.filter((model): model is string => typeof model === 'string') : [];
	expect('models', Array.isArray(value.models) && models.length === value.models.length, 'an array of model id strings');
	const headers = isRecord(value.headers) ? stringRecord(value.headers) : {};
	for (const [name, header] of Object.entries(isRecord(value.headers) ? value.headers : {})) {
		if (typeof header !== 'string') problem(['headers', name], `header "${name}" must be a string`);
	}
	expect('headers', isRecord(value.headers), 'an object of header names to strings');
	expect('extraBody', isRecord(value.extraBody), 'a JSON object');
	expect('maxOutputTokens', isOutputLimit(value.maxOutputTokens), 'a positive whole number of tokens, or null to send no output limit');
	return {
		id,
		label: typeof label === 'string' && label.trim() ? label.trim() : undefined,
		timeoutSeconds,
		preset: typeof preset === 'string' && !vscodeLm ? preset : undefined,
		protocol: vscodeLm ? 'vscode-lm' : protocol,
		baseUrl: typeof baseUrl === 'string' ? baseUrl : undefined,
		models,
		headers,
		extraBody: isRecord(value.extraBody) ? value.extraBody : {},
		auth,
		quirks: parseQuirks(value.quirks, problem),
		...(isOutputLimit(value.maxOutputTokens) && { maxOutputTokens: value.maxOutputTokens }),
	};
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
	return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function parseAuth(value: unknown): ProviderAuthSetting | undefined | 'invalid' {
	if (value === undefined || value === 'apiKey' || value === 'none') return value;
	if (isRecord(value) && typeof value.command === 'string' && value.command.trim()) return { command: value.command };
	return 'invalid';
}

/** Keeps only known quirk names with values of the right type. */
function parseQuirks(value: unknown, problem: (path: Array<string | number>, message: string) => void): Record<string, Partial<QuirkProfile>> | undefined {
	if (value === undefined) return undefined;
	if (!isRecord(value)) {
		problem(['quirks'], '"quirks" must map a model pattern to quirk settings, e.g. {"llama": {"supportsRequiredToolChoice": false}}');
		return undefined;
	}
	const result: Record<string, Partial<QuirkProfile>> = {};
	for (const [pattern, overrides] of Object.entries(value)) {
		if (!isRecord(overrides)) {
			problem(['quirks', pattern], `quirks "${pattern}" must be an object of quirk settings`);
			continue;
		}
		const kept: Partial<Record<keyof QuirkProfile, unknown>> = {};
		for (const [name, setting] of Object.entries(overrides)) {
			if (!Object.hasOwn(QUIRK_TYPES, name)) problem(['quirks', pattern, name], `unknown quirk "${name}" (known: ${Object.keys(QUIRK_TYPES).join(', ')})`);
			else if (!QUIRK_TYPES[name as keyof QuirkProfile](setting)) problem(['quirks', pattern, name], `quirk "${name}" has the wrong type (${name === 'systemPrompt' ? '"keep" or "fold"' : name === 'maxOutputTokens' ? 'a positive whole number or null' : 'true or false'})`);
			else kept[name as keyof QuirkProfile] = setting;
		}
		result[pattern] = kept as Partial<QuirkProfile>;
	}
	return result;
}

function wholeSeconds(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

/** `"<provider id>/<model id>"`; the model id may contain slashes (`openai/gpt-4o` on a gateway). */
export function parseModelRef(value: string): { provider: string; model: string } | undefined {
	const slash = value.indexOf('/');
	if (slash <= 0 || slash === value.length - 1) return undefined;
	return { provider: value.slice(0, slash), model: value.slice(slash + 1) };
}

/**
 * What the user reads for a provider in prompts and the panel: its label, else its preset's name ("Custom (OpenAI
 * protocol)", numbered as the add-provider flow numbers the ids: "custom-openai-2" → "… 2"), else its id.
 */
export function providerLabel(entry: Pick<ProviderEntry, 'id' | 'label' | 'preset'>): string {
	if (entry.label) return entry.label;
	if (entry.preset) {
		try {
			const preset = getPreset(entry.preset);
			if (entry.id === preset.name) return preset.label;
			const numbered = /^(.+)-(\d+)$/.exec(entry.id);
			if (numbered && numbered[1] === preset.name) return `${preset.label} ${numbered[2]}`;
		} catch {
			// An unknown preset is reported when the provider is used (engineSettings).
		}
	}
	return entry.id;
}

/** The entry's own auth, else its preset's, else an API key. */
export function authOf(entry: ProviderEntry): AuthConfig {
	if (entry.protocol === 'vscode-lm') return { type: 'none' };
	if (entry.auth === 'apiKey') return { type: 'apiKey' };
	if (entry.auth === 'none') return { type: 'none' };
	if (entry.auth) return { type: 'command', command: entry.auth.command };
	if (entry.preset) {
		try {
			return getPreset(entry.preset).auth;
		} catch {
			// An unknown preset is reported when the provider is used (engineSettings).
		}
	}
	return { type: 'apiKey' };
}

/**
 * Settings for the provider engine when talking to `model` (a gateway preset picks its endpoint per model).
 * `defaultTimeoutSeconds` is the front end's default (switchboard.requestTimeoutSeconds in VS Code).
 */
export function engineSettings(entry: ProviderEntry, model: string, defaultTimeoutSeconds = 0): EngineEntry {
	if (entry.protocol === 'vscode-lm') throw new ProviderConfigError(`Provider "${entry.id}" uses VS Code's language models, not an HTTP endpoint.`);
	const common = { id: entry.id, headers: entry.headers, extraBody: entry.extraBody, quirks: entry.quirks, ...(entry.maxOutputTokens !== undefined && { maxOutputTokens: entry.maxOutputTokens }) };
	let settings: ProviderSettings;
	if (entry.preset) {
		try {
			settings = settingsFromPreset(getPreset(entry.preset).name, { ...common, baseUrl: entry.baseUrl, model });
		} catch (error) {
			throw new ProviderConfigError(`Provider "${entry.id}": ${error instanceof Error ? error.message : String(error)}`);
		}
		if (entry.protocol) settings.protocol = entry.protocol;
	} else {
		if (!entry.protocol || !entry.baseUrl) throw new ProviderConfigError(`Provider "${entry.id}" needs "protocol" and "baseUrl", or a "preset".`);
		settings = { ...common, protocol: entry.protocol, baseUrl: entry.baseUrl };
	}
	// A stalled stream ends with a network error that says to retry or raise the timeout, rather than hanging.
	const seconds = entry.timeoutSeconds ?? defaultTimeoutSeconds;
	return { ...settings, timeoutMs: seconds > 0 ? seconds * 1000 : undefined, auth: authOf(entry) };
}
