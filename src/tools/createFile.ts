// create_file: a new text file with the given content. An existing file is replaced only with `overwrite: true`,
// so the model cannot clobber a file it has not read by mistaking its name.
import { lineDelta, lineDeltaPhrase, readCurrentFile, type EditPort, type FileChange } from './fileChange';
import { pathApproval } from './pathApproval';
import { phrase } from './phrases';
import { encodeText } from './textEncoding';
import { objectSchema, parseArguments, type FromSchema } from './schema';
import { defineTool, ToolError, type AnyTool, type ToolContext } from './types';

async function proposeFile(input: CreateFileInput, context: ToolContext): Promise<FileChange> {
	const target = await context.workspace.resolve(input.path);
	const current = await readCurrentFile(context.workspace, target, context.signal);
	const before = current?.text;
	if (before !== undefined && input.overwrite !== true) {
		throw new ToolError('invalid-arguments', `${target.display} already exists. Use edit_file to change it, or pass overwrite: true to replace all of it.`);
	}
	// A replaced file keeps its encoding (and BOM) when the new text fits it; otherwise it becomes UTF-8.
	const encoding = current?.encoding && !current.inexact && fits(input.content, current.encoding) ? current.encoding : undefined;
	return { target, before, after: input.content, encoding };
}

const schema = objectSchema({
	type: 'object',
	properties: {
		path: { type: 'string', minLength: 1, description: 'File path relative to the workspace root, e.g. src/util.ts' },
		content: { type: 'string', description: 'The whole content of the file.' },
		overwrite: { type: 'boolean', description: 'Replace the file if it already exists (default false).' },
	},
	required: ['path', 'content'],
	additionalProperties: false,
});

export type CreateFileInput = FromSchema<typeof schema>;

export function createCreateFileTool(port: EditPort): AnyTool {
	return defineTool<CreateFileInput>({
		name: 'create_file',
		description: 'Create a text file in the workspace with the given content (folders are created as needed). Fails if the '
			+ 'file exists unless overwrite is true. The user sees the new file as a diff and may approve or deny it.',
		inputSchema: schema,
		risk: 'write',
		parse: (raw) => parseArguments(schema, raw),
		async approval(input, context) {
			const change = await proposeFile(input, context);
			const delta = lineDeltaPhrase(change.before ?? '', change.after);
			return pathApproval('write', phrase(change.before === undefined ? 'create' : 'overwrite', change.target.display, delta), change.target);
		},
		async preview(input, context) {
			return port.preview?.(await proposeFile(input, context));
		},
		async invoke(input, context) {
			const change = await proposeFile(input, context);
			await port.apply(change, context.signal);
			const verb = change.before === undefined ? 'Created' : 'Overwrote';
			return { type: 'text', value: `${verb} ${change.target.display}: ${lineDelta(change.before ?? '', change.after)}.` };
		},
	});
}

function fits(text: string, encoding: string): boolean {
	try {
		encodeText(text, encoding, '');
		return true;
	} catch {
		return false;
	}
}
