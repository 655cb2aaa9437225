// The shapes callers of the MCP connection see: our own, so no SDK type leaves src/mcp.

/** Structurally the host's Log, so it can be passed as is. */
export interface McpLog {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
}

/** A tool as the server lists it. */
export interface McpToolInfo {
	name: string;
	title?: string;
	description?: string;
	inputSchema: Record<string, unknown>;
}

/** One content block of a result, in the MCP wire shape (text, image, audio, resource, resource_link). */
export type McpContent = { type: string } & Record<string, unknown>;

export interface McpCallResult {
	content: McpContent[];
	structuredContent?: Record<string, unknown>;
	isError: boolean;
}

/** A server's `notifications/progress`: `progress` grows; `total` when the server knows it. */
export interface McpProgress {
	progress: number;
	total?: number;
	message?: string;
}
