// MCP servers in VS Code: reads `switchboard.mcpServers`, and only when servers are configured loads the MCP code
// (the SDK is large; activation stays cheap without it). Servers start on the first turn that needs their tools,
// follow setting changes, and are offered only in a trusted workspace (their tools run programs).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpConfig, McpServerConfig } from '../mcp/mcpConfig';
import type { McpHub } from '../mcp/mcpHub';
import type { AnyTool } from '../tools/types';
import type { Log } from './log';

export const MCP_SETTING = 'switchboard.mcpServers';

/** The setting read from the user's own settings only: a workspace must not be able to start processes. */
function rawSetting(): unknown {
	return vscode.workspace.getConfiguration('switchboard').inspect<unknown>('mcpServers')?.globalValue;
}

function hasServers(raw: unknown): boolean {
	return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.keys(raw).length > 0;
}

export class McpHost implements vscode.Disposable {
	private hub: Promise<McpHub> | undefined;
	/** A settings change being applied; a turn waits for it so it never sees the old servers' tools. */
	private updating: Promise<void> = Promise.resolve();
	private readonly subscription: vscode.Disposable;
	private disposed = false;

	constructor(private readonly log: Log) {
		this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
			if (event.affectsConfiguration(MCP_SETTING)) this.updating = this.updating.then(() => this.reconfigure());
		});
	}

	/**
	 * The tools of every configured server, starting those not yet running; none in Restricted Mode. Never
	 * rejects: a server that fails is logged and the turn goes on without its tools.
	 */
	async tools(signal?: AbortSignal): Promise<AnyTool[]> {
		if (this.disposed || !vscode.workspace.isTrusted) return [];
		const raw = rawSetting();
		if (!this.hub && !hasServers(raw)) return [];
		try {
			await this.updating;
			return await (await this.load(raw)).tools(signal);
		} catch (error) {
			this.log.error('The MCP tools are not available', error);
			return [];
		}
	}

	/** Names and states of the servers, for the log and the tests; empty until MCP was first needed. */
	async servers(): Promise<Array<{ name: string; state: string; starts: number }>> {
		return this.hub ? (await this.hub).servers : [];
	}

	/** Stops every server (their processes end); resolves when they have. */
	async close(): Promise<void> {
		this.disposed = true;
		this.subscription.dispose();
		const hub = this.hub;
		this.hub = undefined;
		try {
			await (await hub)?.dispose();
		} catch (error) {
			this.log.error('Stopping the MCP servers failed', error);
		}
	}

	dispose(): void {
		void this.close();
	}

	private load(raw: unknown): Promise<McpHub> {
		this.hub ??= (async () => {
			const { McpHub } = await import('../mcp/mcpHub.js');
			return new McpHub(await this.read(raw), { log: this.log });
		})();
		return this.hub;
	}

	private async reconfigure(): Promise<void> {
		// Not loaded yet: the next turn reads the setting anyway.
		if (!this.hub || this.disposed) return;
		try {
			const hub = await this.hub;
			await hub.update(await this.read(rawSetting()));
		} catch (error) {
			this.log.error('Applying the MCP server settings failed', error);
		}
	}

	/** Validates the setting (problems go to the log), registers its credentials as secrets, resolves relative cwds. */
	private async read(raw: unknown): Promise<McpConfig> {
		const { readMcpConfig } = await import('../mcp/mcpConfig.js');
		const { config, problems } = readMcpConfig({ servers: raw ?? {} });
		for (const problem of problems) this.log.warn(`${MCP_SETTING}: ${problem}`);
		const servers: Record<string, McpServerConfig> = {};
		for (const [name, server] of Object.entries(config.servers)) {
			const values = server.type === 'http' ? Object.values(server.headers ?? {}) : Object.values(server.env ?? {});
			for (const value of values) this.log.addSecret(value);
			servers[name] = server.type === 'stdio' && server.cwd && !path.isAbsolute(server.cwd)
				? { ...server, cwd: resolveCwd(server.cwd) }
				: server;
		}
		return { servers };
	}
}

/** A relative cwd is taken from the first workspace folder (the process's own cwd means nothing to the user). */
function resolveCwd(cwd: string): string {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
	return folder?.scheme === 'file' ? path.resolve(folder.fsPath, cwd) : cwd;
}

/** The built-in tools, then the MCP tools whose names are free (a built-in tool keeps its name). */
export function joinTools(builtIn: readonly AnyTool[], mcp: readonly AnyTool[], log: Log): AnyTool[] {
	const names = new Set(builtIn.map((tool) => tool.name));
	const joined = [...builtIn];
	for (const tool of mcp) {
		if (names.has(tool.name)) log.warn(`MCP tool '${tool.name}' is left out: a built-in tool has the same name.`);
		else joined.push(tool);
	}
	return joined;
}
