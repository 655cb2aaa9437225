// Text search and file listing through ripgrep (`rg --json`, `rg --files`): fast on large trees and it respects
// .gitignore. The binary's path is injectable: VS Code ships one inside its app root, the CLI finds one on PATH.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ToolError, type SearchMatch, type SearchOptions } from './types';

/** Longest matching line we pass to the model; minified files would otherwise flood its context. */
const maxLineLength = 300;

/** The first executable `rg` on PATH, or undefined. */
export function findRipgrepOnPath(envPath = process.env.PATH ?? ''): string | undefined {
	const names = process.platform === 'win32' ? ['rg.exe'] : ['rg'];
	for (const dir of envPath.split(path.delimiter)) {
		if (!dir) continue;
		for (const name of names) {
			const candidate = path.join(dir, name);
			try {
				fs.accessSync(candidate, fs.constants.X_OK);
				if (fs.statSync(candidate).isFile()) return candidate;
			} catch {
				// not here; keep looking
			}
		}
	}
	return undefined;
}

/**
 * The ripgrep bundled with VS Code (`vscode.env.appRoot`): desktop ships @vscode/ripgrep (packed or unpacked from
 * the asar archive); code-server and recent builds ship @vscode/ripgrep-universal with one binary per platform.
 */
export function findVscodeRipgrep(appRoot: string): string | undefined {
	const binary = process.platform === 'win32' ? 'rg.exe' : 'rg';
	for (const modules of ['node_modules', 'node_modules.asar.unpacked']) {
		for (const candidate of [
			path.join(appRoot, modules, '@vscode', 'ripgrep', 'bin', binary),
			path.join(appRoot, modules, '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, binary),
		]) {
			if (fs.existsSync(candidate)) return candidate;
		}
	}
	return undefined;
}

interface RgOutcome {
	/** True when we stopped rg ourselves because we had enough. */
	stoppedEarly: boolean;
}

/**
 * Runs rg, handing each stdout line to `onLine` until it returns false (then rg is killed).
 * Exit 1 means "nothing found"; exit 2 with no output is an error whose stderr goes to the model.
 */
function runRipgrep(rgPath: string, args: string[], cwd: string, signal: AbortSignal, onLine: (line: string) => boolean): Promise<RgOutcome> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(new ToolError('cancelled', 'The search was cancelled.'));
		const child = spawn(rgPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
		let pending = '';
		let stderr = '';
		let stoppedEarly = false;
		let produced = false;
		const onAbort = (): void => {
			child.kill();
		};
		signal.addEventListener('abort', onAbort, { once: true });
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => {
			if (stoppedEarly) return;
			pending += chunk;
			let newline = pending.indexOf('\n');
			while (newline !== -1) {
				const line = pending.slice(0, newline);
				pending = pending.slice(newline + 1);
				produced = true;
				if (!onLine(line)) {
					stoppedEarly = true;
					child.kill();
					return;
				}
				newline = pending.indexOf('\n');
			}
		});
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (chunk: string) => {
			if (stderr.length < 4000) stderr += chunk;
		});
		child.on('error', (error) => {
			signal.removeEventListener('abort', onAbort);
			reject(new ToolError('failed', `Could not run ripgrep (${rgPath}): ${error.message}`));
		});
		child.on('close', (code) => {
			signal.removeEventListener('abort', onAbort);
			if (signal.aborted) return reject(new ToolError('cancelled', 'The search was cancelled.'));
			if (!stoppedEarly && pending !== '') onLine(pending);
			if (code === 2 && !produced) return reject(new ToolError('invalid-arguments', `Search failed: ${stderr.trim() || 'ripgrep exited with code 2'}`));
			resolve({ stoppedEarly });
		});
	});
}

/**
 * Searches `folders` with rg; paths in the matches are absolute. rg runs inside each folder because it matches
 * globs containing '/' against paths relative to its working directory.
 */
export async function ripgrepSearch(
	rgPath: string,
	folders: readonly string[],
	options: SearchOptions,
	globs: { include: string[]; exclude: string[] },
	signal: AbortSignal,
): Promise<{ matches: SearchMatch[]; limitHit: boolean }> {
	const args = ['--json', '--no-config', '--no-require-git', options.caseSensitive ? '--case-sensitive' : '--ignore-case'];
	if (!options.isRegex) args.push('--fixed-strings');
	for (const glob of globs.include) args.push('--glob', glob);
	for (const glob of [...globs.exclude, ...defaultExcludes(globs.include)]) args.push('--glob', `!${glob}`);
	args.push('--regexp', options.query, '--', '.');
	const matches: SearchMatch[] = [];
	let limitHit = false;
	for (const folder of folders) {
		if (limitHit) break;
		await runRipgrep(rgPath, args, folder, signal, (line) => {
			const match = parseMatchLine(line);
			if (!match) return true;
			if (matches.length >= options.maxResults) {
				limitHit = true;
				return false;
			}
			matches.push({ ...match, path: path.resolve(folder, match.path) });
			return true;
		});
	}
	return { matches, limitHit };
}

/** Lists files under `folders` (respecting .gitignore) that pass `accept`; paths are absolute. */
export async function ripgrepFiles(
	rgPath: string,
	folders: readonly string[],
	accept: (absolute: string) => boolean,
	maxResults: number,
	signal: AbortSignal,
): Promise<{ files: string[]; limitHit: boolean }> {
	const files: string[] = [];
	let limitHit = false;
	const args = ['--files', '--no-config', '--no-require-git', ...defaultExcludes([]).flatMap((glob) => ['--glob', `!${glob}`]), '--', '.'];
	for (const folder of folders) {
		if (limitHit) break;
		await runRipgrep(rgPath, args, folder, signal, (line) => {
			const absolute = path.resolve(folder, line);
			if (line === '' || !accept(absolute)) return true;
			if (files.length >= maxResults) {
				limitHit = true;
				return false;
			}
			files.push(absolute);
			return true;
		});
	}
	return { files, limitHit };
}

/** Dependencies are noise unless asked for (VS Code's search.exclude does the same), even when not gitignored. */
function defaultExcludes(include: readonly string[]): string[] {
	return include.some((glob) => glob.includes('node_modules')) ? [] : ['**/node_modules/**'];
}

interface RgMatchMessage {
	type: string;
	data?: { path?: { text?: string }; line_number?: number; lines?: { text?: string } };
}

function parseMatchLine(line: string): SearchMatch | undefined {
	let message: RgMatchMessage;
	try {
		message = JSON.parse(line) as RgMatchMessage;
	} catch {
		return undefined;
	}
	// Non-UTF-8 paths and lines arrive as base64 `bytes`; they are skipped rather than shown garbled.
	const file = message.data?.path?.text;
	const text = message.data?.lines?.text;
	if (message.type !== 'match' || file === undefined || text === undefined) return undefined;
	return { path: file, line: message.data?.line_number ?? 0, text: clipLine(text) };
}

export function clipLine(text: string): string {
	const line = text.replace(/\r?\n$/, '');
	return line.length > maxLineLength ? `${line.slice(0, maxLineLength)}…` : line;
}
