// edit_file: exact search/replace blocks applied in order to one file. Every block must match exactly once, or
// nothing is changed and the model is told which block failed and how to fix it.
import { lineDelta, lineDeltaPhrase, readCurrentFile, type EditPort, type FileChange } from './fileChange';
import { pathApproval } from './pathApproval';
import { phrase } from './phrases';
import { encodeText } from './textEncoding';
import { objectSchema, parseArguments, type FromSchema } from './schema';
import { defineTool, ToolError, type AnyTool, type ToolContext } from './types';

export interface SearchReplace {
	search: string;
	replace: string;
}

/** Applies the blocks in order (each to the result of the ones before); throws ToolError naming the failing block. */
export function applyEdits(text: string, edits: readonly SearchReplace[], display: string): string {
	// A file with CRLF endings still matches blocks the model wrote with '\n'.
	const crlf = text.includes('\r\n');
	let result = text;
	edits.forEach((edit, index) => {
		const label = edits.length > 1 ? `Search block ${index + 1}` : 'The search block';
		let { search, replace } = edit;
		// New lines in a CRLF file are CRLF too, whatever the model wrote.
		if (crlf) replace = replace.replace(/\r?\n/g, '\r\n');
		if (search === '') throw new ToolError('invalid-arguments', `${label} is empty. Give the exact text to replace; use create_file for a new file. Nothing was changed.`);
		let found = occurrences(result, search);
		if (found.length === 0 && crlf && !search.includes('\r\n')) {
			search = search.replace(/\n/g, '\r\n');
			found = occurrences(result, search);
		}
		if (found.length === 0) {
			throw new ToolError('not-found', `${label} was not found in ${display}. The search text must match the file exactly, `
				+ 'including whitespace and indentation; read the file again and copy the lines. Nothing was changed.');
		}
		if (found.length > 1) {
			throw new ToolError('invalid-arguments', `${label} matches ${found.length} times in ${display} (lines ${found.map((at) => lineOf(result, at)).join(', ')}); `
				+ 'include more surrounding lines so it matches exactly once. Nothing was changed.');
		}
		// Sliced, not String.replace: '$&' and friends in the replacement are literal text.
		result = result.slice(0, found[0]) + replace + result.slice(found[0] + search.length);
	});
	return result;
}

/** Start offsets of every occurrence, overlapping ones included ('aa' occurs twice in 'aaa'). */
function occurrences(text: string, search: string): number[] {
	const found: number[] = [];
	for (let at = text.indexOf(search); at !== -1 && found.length < 100; at = text.indexOf(search, at + 1)) found.push(at);
	return found;
}

function lineOf(text: string, offset: number): number {
	let line = 1;
	for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
	return line;
}

async function proposeEdit(input: EditFileInput, context: ToolContext): Promise<FileChange> {
	const target = await context.workspace.resolve(input.path);
	const current = await readCurrentFile(context.workspace, target, context.signal);
	if (current === undefined) throw new ToolError('not-found', `${target.display} does not exist. Use create_file to create it.`);
	if (current.inexact) {
		// Every byte outside the edit must stay as it is; text that is not exactly the file cannot promise that.
		throw new ToolError('failed', `${target.display} cannot be edited: ${current.inexact}, so rewriting it would change bytes outside the edit. `
			+ 'Nothing was changed. Tell the user; they can set VS Code\'s files.encoding (or reopen the file with its encoding) and try again.');
	}
	const before = current.text;
	const after = applyEdits(before, input.edits, target.display);
	if (after === before) throw new ToolError('invalid-arguments', `The edits leave ${target.display} unchanged (each replace equals its search). Nothing was changed.`);
	if (current.encoding) encodeText(after, current.encoding, target.display);
	return { target, before, after, encoding: current.encoding };
}

const schema = objectSchema({
	type: 'object',
	properties: {
		path: { type: 'string', minLength: 1, description: 'File path relative to the workspace root, e.g. src/app.ts' },
		edits: {
			type: 'array',
			minItems: 1,
			description: 'Search/replace blocks, applied in order.',
			items: {
				type: 'object',
				properties: {
					search: { type: 'string', minLength: 1, description: 'Exact text currently in the file, matching once.' },
					replace: { type: 'string', description: 'The text to put in its place (may be empty to delete).' },
				},
				required: ['search', 'replace'],
				additionalProperties: false,
			},
		},
	},
	required: ['path', 'edits'],
	additionalProperties: false,
});

export type EditFileInput = FromSchema<typeof schema>;

export function createEditFileTool(port: EditPort): AnyTool {
	return defineTool<EditFileInput>({
		name: 'edit_file',
		description: 'Edit a text file of the workspace with exact search/replace blocks, applied in order. Each search must be '
			+ 'copied exactly from the current file (whitespace included) and match exactly once; include a few surrounding lines '
			+ 'to make it unique. If any block fails, nothing is changed. The user sees a diff and may approve or deny it. '
			+ 'Use create_file for new files.',
		inputSchema: schema,
		risk: 'write',
		parse: (raw) => parseArguments(schema, raw),
		async approval(input, context) {
			// Computed before asking: a block that does not match goes back to the model without bothering the user.
			const change = await proposeEdit(input, context);
			const blocks = input.edits.length === 1 ? phrase('oneBlock') : phrase('blocks', input.edits.length);
			return pathApproval('write', phrase('edit', change.target.display, blocks, lineDeltaPhrase(change.before ?? '', change.after)), change.target);
		},
		async preview(input, context) {
			return port.preview?.(await proposeEdit(input, context));
		},
		async invoke(input, context) {
			// Recomputed from the text as it is now: the user may have typed in the file while the diff was open.
			const change = await proposeEdit(input, context);
			await port.apply(change, context.signal);
			return { type: 'text', value: `Edited ${change.target.display}: ${lineDelta(change.before ?? '', change.after)}.` };
		},
	});
}
