// What the write tools hand to the editor: a whole-file change computed here, shown (a diff) and applied by the
// host through the EditPort. No 'vscode' here; src/vscode/edits/editApproval.ts implements the port inside the editor.
import { formatPhrase, phrase, type Phrase } from './phrases';
import { ToolError, type ReadResult, type ResolvedPath, type Workspace } from './types';

/** One file's proposed new content. */
export interface FileChange {
	/** The tool that proposes it ('edit_file', 'create_file'): the approval policy is per tool. */
	toolName: string;
	target: ResolvedPath;
	/** The text it replaces (an open editor's unsaved text wins over the disk); undefined: the file does not exist. */
	before: string | undefined;
	after: string;
	/** The encoding `after` is written in (src/tools/textEncoding.ts); absent: UTF-8. */
	encoding?: string;
	/** Set when this change asks whatever the policy (outside the workspace, a protected path). */
	forcedReason?: string;
}

/** How the write tools reach the editor (or the disk, in the CLI). */
export interface EditPort {
	/** Shows the change before the user decides (a diff editor); may do nothing when no one will be asked. */
	preview(change: FileChange): Promise<void>;
	/** Writes the change. Throws ToolError when the file changed since `before` was read. */
	apply(change: FileChange, signal: AbortSignal): Promise<void>;
}

/** Largest file the write tools rewrite; they work on whole files, so a cut-off read would lose the rest. */
export const editableMaxBytes = 2 * 1024 * 1024;

/** The current text of a file, or undefined when it does not exist. */
export async function readCurrent(workspace: Workspace, target: ResolvedPath, signal: AbortSignal): Promise<string | undefined> {
	return (await readCurrentFile(workspace, target, signal))?.text;
}

/** The current text with its encoding (and why it is not exact, if it is not), or undefined when there is no file. */
export async function readCurrentFile(workspace: Workspace, target: ResolvedPath, signal: AbortSignal): Promise<ReadResult | undefined> {
	try {
		const read = await workspace.readText(target, editableMaxBytes, signal);
		if (read.truncated) throw new ToolError('too-large', `${target.display} is larger than ${editableMaxBytes / 1024 / 1024} MB; it cannot be edited with these tools.`);
		return read;
	} catch (error) {
		if (error instanceof ToolError && error.reason === 'not-found' && !/directory/.test(error.message)) return undefined;
		throw error;
	}
}

/** "+3 −1 lines": a line count of what a change adds and removes, for the result the model reads. */
export function lineDelta(before: string, after: string): string {
	return formatPhrase(lineDeltaPhrase(before, after));
}

/** The same count as a phrase, for the card's summary. */
export function lineDeltaPhrase(before: string, after: string): Phrase {
	const old = before === '' ? [] : before.split('\n');
	const next = after === '' ? [] : after.split('\n');
	let start = 0;
	while (start < old.length && start < next.length && old[start] === next[start]) start++;
	let end = 0;
	while (end < old.length - start && end < next.length - start && old[old.length - 1 - end] === next[next.length - 1 - end]) end++;
	return phrase('lineDelta', next.length - start - end, old.length - start - end);
}
