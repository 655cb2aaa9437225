// search_text: literal or regex search over the workspace, respecting .gitignore (ripgrep), capped.
import { approvalInfo } from './pathApproval';
import { phrase } from './phrases';
import { objectSchema, parseArguments, type FromSchema } from './schema';
import { defineTool, type AnyTool } from './types';

const defaultMaxResults = 100;
const maxMaxResults = 500;

const schema = objectSchema({
	type: 'object',
	properties: {
		query: { type: 'string', minLength: 1, description: 'Text or regular expression to find.' },
		isRegex: { type: 'boolean', description: 'Treat query as a regular expression (default false).' },
		caseSensitive: { type: 'boolean', description: 'Match case exactly (default false).' },
		include: { type: 'string', description: 'Only search files matching these globs.' },
		exclude: { type: 'string', description: 'Skip files matching these globs.' },
		maxResults: { type: 'integer', minimum: 1, maximum: maxMaxResults, description: `Default ${defaultMaxResults}.` },
	},
	required: ['query'],
	additionalProperties: false,
});

export type SearchTextInput = FromSchema<typeof schema>;

export const searchTextTool: AnyTool = defineTool<SearchTextInput>({
	name: 'search_text',
	description: 'Search the text of the workspace files (respects .gitignore). Returns file:line: matching line. '
		+ 'The query is literal unless isRegex is true. include/exclude are comma-separated globs such as "src/**/*.ts" '
		+ 'or "*.md" (a glob without "/" matches file names at any depth).',
	inputSchema: schema,
	risk: 'read',
	parse: (raw) => parseArguments(schema, raw),
	async approval(input) {
		const query = JSON.stringify(input.query);
		return approvalInfo('read', input.include ? phrase('searchIn', query, input.include) : phrase('search', query));
	},
	async invoke(input, context) {
		const maxResults = input.maxResults ?? defaultMaxResults;
		const { matches, limitHit } = await context.workspace.searchText({
			query: input.query,
			isRegex: input.isRegex ?? false,
			caseSensitive: input.caseSensitive ?? false,
			include: input.include,
			exclude: input.exclude,
			maxResults,
		}, context.signal);
		if (matches.length === 0) return { type: 'text', value: `No matches for ${JSON.stringify(input.query)}.` };
		const lines = matches.map((match) => `${match.path}:${match.line}: ${match.text}`);
		if (limitHit) lines.push(`[Stopped at ${maxResults} matches; narrow the query or use include.]`);
		return { type: 'text', value: lines.join('\n') };
	},
});
