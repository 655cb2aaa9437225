// list_directory: the entries of one workspace directory, directories first and marked with a trailing '/'.
import { pathApproval } from './pathApproval';
import { phrase } from './phrases';
import { objectSchema, parseArguments, type FromSchema } from './schema';
import { defineTool, type AnyTool } from './types';

const maxEntries = 1000;

const schema = objectSchema({
	type: 'object',
	properties: {
		path: { type: 'string', description: 'Directory path relative to the workspace root; "." is the root.' },
	},
	required: ['path'],
	additionalProperties: false,
});

export type ListDirectoryInput = FromSchema<typeof schema>;

export const listDirectoryTool: AnyTool = defineTool<ListDirectoryInput>({
	name: 'list_directory',
	description: 'List the files and folders in a workspace directory. Use "." for the workspace root. Folders end with "/".',
	inputSchema: schema,
	risk: 'read',
	parse: (raw) => parseArguments(schema, raw),
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
