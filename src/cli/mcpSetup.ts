// --mcp-config FILE: the servers of a JSON object shaped like the `switchboard.mcpServers` setting, started for
// this run, their tools offered under the same names as in the extension; stopped when the conversation ends.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { McpConfigError, parseMcpConfig, type McpConfig, type McpServerConfig } from '../mcp/mcpConfig';
import { secretNames } from '../mcp/mcpSecrets';
import type { AnyTool } from '../tools/types';
import { UsageError } from './args';

export interface CliMcpConfig {
	config: McpConfig;
	/** The configured env and header values, to be kept out of what the CLI prints. */
	secrets: string[];
}

export interface CliMcp {
	tools: AnyTool[];
	close(): Promise<void>;
}

/** Reads and checks the file; `cwdBase` resolves a relative "cwd" (the --workspace directory, else the current one). */
export async function readMcpFile(file: string, cwdBase: string): Promise<CliMcpConfig> {
	let raw: unknown;
	try {
		raw = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (error) {
		throw new UsageError(`--mcp-config ${file}: ${(error as Error).message}. It must be a JSON object shaped like the switchboard.mcpServers setting, e.g. {"docs": {"command": "npx", "args": ["-y", "some-mcp-server"]}}.`);
	}
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		throw new UsageError(`--mcp-config ${file}: expected a JSON object mapping a server name to its settings, e.g. {"docs": {"url": "https://example.com/mcp"}}.`);
	}
	let servers: Record<string, McpServerConfig>;
	try {
		servers = parseMcpConfig({ servers: raw }).servers;
	} catch (error) {
		if (error instanceof McpConfigError) throw new UsageError(`--mcp-config ${file}: ${error.message}`);
		throw error;
	}
	const secrets: string[] = [];
	for (const [name, server] of Object.entries(servers)) {
		const references = secretNames(server);
		if (references.length > 0) {
			throw new UsageError(`--mcp-config ${file}: MCP server '${name}' refers to \${secret:${references[0]}}, which only VS Code's secret storage holds. Put the value in the file instead (keep the file private), or leave this server out.`);
		}
		secrets.push(...Object.values(server.type === 'http' ? server.headers ?? {} : server.env ?? {}));
		if (server.type === 'stdio' && server.cwd && !path.isAbsolute(server.cwd)) servers[name] = { ...server, cwd: path.resolve(cwdBase, server.cwd) };
	}
	return { config: { servers }, secrets };
}

/** Starts every server and lists its tools; a server that does not start is reported and left out, as in VS Code. */
export async function startMcp(config: McpConfig, logLine: (line: string) => void, signal: AbortSignal): Promise<CliMcp> {
	// Loaded only when asked for: the MCP SDK is large and most runs do not use it.
	const { McpHub } = await import('../mcp/mcpHub.js');
	const log = { info: logLine, warn: logLine, error: logLine };
	const hub = new McpHub(config, { log });
	try {
		return { tools: await hub.tools(signal), close: () => hub.dispose() };
	} catch (error) {
		await hub.dispose();
		throw error;
	}
}
