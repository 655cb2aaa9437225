// Tools by model-facing name, and the specs the provider sends. One registry per conversation or CLI run.
import type { ToolSpec } from '../providers/types';
import { findFilesTool } from './findFiles';
import { listDirectoryTool } from './listDirectory';
import { readFileTool } from './readFile';
import { searchTextTool } from './searchText';
import type { AnyTool } from './types';

/** The read-only workspace tools, in the order they are offered to the model. */
export const workspaceTools: readonly AnyTool[] = [readFileTool, searchTextTool, findFilesTool, listDirectoryTool];

export class ToolRegistry {
	private readonly tools = new Map<string, AnyTool>();

	constructor(tools: readonly AnyTool[] = []) {
		for (const tool of tools) this.register(tool);
	}

	/** Throws on a second tool with the same name: the model could not tell them apart. */
	register(tool: AnyTool): void {
		if (this.tools.has(tool.name)) throw new Error(`Two tools are named '${tool.name}'; tool names must be unique.`);
		this.tools.set(tool.name, tool);
	}

	get(name: string): AnyTool | undefined {
		return this.tools.get(name);
	}

	list(): AnyTool[] {
		return [...this.tools.values()];
	}

	get size(): number {
		return this.tools.size;
	}

	specs(): ToolSpec[] {
		return this.list().map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }));
	}
}
