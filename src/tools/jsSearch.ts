// The fallback when no ripgrep exists: a bounded walk in JS. Slower and it does not read .gitignore, so it at
// least skips .git and node_modules, large files and binary files. Queries run on RE2 (linear time, ripgrep's
// dialect): a backtracking RegExp hung the extension host on `^(\w+\s?)*$` and a line of forty letters.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { compileLinear, LinearRegexError, quoteLinear, type LinearRegex } from '../shared/linearRegex';
import { clipLine } from './ripgrep';
import { ToolError, type SearchMatch, type SearchOptions } from './types';

const skippedDirectories = new Set(['.git', 'node_modules']);
/** Files larger than this are not searched by the fallback. */
const maxSearchedFileBytes = 1024 * 1024;
/** Stop walking after this many entries, so a huge tree cannot stall a tool call. */
const maxVisitedEntries = 200_000;

/** Yields absolute file paths under `folder`, depth-first, in name order. */
export async function* walkFiles(folder: string, signal: AbortSignal): AsyncGenerator<string> {
	const stack = [folder];
	let visited = 0;
	while (stack.length > 0) {
		if (signal.aborted) throw new ToolError('cancelled', 'The search was cancelled.');
		const dir = stack.pop() as string;
		let entries: import('node:fs').Dirent[];
		try {
			entries = await fs.readdir(dir, { withFileTypes: true });
		} catch {
			continue; // unreadable directory: skip, as rg does
		}
		entries.sort((a, b) => (a.name < b.name ? 1 : -1));
		const files: string[] = [];
		for (const entry of entries) {
			if (++visited > maxVisitedEntries) return;
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				if (!skippedDirectories.has(entry.name)) stack.push(full);
			} else if (entry.isFile()) {
				files.push(full);
			}
		}
		yield* files.reverse();
	}
}

export async function jsSearch(
	folders: readonly string[],
	options: SearchOptions,
	accept: (absolute: string) => boolean,
	signal: AbortSignal,
): Promise<{ matches: SearchMatch[]; limitHit: boolean }> {
	const pattern = compileQuery(options);
	const matches: SearchMatch[] = [];
	for (const folder of folders) {
		for await (const file of walkFiles(folder, signal)) {
			if (!accept(file)) continue;
			const text = await readSearchable(file);
			if (text === undefined) continue;
			// Stop is honoured between files; one file is at most maxSearchedFileBytes of linear-time matching.
			if (signal.aborted) throw new ToolError('cancelled', 'The search was cancelled.');
			const lines = text.split('\n');
			for (let index = 0; index < lines.length; index++) {
				if (!pattern.test(lines[index])) continue;
				if (matches.length >= options.maxResults) return { matches, limitHit: true };
				matches.push({ path: file, line: index + 1, text: clipLine(lines[index]) });
			}
		}
	}
	return { matches, limitHit: false };
}

export async function jsFindFiles(
	folders: readonly string[],
	accept: (absolute: string) => boolean,
	maxResults: number,
	signal: AbortSignal,
): Promise<{ files: string[]; limitHit: boolean }> {
	const files: string[] = [];
	for (const folder of folders) {
		for await (const file of walkFiles(folder, signal)) {
			if (!accept(file)) continue;
			if (files.length >= maxResults) return { files, limitHit: true };
			files.push(file);
		}
	}
	return { files, limitHit: false };
}

function compileQuery(options: SearchOptions): LinearRegex {
	try {
		return compileLinear(options.isRegex ? options.query : quoteLinear(options.query), { caseInsensitive: !options.caseSensitive });
	} catch (error) {
		if (error instanceof LinearRegexError) throw new ToolError('invalid-arguments', `Invalid regular expression: ${error.message}`);
		throw error;
	}
}

/** The file's text, or undefined when it is too large or binary (a NUL in the first 8 KB). */
async function readSearchable(file: string): Promise<string | undefined> {
	try {
		const stat = await fs.stat(file);
		if (stat.size > maxSearchedFileBytes) return undefined;
		const buffer = await fs.readFile(file);
		if (buffer.subarray(0, 8192).includes(0)) return undefined;
		return buffer.toString('utf8');
	} catch {
		return undefined;
	}
}
