// All configured MCP servers: one connection each, their tools collected for a turn. A server that does not start
// is logged and left out of that turn's tools rather than failing the chat.
import type { AnyTool } from '../tools/types';
import { McpServerConnection, type McpConnectionOptions, type McpConnectionStatus } from './mcpClient';
import type { McpConfig, McpServerConfig } from './mcpConfig';
import { createMcpTools } from './mcpTools';

/** Shared by every server; `onToolsChanged` also fires when update() removed or replaced a server. */
export type McpHubOptions = McpConnectionOptions;

export interface McpServerStatus extends McpConnectionStatus {
	name: string;
	transport: 'stdio' | 'http';
}

export class McpHub {
	private readonly connections = new Map<string, McpServerConnection>();

	constructor(config: McpConfig, private readonly options: McpHubOptions) {
		for (const [name, server] of Object.entries(config.servers)) this.add(name, server);
	}

	get servers(): McpServerStatus[] {
		return [...this.connections.values()].map((c) => ({ name: c.name, transport: c.config.type, ...c.status }));
	}

	connection(name: string): McpServerConnection | undefined {
		return this.connections.get(name);
	}

	/** Applies a new configuration: removed or changed servers are stopped; unchanged ones keep running. */
	async update(config: McpConfig): Promise<void> {
		const stopping: Array<Promise<void>> = [];
		for (const [name, connection] of this.connections) {
			const next = config.servers[name];
			if (next && sameConfig(next, connection.config)) continue;
			this.connections.delete(name);
			stopping.push(connection.dispose());
		}
		for (const [name, server] of Object.entries(config.servers)) if (!this.connections.has(name)) this.add(name, server);
		await Promise.all(stopping);
		if (stopping.length > 0) this.options.onToolsChanged?.();
	}

	/**
	 * Every server's tools, starting the servers not yet running. Names are `<server>__<tool>`; when two
	 * sanitize to the same name the first keeps it and the other is left out with a warning.
	 */
	async tools(signal?: AbortSignal): Promise<AnyTool[]> {
		const connections = [...this.connections.values()];
		const listed = await Promise.allSettled(connections.map((c) => c.listTools(signal)));
		const tools: AnyTool[] = [];
		const seen = new Set<string>();
		listed.forEach((result, index) => {
			const connection = connections[index];
			if (result.status === 'rejected') {
				if (!signal?.aborted) this.options.log.warn(`MCP ${connection.name}: its tools are not available: ${messageOf(result.reason)}`);
				return;
			}
			for (const tool of createMcpTools(connection.name, connection, result.value, { toolRisk: connection.config.toolRisk })) {
				if (seen.has(tool.name)) {
					this.options.log.warn(`MCP ${connection.name}: tool '${tool.name}' is left out: another MCP tool has the same name.`);
					continue;
				}
				seen.add(tool.name);
				tools.push(tool);
			}
		});
		return tools;
	}

	async dispose(): Promise<void> {
		const connections = [...this.connections.values()];
		this.connections.clear();
		await Promise.all(connections.map((c) => c.dispose()));
	}

	private add(name: string, config: McpServerConfig): void {
		this.connections.set(name, new McpServerConnection(name, config, this.options));
	}
}

function sameConfig(a: McpServerConfig, b: McpServerConfig): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
