// list_directory: the entries of one workspace directory, directories first and marked with a trailing '/'.
import { pathApproval } from './pathApproval';
import { phrase } from './phrases';
import { defineTool, type AnyTool } from './types';

export interface ListDirectoryInput {
	path: string;
}

const maxEntries = 1000;

export const listDirectoryTool: AnyTool = defineTool<ListDirectoryInput>({
	name: 'list_directory',
	description: 'List the files and folders in a workspace directory. Use "." for the workspace root. Folders end with "/".',
	inputSchema: {
		type: 'object',
		properties: {
			path: { type: 'string', description: 'Directory path relative to the workspace root; "." is the root.' },
		},
		required: ['path'],
		additionalProperties: false,
	},
	risk: 'read',
	parse: (raw) => raw as ListDirectoryInput,
	async approval(input, context) {
		return pathApproval('read', phrase('list', input.path || '.'), await context.workspace.resolve(input.path || '.'));
	},
	async invoke(input, context) {
		const target = await context.workspace.resolve(input.path || '.');
		const entries = await context.workspace.listDirectory(target, context.signal);
		if (entries.length === 0) return { type: 'text', value: `${target.display} is empty.` };
		const lines = entries.slice(0, maxEntries).map((entry) => entry.type === 'directory' ? `${entry.name}/` : entry.name);
		if (entries.length > maxEntries) lines.push(`[${entries.length - maxEntries} more entries not shown]`);
		return { type: 'text', value: lines.join('\n') };
	},
});
