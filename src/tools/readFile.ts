// read_file: a text file of the workspace, optionally a line range, capped so one call cannot flood the context.
import { pathApproval } from './pathApproval';
import { phrase, type Phrase } from './phrases';
import { objectSchema, parseArguments, type FromSchema } from './schema';
import { defineTool, type AnyTool } from './types';

/** Most text returned by one call. */
export const readFileCapBytes = 100_000;
/** With a line range we may look further into a file than the cap, but never read all of a huge one. */
const rangeScanBytes = 4 * 1024 * 1024;

const schema = objectSchema({
	type: 'object',
	properties: {
		path: { type: 'string', minLength: 1, description: 'File path relative to the workspace root, e.g. src/app.ts' },
		startLine: { type: 'integer', minimum: 1, description: 'First line to read (1-based).' },
		endLine: { type: 'integer', minimum: 1, description: 'Last line to read (inclusive).' },
	},
	required: ['path'],
	additionalProperties: false,
});

export type ReadFileInput = FromSchema<typeof schema>;

export const readFileTool: AnyTool = defineTool<ReadFileInput>({
	name: 'read_file',
	description: 'Read a text file from the workspace. Paths are relative to the workspace root. '
		+ 'Optionally give startLine and endLine (1-based, inclusive) to read part of a long file. '
		+ `At most ${readFileCapBytes / 1000} KB are returned per call.`,
	inputSchema: schema,
	risk: 'read',
	parse: (raw) => parseArguments(schema, raw),
	async approval(input, context) {
		return pathApproval('read', summarize(input), await context.workspace.resolve(input.path));
	},
	async invoke(input, context) {
		const target = await context.workspace.resolve(input.path);
		const ranged = input.startLine !== undefined || input.endLine !== undefined;
		const read = await context.workspace.readText(target, ranged ? rangeScanBytes : readFileCapBytes, context.signal);
		if (!ranged) {
			const note = read.truncated
				? `\n\n[Truncated: showing the first ${readFileCapBytes} bytes of ${read.size ?? 'more'}. Pass startLine/endLine to read further.]`
				: '';
			return { type: 'text', value: read.text + note };
		}
		const lines = read.text.split('\n');
		const start = input.startLine ?? 1;
		const end = Math.min(input.endLine ?? lines.length, lines.length);
		if (start > lines.length) {
			const where = read.truncated ? `the first ${lines.length} lines that could be scanned` : `${lines.length} lines`;
			return { type: 'error-text', value: `startLine ${start} is past the end of ${target.display} (${where}).` };
		}
		let text = lines.slice(start - 1, end).join('\n');
		const notes: string[] = [];
		if (Buffer.byteLength(text) > readFileCapBytes) {
			text = Buffer.from(text).subarray(0, readFileCapBytes).toString('utf8');
			notes.push(`[Truncated at ${readFileCapBytes} bytes; ask for a smaller line range.]`);
		}
		if (input.endLine !== undefined && input.endLine > lines.length && read.truncated) {
			notes.push(`[Only the first ${lines.length} lines could be scanned; the file is ${read.size ?? 'very'} bytes long.]`);
		}
		return { type: 'text', value: notes.length > 0 ? `${text}\n\n${notes.join('\n')}` : text };
	},
});

function summarize(input: ReadFileInput): Phrase {
	if (input.startLine === undefined && input.endLine === undefined) return phrase('read', input.path);
	if (input.endLine === undefined) return phrase('readFrom', input.path, input.startLine ?? 1);
	return phrase('readLines', input.path, input.startLine ?? 1, input.endLine);
}
