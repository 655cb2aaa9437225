// MCP servers in VS Code: reads `switchboard.mcpServers`, and only when servers are configured loads the MCP code
// (the SDK is large; activation stays cheap without it). Servers start on the first turn that needs their tools,
// follow setting changes, and are offered only in a trusted workspace (their tools run programs). `${secret:NAME}`
// in env and headers is read from SecretStorage; a server can be disabled for one workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpConfig, McpServerConfig } from '../../mcp/mcpConfig';
import type { McpHub, McpServerStatus } from '../../mcp/mcpHub';
import type { AnyTool } from '../../tools/types';
import type { Log } from '../log';

export { joinTools } from '../../mcp/joinTools';

export const MCP_SETTING = 'switchboard.mcpServers';
/** SecretStorage key of `${secret:NAME}`. */
export const mcpSecretKey = (name: string): string => `switchboard.mcpSecret.${name}`;
const disabledKey = 'switchboard.mcp.disabled';

/** A server as the status list shows it: running ones from the hub, and those that are not started at all. */
export type McpServerRow = McpServerStatus | { name: string; transport: 'stdio' | 'http'; state: 'disabled' | 'unavailable'; lastError?: string };

export interface McpHostOptions {
	/** Where `${secret:NAME}` values are kept; without it such servers are reported and left out. */
	secrets?: vscode.SecretStorage;
	/** workspaceState: the servers disabled in this workspace. */
	state?: vscode.Memento;
}

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
	private readonly subscriptions: vscode.Disposable[] = [];
	private readonly statusChanged = new vscode.EventEmitter<void>();
	/** Configured servers that are not started: disabled here, or a secret they need is missing. */
	private notStarted: McpServerRow[] = [];
	private disposed = false;
	/** Fires when a server's state, error or tool count changes. */
	readonly onDidChangeStatus = this.statusChanged.event;

	constructor(private readonly log: Log, private readonly options: McpHostOptions = {}) {
		this.subscriptions.push(
			this.statusChanged,
			vscode.workspace.onDidChangeConfiguration((event) => {
				if (event.affectsConfiguration(MCP_SETTING)) this.reconfigureSoon();
			}),
		);
		if (options.secrets) {
			this.subscriptions.push(options.secrets.onDidChange((event) => {
				if (event.key.startsWith(mcpSecretKey(''))) this.reconfigureSoon();
			}));
		}
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

	/** Every configured server with its state, without starting any; empty in Restricted Mode. */
	async servers(): Promise<McpServerRow[]> {
		if (this.disposed || !vscode.workspace.isTrusted) return [];
		const raw = rawSetting();
		if (!this.hub && !hasServers(raw)) return [];
		await this.updating;
		const hub = await this.load(raw);
		// An error may quote what a server echoed back; the log's redaction keeps configured values out of it too.
		const rows = [...hub.servers, ...this.notStarted].map((row) => (row.lastError && this.log.redact ? { ...row, lastError: this.log.redact(row.lastError) } : row));
		return rows.sort((a, b) => a.name.localeCompare(b.name));
	}

	/** Stops the server and starts it again now (a failed one included). */
	async restart(name: string): Promise<void> {
		const connection = (await this.hub)?.connection(name);
		if (!connection) throw new Error(vscode.l10n.t('The MCP server "{0}" is not running; enable it or check its settings.', name));
		await connection.restart();
	}

	isDisabled(name: string): boolean {
		return this.disabled().includes(name);
	}

	/** Disables or enables a server for this workspace only; a disabled server is stopped and its tools are not offered. */
	async setDisabled(name: string, disabled: boolean): Promise<void> {
		const others = this.disabled().filter((n) => n !== name);
		await this.options.state?.update(disabledKey, disabled ? [...others, name] : others);
		this.reconfigureSoon();
		await this.updating;
	}

	/** Stops every server (their processes end); resolves when they have. */
	async close(): Promise<void> {
		this.disposed = true;
		for (const subscription of this.subscriptions) subscription.dispose();
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

	private disabled(): string[] {
		return this.options.state?.get<string[]>(disabledKey) ?? [];
	}

	private load(raw: unknown): Promise<McpHub> {
		this.hub ??= (async () => {
			const { McpHub } = await import('../../mcp/mcpHub.js');
			return new McpHub(await this.read(raw), { log: this.log, onStatusChanged: () => this.statusChanged.fire() });
		})();
		return this.hub;
	}

	private reconfigureSoon(): void {
		this.updating = this.updating.then(() => this.reconfigure());
	}

	private async reconfigure(): Promise<void> {
		// Not loaded yet: the next turn reads the setting anyway.
		if (!this.hub || this.disposed) return;
		try {
			const hub = await this.hub;
			await hub.update(await this.read(rawSetting()));
			this.statusChanged.fire();
		} catch (error) {
			this.log.error('Applying the MCP server settings failed', error);
		}
	}

	/**
	 * Validates the setting (problems go to the log), leaves out disabled servers, resolves secret references,
	 * registers every env and header value as a secret of the log, resolves relative cwds.
	 */
	private async read(raw: unknown): Promise<McpConfig> {
		const [{ readMcpConfig }, { resolveSecrets }] = await Promise.all([import('../../mcp/mcpConfig.js'), import('../../mcp/mcpSecrets.js')]);
		const { config, problems } = readMcpConfig({ servers: raw ?? {} });
		for (const problem of problems) this.log.warn(`${MCP_SETTING}: ${problem}`);
		const notStarted: McpServerRow[] = [];
		const enabled: Record<string, McpServerConfig> = {};
		for (const [name, server] of Object.entries(config.servers)) {
			if (this.isDisabled(name)) notStarted.push({ name, transport: server.type, state: 'disabled' });
			else enabled[name] = server;
		}
		const secrets = this.options.secrets;
		const resolved = await resolveSecrets({ servers: enabled }, async (name) => secrets?.get(mcpSecretKey(name)), 'Switchboard: Set MCP Secret');
		for (const value of resolved.values) this.log.addSecret(value);
		for (const problem of resolved.problems) this.log.warn(problem);
		for (const name of Object.keys(enabled)) {
			if (resolved.config.servers[name]) continue;
			const problem = resolved.problems.find((p) => p.startsWith(`MCP server '${name}'`));
			notStarted.push({ name, transport: enabled[name].type, state: 'unavailable', lastError: problem });
		}
		this.notStarted = notStarted;
		const servers: Record<string, McpServerConfig> = {};
		for (const [name, server] of Object.entries(resolved.config.servers)) {
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
