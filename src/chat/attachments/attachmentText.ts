// How what the user attached (@ mentions, Add Selection / Add File to Chat) reads to the model: one text block per
// item, a file with its path and line numbers, a folder as a listing, the problems as file:line lines. Each block is
// bounded; a cut block ends with a note saying how much was left out and how to fetch the rest with read_file,
// so the model knows the text is partial rather than guessing from a silent cut.
import type { DiagnosticInfo } from '../../tools/getDiagnostics';

export interface AttachmentLimits {
	/** Most characters one attachment contributes. */
	perAttachmentChars: number;
	/** Most characters all attachments of one message contribute together. */
	totalChars: number;
	/** Most entries a folder listing shows. */
	folderEntries: number;
	/** Most problems listed. */
	problems: number;
}

export const defaultAttachmentLimits: AttachmentLimits = {
	perAttachmentChars: 40_000,
	totalChars: 120_000,
	folderEntries: 500,
	problems: 200,
};

/** One block of text and how many characters of the content it left out. */
export interface AttachmentBlock {
	text: string;
	omitted: number;
}

const numberFormat = new Intl.NumberFormat('en-US');

/**
 * A file's text (or a selection of it starting at `firstLine`) with line numbers, cut at a line boundary to fit
 * `budget` characters. `fileTruncated` says the reader stopped before the end of the file (`fileSize` bytes).
 */
export function fileBlock(
	kind: 'file' | 'selection',
	display: string,
	text: string,
	budget: number,
	options: { firstLine?: number; fileTruncated?: boolean; fileSize?: number } = {},
): AttachmentBlock {
	const firstLine = options.firstLine ?? 1;
	const lines = text.replace(/\r\n/g, '\n').split('\n');
	if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
	const lastLine = firstLine + lines.length - 1;
	const width = String(lastLine).length;
	const body: string[] = [];
	let used = 0;
	/** Characters of the first line shown when it alone is over the budget. */
	let partial: number | undefined;
	for (const [index, line] of lines.entries()) {
		const prefix = `${String(firstLine + index).padStart(width)} | `;
		if (used + prefix.length + line.length + 1 <= budget) {
			body.push(prefix + line);
			used += prefix.length + line.length + 1;
			continue;
		}
		// The first line always shows, cut if it must: a minified file is one long line.
		if (index === 0) {
			partial = Math.max(0, budget - prefix.length);
			body.push(prefix + line.slice(0, partial));
		}
		break;
	}
	const wholeLinesShown = partial === undefined ? body.length : 0;
	const rest = lines.slice(wholeLinesShown).join('\n');
	const omitted = partial === undefined ? rest.length : rest.length - partial;
	const lastShown = firstLine + Math.max(wholeLinesShown, 1) - 1;
	const notes: string[] = [];
	if (omitted > 0) {
		const from = firstLine + wholeLinesShown;
		const which = wholeLinesShown === 0 ? `the rest of line ${firstLine}` : options.fileTruncated ? `line ${from} onward` : `lines ${from}-${lastLine}`;
		const amount = options.fileTruncated && options.fileSize !== undefined ? `most of the file's ${count(options.fileSize)} bytes` : `${count(omitted)} characters`;
		notes.push(`[Cut: ${amount} (${which}) were left out. Call read_file with path "${display}" and startLine ${from} to read the rest.]`);
	}
	if (options.fileTruncated && omitted === 0) {
		const size = options.fileSize !== undefined ? ` (${count(options.fileSize)} bytes)` : '';
		notes.push(`[The file${size} goes on past line ${lastLine}; call read_file with path "${display}" and startLine ${lastLine + 1} to read further.]`);
	}
	const ranged = kind === 'selection' || omitted > 0 || options.fileTruncated === true;
	const range = ranged ? ` lines="${firstLine}-${omitted > 0 ? lastShown : lastLine}"` : '';
	const head = `<attachment kind="${kind}" path="${escapeAttribute(display)}"${range}>`;
	const unread = options.fileTruncated && options.fileSize !== undefined ? Math.max(0, options.fileSize - text.length) : 0;
	return { text: [head, ...body, ...notes, '</attachment>'].join('\n'), omitted: omitted + unread };
}

/** A folder as a listing of the paths under it (folders end with '/'), bounded in entries and characters. */
export function folderBlock(display: string, entries: readonly string[], budget: number, limits: AttachmentLimits = defaultAttachmentLimits, moreOnDisk = false): AttachmentBlock {
	const shown: string[] = [];
	let used = 0;
	for (const entry of entries) {
		if (shown.length >= limits.folderEntries || used + entry.length + 1 > budget) break;
		shown.push(entry);
		used += entry.length + 1;
	}
	const left = entries.length - shown.length;
	const notes: string[] = [];
	if (left > 0 || moreOnDisk) {
		notes.push(`[Cut: ${left > 0 ? `${count(left)} ` : ''}more entries were left out. Call list_directory or find_files on "${display}" to see the rest.]`);
	}
	if (entries.length === 0) notes.push('[The folder has no files (or all are ignored by .gitignore or files.exclude).]');
	const omitted = entries.slice(shown.length).reduce((sum, entry) => sum + entry.length + 1, 0);
	return { text: [`<attachment kind="folder" path="${escapeAttribute(display)}">`, ...shown, ...notes, '</attachment>'].join('\n'), omitted };
}

/** The current problems (errors first), each as `severity path:line:column: message (source code)`. */
export function problemsBlock(problems: ReadonlyArray<DiagnosticInfo & { display: string }>, budget: number, limits: AttachmentLimits = defaultAttachmentLimits): AttachmentBlock {
	const sorted = [...problems].sort((a, b) => rank(a.severity) - rank(b.severity) || a.display.localeCompare(b.display) || a.line - b.line);
	const lines: string[] = [];
	let used = 0;
	for (const item of sorted) {
		const origin = [item.source, item.code].filter(Boolean).join(' ');
		const line = `${item.severity} ${item.display}:${item.line}:${item.column}: ${item.message}${origin ? ` (${origin})` : ''}`;
		if (lines.length >= limits.problems || used + line.length + 1 > budget) break;
		lines.push(line);
		used += line.length + 1;
	}
	const left = sorted.length - lines.length;
	const notes = sorted.length === 0 ? ['No problems are reported.'] : left > 0 ? [`[Cut: ${count(left)} more problems were left out. Call get_diagnostics to see them.]`] : [];
	const omitted = left > 0 ? sorted.slice(lines.length).reduce((sum, item) => sum + item.message.length + item.display.length + 20, 0) : 0;
	return { text: ['<attachment kind="problems">', ...lines, ...notes, '</attachment>'].join('\n'), omitted };
}

/** Said instead of the content when an attachment could not be read, so the model knows it is missing. */
export function failedBlock(kind: string, display: string, reason: string): AttachmentBlock {
	return { text: `<attachment kind="${kind}" path="${escapeAttribute(display)}">\n[Not attached: ${reason}]\n</attachment>`, omitted: 0 };
}

function rank(severity: DiagnosticInfo['severity']): number {
	return severity === 'error' ? 0 : severity === 'warning' ? 1 : 2;
}

function count(value: number): string {
	return numberFormat.format(value);
}

/** A path is the user's; quotes in it must not end the attribute early. */
function escapeAttribute(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
