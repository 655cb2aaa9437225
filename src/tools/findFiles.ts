// find_files: workspace files whose path matches a glob (respects .gitignore when ripgrep is available).
import { approvalInfo } from './pathApproval';
import { phrase } from './phrases';
import { objectSchema, parseArguments, type FromSchema } from './schema';
import { defineTool, type AnyTool } from './types';

const defaultMaxResults = 200;

const schema = objectSchema({
	type: 'object',
	properties: {
		glob: { type: 'string', minLength: 1, description: 'Glob pattern; comma-separate several.' },
		maxResults: { type: 'integer', minimum: 1, maximum: 2000, description: `Default ${defaultMaxResults}.` },
	},
	required: ['glob'],
	additionalProperties: false,
});

export type FindFilesInput = FromSchema<typeof schema>;

export const findFilesTool: AnyTool = defineTool<FindFilesInput>({
	name: 'find_files',
	description: 'Find workspace files by glob, e.g. "**/*.test.ts", "src/**/index.*" or "package.json" '
		+ '(a glob without "/" matches file names at any depth). Returns paths relative to the workspace root.',
	inputSchema: schema,
	risk: 'read',
	parse: (raw) => parseArguments(schema, raw),
	async approval(input) {
		return approvalInfo('read', phrase('findFiles', input.glob));
	},
	async invoke(input, context) {
		const maxResults = input.maxResults ?? defaultMaxResults;
		// Ask for one more than the cap to know whether the list was cut.
		const files = await context.workspace.findFiles(input.glob, maxResults + 1, context.signal);
		if (files.length === 0) return { type: 'text', value: `No files match ${input.glob}.` };
		const shown = files.slice(0, maxResults);
		const note = files.length > maxResults ? `\n[Stopped at ${maxResults} files; use a narrower glob.]` : '';
		return { type: 'text', value: shown.join('\n') + note };
	},
});
