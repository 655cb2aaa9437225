// Glob matching for the JS fallback search and for find_files, with ripgrep's `--glob` semantics so both engines
// agree: a pattern without '/' matches a file name at any depth ('*.ts'); one with '/' matches the relative path
// from the folder root ('src/**/*.ts'). Supports *, **, ?, [abc], {a,b}. The glob comes from the model or from
// settings, so it runs on RE2 (linear time): as a backtracking RegExp, '{*,*}' twelve times then 'Z' never ended.
import { compileLinear, LinearRegexError, type LinearRegex } from '../shared/linearRegex';
import { ToolError } from './types';

/** Longest glob accepted: far beyond any real path pattern, and it keeps the compiled matcher small. */
export const maxGlobLength = 1000;

/** Compiles a glob; the result tests '/'-separated relative paths. Throws ToolError for a glob too long to use. */
export function compileGlob(glob: string): (relativePath: string) => boolean {
	const trimmed = glob.trim().replace(/^\.\//, '').replace(/^\/+/, '');
	if (trimmed.length > maxGlobLength) {
		throw new ToolError('invalid-arguments', `The glob is too long (${trimmed.length} characters; at most ${maxGlobLength}). Use a shorter pattern, or several calls.`);
	}
	const anchored = trimmed.includes('/');
	// A glob with no wildcard matches only itself: a string compare, without compiling an RE2 program (the
	// protected-path list is mostly such names, and compiling it all took ~100 ms of the extension's activation).
	if (!/[*?[{]/.test(trimmed)) {
		return (relativePath) => (anchored ? relativePath : relativePath.slice(relativePath.lastIndexOf('/') + 1)) === trimmed;
	}
	let regex: LinearRegex;
	try {
		regex = compileLinear(`^${globToRegexSource(trimmed)}$`);
	} catch (error) {
		if (error instanceof LinearRegexError) throw new ToolError('invalid-arguments', `Invalid glob ${JSON.stringify(trimmed)}: ${error.message}`);
		throw error;
	}
	return (relativePath) => {
		if (anchored) return regex.test(relativePath);
		const slash = relativePath.lastIndexOf('/');
		return regex.test(slash === -1 ? relativePath : relativePath.slice(slash + 1));
	};
}

/** A list of comma-free globs (as the tools accept: 'src/**,test/**' is split on top-level commas). */
export function splitGlobs(globs: string | undefined): string[] {
	if (!globs) return [];
	const parts: string[] = [];
	let depth = 0;
	let current = '';
	for (const char of globs) {
		if (char === '{') depth++;
		if (char === '}') depth = Math.max(0, depth - 1);
		if (char === ',' && depth === 0) {
			parts.push(current);
			current = '';
		} else {
			current += char;
		}
	}
	parts.push(current);
	return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function globToRegexSource(glob: string): string {
	let source = '';
	for (let index = 0; index < glob.length; index++) {
		const char = glob[index];
		if (char === '*') {
			if (glob[index + 1] === '*') {
				// '**/' matches zero or more directories; a trailing '**' matches everything below.
				const followedBySlash = glob[index + 2] === '/';
				source += followedBySlash ? '(?:.*/)?' : '.*';
				index += followedBySlash ? 2 : 1;
			} else {
				source += '[^/]*';
			}
		} else if (char === '?') {
			source += '[^/]';
		} else if (char === '[') {
			const close = glob.indexOf(']', index + 1);
			if (close === -1) {
				source += '\\[';
			} else {
				const body = glob.slice(index + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
				source += `[${body}]`;
				index = close;
			}
		} else if (char === '{') {
			const close = findClosingBrace(glob, index);
			if (close === -1) {
				source += '\\{';
			} else {
				const alternatives = splitGlobs(glob.slice(index + 1, close)).map(globToRegexSource);
				source += `(?:${alternatives.join('|')})`;
				index = close;
			}
		} else {
			source += char.replace(/[.+^${}()|\\]/g, '\\$&');
		}
	}
	return source;
}

function findClosingBrace(glob: string, open: number): number {
	let depth = 0;
	for (let index = open; index < glob.length; index++) {
		if (glob[index] === '{') depth++;
		if (glob[index] === '}' && --depth === 0) return index;
	}
	return -1;
}
