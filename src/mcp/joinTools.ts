// Where MCP tools meet the built-in ones. Its own small file with no SDK import, so the extension can use it
// without loading the MCP code until a server is configured.
import type { AnyTool } from '../tools/types';

/** The built-in tools, then the MCP tools whose names are free (a built-in tool keeps its name). */
export function joinTools(builtIn: readonly AnyTool[], mcp: readonly AnyTool[], log: { warn(message: string): void }): AnyTool[] {
	const names = new Set(builtIn.map((tool) => tool.name));
	const joined = [...builtIn];
	for (const tool of mcp) {
		if (names.has(tool.name)) log.warn(`MCP tool '${tool.name}' is left out: a built-in tool has the same name.`);
		else joined.push(tool);
	}
	return joined;
}
