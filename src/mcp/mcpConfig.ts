// The `switchboard.mcpServers` setting: Model Context Protocol servers by name, each reached over stdio (a
// process we start) or Streamable HTTP (a URL). Validated here, with one message per problem naming the server
// and field, so one bad entry is reported and skipped while the other servers still run.
import type { Risk } from '../tools/types';

export interface StdioServerConfig {
	type: 'stdio';
	command: string;
	args?: string[];
	/** Added to the SDK's default environment (PATH, HOME, …), not a replacement for it. */
	env?: Record<string, string>;
	cwd?: string;
	/** Per-tool risk overrides by the server's own tool name; unlisted tools are 'execute'. */
	toolRisk?: Record<string, Risk>;
	/** How long a tool call may go without a result or a progress report (default 600). */
	callTimeoutSeconds?: number;
}

export interface HttpServerConfig {
	type: 'http';
	url: string;
	headers?: Record<string, string>;
	toolRisk?: Record<string, Risk>;
	callTimeoutSeconds?: number;
}

export type McpServerConfig = StdioServerConfig | HttpServerConfig;

export interface McpConfig {
	servers: Record<string, McpServerConfig>;
}

/** The valid servers, and one line per problem for the log or a notification. */
export interface McpConfigReading {
	config: McpConfig;
	problems: string[];
}

/** Thrown by parseMcpConfig when any entry is invalid; `problems` has every message. */
export class McpConfigError extends Error {
	override readonly name = 'McpConfigError';
	constructor(readonly problems: readonly string[]) {
		super(`Invalid MCP server configuration:\n${problems.map((p) => `- ${p}`).join('\n')}`);
	}
}

const risks: readonly Risk[] = ['read', 'write', 'execute'];
const stdioKeys = new Set(['type', 'command', 'args', 'env', 'cwd', 'toolRisk', 'callTimeoutSeconds']);
const httpKeys = new Set(['type', 'url', 'headers', 'toolRisk', 'callTimeoutSeconds']);
const maxCallTimeoutSeconds = 86_400;

/** Strict: throws McpConfigError listing every problem. For tests, the CLI and anything that must not half-work. */
export function parseMcpConfig(raw: unknown): McpConfig {
	const reading = readMcpConfig(raw);
	if (reading.problems.length > 0) throw new McpConfigError(reading.problems);
	return reading.config;
}

/**
 * Lenient: keeps the valid servers and reports the rest. Accepts the setting's value, `{ servers: {...} }`,
 * or undefined (no servers). `type` may be left out when `command` or `url` makes it plain.
 */
export function readMcpConfig(raw: unknown): McpConfigReading {
	const servers: Record<string, McpServerConfig> = {};
	const problems: string[] = [];
	if (raw === undefined || raw === null) return { config: { servers }, problems };
	if (!isRecord(raw)) return { config: { servers }, problems: ['The MCP configuration must be an object with a "servers" object.'] };
	const entries = raw.servers ?? {};
	if (!isRecord(entries)) return { config: { servers }, problems: ['"servers" must be an object mapping a server name to its settings.'] };
	for (const [name, entry] of Object.entries(entries)) {
		const before = problems.length;
		const server = readServer(name, entry, problems);
		if (server && problems.length === before) servers[name] = server;
	}
	return { config: { servers }, problems };
}

function readServer(name: string, entry: unknown, problems: string[]): McpServerConfig | undefined {
	const where = `MCP server '${name}'`;
	if (name.trim() === '') {
		problems.push('An MCP server has an empty name; give it a name such as "github".');
		return undefined;
	}
	if (!isRecord(entry)) {
		problems.push(`${where}: expected an object with "command" (stdio) or "url" (http).`);
		return undefined;
	}
	const type = entry.type ?? (entry.command !== undefined ? 'stdio' : entry.url !== undefined ? 'http' : undefined);
	if (type === 'stdio') return readStdio(where, entry, problems);
	if (type === 'http') return readHttp(where, entry, problems);
	if (type === undefined) problems.push(`${where}: set "command" to start a process (stdio) or "url" to connect over HTTP.`);
	else problems.push(`${where}: "type" must be "stdio" or "http", got ${JSON.stringify(type)}.`);
	return undefined;
}

function readStdio(where: string, entry: Record<string, unknown>, problems: string[]): StdioServerConfig | undefined {
	unknownKeys(where, entry, stdioKeys, problems);
	const { command, args, cwd } = entry;
	if (typeof command !== 'string' || command.trim() === '') {
		problems.push(`${where}: "command" must be a non-empty string, the program to start (e.g. "npx").`);
		return undefined;
	}
	const server: StdioServerConfig = { type: 'stdio', command };
	if (args !== undefined) {
		if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) problems.push(`${where}: "args" must be an array of strings.`);
		else server.args = args;
	}
	const env = stringMap(where, 'env', entry.env, problems);
	if (env) server.env = env;
	if (cwd !== undefined) {
		if (typeof cwd !== 'string' || cwd === '') problems.push(`${where}: "cwd" must be a non-empty string (a directory).`);
		else server.cwd = cwd;
	}
	const toolRisk = readToolRisk(where, entry.toolRisk, problems);
	if (toolRisk) server.toolRisk = toolRisk;
	const timeout = readTimeout(where, entry.callTimeoutSeconds, problems);
	if (timeout !== undefined) server.callTimeoutSeconds = timeout;
	return server;
}

function readHttp(where: string, entry: Record<string, unknown>, problems: string[]): HttpServerConfig | undefined {
	unknownKeys(where, entry, httpKeys, problems);
	const { url } = entry;
	if (typeof url !== 'string') {
		problems.push(`${where}: "url" must be a string such as "https://example.com/mcp".`);
		return undefined;
	}
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		problems.push(`${where}: "url" is not a valid URL: ${JSON.stringify(url)}.`);
		return undefined;
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		problems.push(`${where}: "url" must start with http:// or https://, got ${parsed.protocol}//.`);
		return undefined;
	}
	const server: HttpServerConfig = { type: 'http', url };
	const headers = stringMap(where, 'headers', entry.headers, problems);
	if (headers) server.headers = headers;
	const toolRisk = readToolRisk(where, entry.toolRisk, problems);
	if (toolRisk) server.toolRisk = toolRisk;
	const timeout = readTimeout(where, entry.callTimeoutSeconds, problems);
	if (timeout !== undefined) server.callTimeoutSeconds = timeout;
	return server;
}

function stringMap(where: string, field: string, value: unknown, problems: string[]): Record<string, string> | undefined {
	if (value === undefined) return undefined;
	if (!isRecord(value)) {
		problems.push(`${where}: "${field}" must be an object of string values.`);
		return undefined;
	}
	const bad = Object.entries(value).filter(([, v]) => typeof v !== 'string').map(([k]) => k);
	if (bad.length > 0) {
		problems.push(`${where}: "${field}" values must be strings; fix ${bad.map((k) => `"${k}"`).join(', ')}.`);
		return undefined;
	}
	return value as Record<string, string>;
}

function readToolRisk(where: string, value: unknown, problems: string[]): Record<string, Risk> | undefined {
	if (value === undefined) return undefined;
	if (!isRecord(value)) {
		problems.push(`${where}: "toolRisk" must map tool names to "read", "write" or "execute".`);
		return undefined;
	}
	const result: Record<string, Risk> = {};
	for (const [tool, risk] of Object.entries(value)) {
		if (typeof risk === 'string' && (risks as readonly string[]).includes(risk)) result[tool] = risk as Risk;
		else problems.push(`${where}: "toolRisk.${tool}" must be "read", "write" or "execute", got ${JSON.stringify(risk)}.`);
	}
	return result;
}

function readTimeout(where: string, value: unknown, problems: string[]): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= maxCallTimeoutSeconds) return value;
	problems.push(`${where}: "callTimeoutSeconds" must be a whole number of seconds from 1 to ${maxCallTimeoutSeconds}, got ${JSON.stringify(value)}.`);
	return undefined;
}

function unknownKeys(where: string, entry: Record<string, unknown>, known: ReadonlySet<string>, problems: string[]): void {
	// A misspelt key ("arg", "environment") would otherwise be silently ignored.
	const unknown = Object.keys(entry).filter((key) => !known.has(key));
	if (unknown.length > 0) problems.push(`${where}: unknown ${unknown.length === 1 ? 'field' : 'fields'} ${unknown.map((k) => `"${k}"`).join(', ')} (allowed: ${[...known].join(', ')}).`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
