// The CLI's config file, so a user does not repeat flags: providers in the shape of `switchboard.providers`, a
// default model and `mcpServers`, as JSON with comments like VS Code's settings.json. Keys never live in it: an
// entry names the environment variable holding its key (`apiKeyEnv`), and other secret values are written as
// `${env:NAME}`. Every problem is reported as file:line:column with the fix, and the whole file is refused.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { readMcpConfig, type McpConfig } from '../mcp/mcpConfig';
import { parseModelRef, readProviderEntry, type EntryProblem, type ProviderEntry } from '../providers/providerConfig';
import { UsageError } from './args';

export interface CliProviderEntry extends ProviderEntry {
	/** The environment variable holding this provider's key. */
	apiKeyEnv?: string;
}

export interface CliConfig {
	file: string;
	providers: CliProviderEntry[];
	defaultModel?: { provider: string; model: string };
	/** The file's mcpServers (the shape --mcp-config takes), and their env and header values to keep out of output. */
	mcp?: { config: McpConfig; secrets: string[] };
}

/** The file is missing or invalid: a usage mistake (exit code 2), the message names the file and line. */
export class ConfigFileError extends UsageError {}

const topLevelKeys = ['providers', 'defaultModel', 'mcpServers'];
const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envReference = /\$\{env:([^}]*)\}/g;
// Fields where someone might paste a key; the message says where it goes instead.
const keyFields = /^(api[-_]?key|key|token|secret|password|accessToken|bearer)$/i;
// Headers that carry credentials: their value must come from the environment.
const credentialHeaders = /^(authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|cookie)$/i;
// Environment entries for MCP servers whose names say they hold a secret.
const secretEnvNames = /(token|key|secret|password|credentials?)$/i;

/** $XDG_CONFIG_HOME/switchboard/config.json (else ~/.config/…) on Linux and macOS, %APPDATA%\switchboard\config.json on Windows. */
export function defaultConfigPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
	if (platform === 'win32') {
		const appData = env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
		return path.win32.join(appData, 'switchboard', 'config.json');
	}
	// The XDG spec says a relative XDG_CONFIG_HOME is invalid and is ignored.
	const xdg = env.XDG_CONFIG_HOME && path.posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.posix.join(home, '.config');
	return path.posix.join(xdg, 'switchboard', 'config.json');
}

/**
 * Reads the config file. `explicit` (--config FILE) must exist; the default file may be absent (undefined).
 * `${env:NAME}` in MCP servers' env and headers is filled in from `env` here, since every server is started.
 */
export function loadConfig(file: string, explicit: boolean, env: NodeJS.ProcessEnv): CliConfig | undefined {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' && !explicit) return undefined;
		if (code === 'ENOENT') throw new ConfigFileError(`--config ${file}: there is no such file.`);
		throw new ConfigFileError(`Cannot read the config file ${file}: ${(error as Error).message}`);
	}
	return parseConfig(text, file, env);
}

export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv): CliConfig {
	const errors: ParseError[] = [];
	const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
	const at = (offset: number): string => `${file}:${position(text, offset)}`;
	if (errors.length > 0) {
		const lines = errors.slice(0, 5).map((error) => `${at(error.offset)}: ${syntaxMessage(printParseErrorCode(error.error))}`);
		throw new ConfigFileError(`The config file is not valid JSON:\n${lines.join('\n')}`);
	}
	if (!root || root.type !== 'object') {
		throw new ConfigFileError(`${at(root?.offset ?? 0)}: the config file must hold one JSON object, e.g. {"providers": [{"id": "openai", "preset": "openai", "models": ["gpt-4o"], "apiKeyEnv": "OPENAI_API_KEY"}]}.`);
	}
	// Through JSON once more: plain objects (the parser makes prototype-less ones) that checks may change in place.
	const value = JSON.parse(JSON.stringify(getNodeValue(root))) as Record<string, unknown>;
	const problems: EntryProblem[] = [];
	for (const key of Object.keys(value)) if (!topLevelKeys.includes(key)) problems.push({ path: [key], message: `unknown setting "${key}" (allowed: ${topLevelKeys.join(', ')})` });
	const providers = readProviders(value.providers, problems);
	const defaultModel = readDefaultModel(value.defaultModel, providers, problems);
	const mcp = readServers(value.mcpServers, path.dirname(file), env, problems);
	if (problems.length > 0) {
		const lines = problems.slice(0, 10).map((problem) => `${at(offsetOf(root, problem.path))}: ${problem.message}`);
		if (problems.length > 10) lines.push(`… and ${problems.length - 10} more`);
		throw new ConfigFileError(`The config file has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${lines.join('\n')}`);
	}
	return { file, providers, defaultModel, mcp };
}

function readProviders(raw: unknown, problems: EntryProblem[]): CliProviderEntry[] {
	if (raw === undefined) return [];
	if (!Array.isArray(raw)) {
		problems.push({ path: ['providers'], message: '"providers" must be an array of provider entries, as in switchboard.providers' });
		return [];
	}
	const entries: CliProviderEntry[] = [];
	raw.forEach((item: unknown, index) => {
		const where = ['providers', index];
		const local: EntryProblem[] = [];
		let apiKeyEnv: string | undefined;
		let rest = item;
		if (isRecord(item)) {
			const { apiKeyEnv: named, ...others } = item;
			rest = others;
			for (const key of Object.keys(others)) {
				if (keyFields.test(key)) {
					local.push({ path: [key], message: `keys are never read from the config file: put the key in an environment variable and name it, e.g. "apiKeyEnv": "${suggestEnvName(item.id)}"` });
					delete (others as Record<string, unknown>)[key];
				}
			}
			if (named !== undefined && (typeof named !== 'string' || !envNamePattern.test(named))) {
				local.push({ path: ['apiKeyEnv'], message: '"apiKeyEnv" takes the NAME of an environment variable (e.g. "OPENAI_API_KEY"), not the key itself' });
			} else apiKeyEnv = named;
			checkLiteralSecrets(others.headers, ['headers'], credentialHeaders, local);
		}
		const entry = readProviderEntry(rest, local);
		problems.push(...local.map((problem) => ({ path: [...where, ...problem.path], message: problem.message })));
		if (!entry) return;
		if (entries.some((other) => other.id === entry.id)) problems.push({ path: [...where, 'id'], message: `a second provider with id "${entry.id}"; ids must be unique` });
		entries.push(apiKeyEnv ? { ...entry, apiKeyEnv } : entry);
	});
	return entries;
}

function readDefaultModel(raw: unknown, providers: readonly CliProviderEntry[], problems: EntryProblem[]): CliConfig['defaultModel'] {
	if (raw === undefined) return undefined;
	const ref = typeof raw === 'string' ? parseModelRef(raw) : undefined;
	if (!ref) {
		problems.push({ path: ['defaultModel'], message: '"defaultModel" must be "<provider id>/<model id>", e.g. "openai/gpt-4o"' });
		return undefined;
	}
	if (!providers.some((entry) => entry.id === ref.provider)) {
		problems.push({ path: ['defaultModel'], message: `"defaultModel" names the provider "${ref.provider}", which is not in "providers" (${providers.map((entry) => entry.id).join(', ') || 'none'})` });
	}
	return ref;
}

function readServers(raw: unknown, folder: string, env: NodeJS.ProcessEnv, problems: EntryProblem[]): CliConfig['mcp'] {
	if (raw === undefined) return undefined;
	if (!isRecord(raw)) {
		problems.push({ path: ['mcpServers'], message: '"mcpServers" must map a server name to its settings, as in switchboard.mcpServers' });
		return undefined;
	}
	const servers: McpConfig['servers'] = {};
	const secrets: string[] = [];
	for (const [name, server] of Object.entries(raw)) {
		const where = ['mcpServers', name];
		const before = problems.length;
		if (isRecord(server)) {
			for (const field of ['env', 'headers']) {
				const local: EntryProblem[] = [];
				checkLiteralSecrets(server[field], [field], field === 'env' ? secretEnvNames : credentialHeaders, local);
				problems.push(...local.map((problem) => ({ path: [...where, ...problem.path], message: `MCP server '${name}': ${problem.message}` })));
				const values = server[field];
				if (isRecord(values)) {
					for (const [key, text] of Object.entries(values)) {
						if (typeof text !== 'string') continue;
						try {
							values[key] = expandEnv(text, env);
						} catch (error) {
							problems.push({ path: [...where, field, key], message: `MCP server '${name}': ${(error as Error).message}` });
						}
					}
				}
			}
		}
		const reading = readMcpConfig({ servers: { [name]: server } });
		problems.push(...reading.problems.map((message) => ({ path: where, message })));
		const read = reading.config.servers[name];
		if (problems.length > before || !read) continue;
		secrets.push(...Object.values(read.type === 'http' ? read.headers ?? {} : read.env ?? {}));
		// A relative "cwd" is taken from the file's own folder, wherever the CLI is run from.
		servers[name] = read.type === 'stdio' && read.cwd && !path.isAbsolute(read.cwd) ? { ...read, cwd: path.resolve(folder, read.cwd) } : read;
	}
	return { config: { servers }, secrets };
}

/** A value under a credential-looking name must be a `${env:NAME}` reference, never the secret itself. */
function checkLiteralSecrets(values: unknown, where: Array<string | number>, names: RegExp, problems: EntryProblem[]): void {
	if (!isRecord(values)) return;
	for (const [name, text] of Object.entries(values)) {
		if (typeof text === 'string' && names.test(name) && text.trim() !== '' && !new RegExp(envReference.source).test(text)) {
			problems.push({ path: [...where, name], message: `"${name}" holds a secret written in the file; put it in an environment variable and write "\${env:${suggestEnvName(name)}}" instead` });
		}
	}
}

/** Replaces each `${env:NAME}` with the variable's value; a variable that is not set is an error naming it. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
	return text.replace(envReference, (_whole, name: string) => {
		if (!envNamePattern.test(name)) throw new Error(`"\${env:${name}}" does not name an environment variable`);
		const value = env[name];
		if (value === undefined || value === '') throw new Error(`the environment variable ${name} is not set (referenced as \${env:${name}})`);
		return value;
	});
}

/** The variables `${env:NAME}` references in `text` reads. */
export function envNames(text: string): string[] {
	return [...text.matchAll(envReference)].map((match) => match[1]);
}

function suggestEnvName(id: unknown): string {
	const base = typeof id === 'string' && id ? id.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') : 'PROVIDER';
	return /KEY|TOKEN/.test(base) ? base : `${base}_API_KEY`;
}

/** The deepest node on `keys` that exists: an unknown or misspelt field is reported at its own key. */
function offsetOf(root: Node, keys: ReadonlyArray<string | number>): number {
	for (let length = keys.length; length >= 0; length--) {
		const node = findNodeAtLocation(root, keys.slice(0, length) as Array<string | number>);
		if (node) return node.parent?.type === 'property' ? node.parent.offset : node.offset;
	}
	return root.offset;
}

function position(text: string, offset: number): string {
	const before = text.slice(0, offset);
	const line = before.split('\n').length;
	const column = offset - before.lastIndexOf('\n');
	return `${line}:${column}`;
}

function syntaxMessage(code: string): string {
	const words: Record<string, string> = {
		InvalidSymbol: 'unexpected character', InvalidNumberFormat: 'not a valid number', PropertyNameExpected: 'expected a "quoted" property name',
		ValueExpected: 'expected a value', ColonExpected: 'expected ":" after the property name', CommaExpected: 'expected "," between entries',
		CloseBraceExpected: 'expected "}"', CloseBracketExpected: 'expected "]"', EndOfFileExpected: 'unexpected text after the end of the object',
		UnexpectedEndOfString: 'a string is not closed with "', UnexpectedEndOfComment: 'a /* comment is not closed',
		InvalidEscapeCharacter: 'not a valid escape in a string', InvalidCharacter: 'a control character inside a string',
	};
	return words[code] ?? code;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
