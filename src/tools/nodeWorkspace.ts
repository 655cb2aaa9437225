// The Workspace port over node:fs, rooted at one or more folders: the CLI's workspace, and the reference the
// VS Code adapter is tested against. Paths that leave the folders ('..', absolute, '~', symlinks) are "outside".
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileGlob, splitGlobs } from './glob';
import { jsFindFiles, jsSearch } from './jsSearch';
import { ProtectedPaths, type ProtectedMatch } from './protectedPaths';
import { decodeBytes } from './textEncoding';
import { findRipgrepOnPath, ripgrepFiles, ripgrepSearch } from './ripgrep';
import {
	ToolError,
	type DirectoryEntry,
	type ProtectedKind,
	type ReadResult,
	type ResolvedPath,
	type SearchMatch,
	type SearchOptions,
	type Workspace,
} from './types';

export interface NodeWorkspaceOptions {
	/**
	 * The ripgrep binary. undefined: look for `rg` on PATH; null: never use ripgrep (the JS fallback);
	 * a string: that binary (VS Code's, see findVscodeRipgrep).
	 */
	ripgrepPath?: string | null;
	/** The protected paths, read at each resolve so a settings change applies at once (default: the defaults). */
	protectedPaths?: () => ProtectedPaths;
	/** The encoding the editor uses for a file (files.encoding, an open document's), by absolute path. */
	encodingFor?: (absolute: string) => string | undefined;
}

/** Bytes inspected for a NUL to call a file binary, as git and VS Code do. */
const binarySniffBytes = 8192;
/** Longest path a tool may name: Linux's PATH_MAX. Longer ones name no file and only cost time to resolve. */
export const maxPathLength = 4096;

export class NodeWorkspace implements Workspace {
	readonly folders: readonly string[];
	private readonly realFolders: readonly string[];
	private readonly ripgrepPath: string | undefined;
	private readonly protectedPaths: () => ProtectedPaths;
	private readonly encodingFor: (absolute: string) => string | undefined;

	constructor(folders: readonly string[], options: NodeWorkspaceOptions = {}) {
		if (folders.length === 0) throw new Error('A workspace needs at least one folder.');
		this.folders = folders.map((folder) => path.resolve(folder));
		this.realFolders = this.folders.map((folder) => fs.realpathSync(folder));
		this.ripgrepPath = options.ripgrepPath === null ? undefined : options.ripgrepPath ?? findRipgrepOnPath();
		this.protectedPaths = options.protectedPaths ?? defaultProtected;
		this.encodingFor = options.encodingFor ?? (() => undefined);
	}

	/** Which engine searchText and findFiles use; for diagnostics and tests. */
	get searchEngine(): 'ripgrep' | 'js' {
		return this.ripgrepPath ? 'ripgrep' : 'js';
	}

	async resolve(input: string): Promise<ResolvedPath> {
		const trimmed = input.trim();
		if (trimmed.length > maxPathLength) {
			throw new ToolError('invalid-arguments', `The path is too long (${trimmed.length} characters; at most ${maxPathLength}). Name a file or folder of the workspace.`);
		}
		const literal = this.toAbsolute(trimmed);
		const absolute = await realpathAsFarAsExists(literal);
		const protectedPaths = this.protectedPaths();
		// Protected when any spelling of the path is: the literal one, each step of its symlinks, the real one, and
		// the name a protected link at a folder's root gives it ('.vscode -> conf' makes conf/tasks.json protected).
		const forms = [literal, ...await symlinkForms(literal), absolute, ...await this.aliasesThroughRootLinks(absolute, protectedPaths)];
		let found: ProtectedMatch | undefined;
		for (const form of forms) {
			found = protectedPaths.match(this.relativeTo(form) ?? form);
			if (found) break;
		}
		// A file with more than one name (a hard link, as an extracted archive can hold) is the same bytes as each of its
		// other names, which no spelling above reveals: writing it may write a protected file.
		found ??= await hardLinked(absolute);
		const protection = found ? { protectedReason: reasonOf(found), protectedKind: found.kind, protectedPattern: found.pattern } : {};
		const folderIndex = this.realFolders.findIndex((folder) => isWithin(folder, absolute));
		if (folderIndex === -1) return { absolute, display: absolute, inside: false, ...protection };
		const relative = path.relative(this.realFolders[folderIndex], absolute).split(path.sep).join('/');
		return { absolute, display: this.display(folderIndex, relative), inside: true, ...protection };
	}

	/**
	 * The names `absolute` also has through a symlink at a folder's root that a protected pattern names: with
	 * '.vscode -> conf', conf/tasks.json is also .vscode/tasks.json.
	 */
	private async aliasesThroughRootLinks(absolute: string, protectedPaths: ProtectedPaths): Promise<string[]> {
		const aliases: string[] = [];
		for (const [index, folder] of this.folders.entries()) {
			let entries: fs.Dirent[];
			try {
				entries = await fs.promises.readdir(folder, { withFileTypes: true });
			} catch {
				continue;
			}
			for (const entry of entries) {
				if (!entry.isSymbolicLink() || !protectedPaths.match(entry.name)) continue;
				const link = path.join(folder, entry.name);
				const target = await fs.promises.realpath(link).catch(() => undefined);
				if (target && target !== path.join(this.realFolders[index], entry.name) && isWithin(target, absolute)) {
					aliases.push(path.join(link, path.relative(target, absolute)));
				}
			}
		}
		return aliases;
	}
	async readText(target: ResolvedPath, maxBytes: number, signal: AbortSignal): Promise<ReadResult> {
		throwIfAborted(signal);
		let handle: fs.promises.FileHandle;
		try {
			handle = await fs.promises.open(target.absolute, 'r');
		} catch (error) {
			throw fileError(error, target.display);
		}
		try {
			const stat = await handle.stat();
			if (stat.isDirectory()) throw new ToolError('not-found', `${target.display} is a directory; use list_directory to see its entries.`);
			// Only ever read up to the cap (plus one byte to learn whether there is more): huge files stay on disk.
			const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stat.size, binarySniffBytes) + 1));
			let filled = 0;
			while (filled < buffer.length) {
				const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
				if (bytesRead === 0) break;
				filled += bytesRead;
				throwIfAborted(signal);
			}
			const data = buffer.subarray(0, filled);
			// UTF-16 text is full of NUL bytes; its byte order mark says it is text.
			const utf16 = (data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff);
			if (!utf16 && data.subarray(0, binarySniffBytes).includes(0)) {
				throw new ToolError('binary', `${target.display} is a binary file (${stat.size} bytes); it cannot be read as text.`);
			}
			const truncated = filled > maxBytes;
			const hint = this.encodingFor(target.absolute);
			if (truncated) {
				const cut = utf16 ? maxBytes - (maxBytes % 2) : utf8Boundary(data, maxBytes);
				return { text: decodeBytes(data.subarray(0, cut), hint).text, truncated, size: stat.size };
			}
			const decoded = decodeBytes(data, hint);
			return { text: decoded.text, truncated, size: stat.size, encoding: decoded.encoding, ...(decoded.inexact ? { inexact: decoded.inexact } : {}) };
		} finally {
			await handle.close();
		}
	}

	async listDirectory(target: ResolvedPath, signal: AbortSignal): Promise<DirectoryEntry[]> {
		throwIfAborted(signal);
		let entries: fs.Dirent[];
		try {
			entries = await fs.promises.readdir(target.absolute, { withFileTypes: true });
		} catch (error) {
			throw fileError(error, target.display);
		}
		return entries
			.map((entry): DirectoryEntry => ({
				name: entry.name,
				type: entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'symlink' : 'other',
			}))
			.sort((a, b) => (a.type === 'directory') !== (b.type === 'directory') ? (a.type === 'directory' ? -1 : 1) : a.name.localeCompare(b.name));
	}

	async findFiles(glob: string, maxResults: number, signal: AbortSignal): Promise<string[]> {
		const matcher = compileGlobs(glob);
		const accept = (absolute: string): boolean => {
			const relative = this.relativeTo(absolute);
			return relative !== undefined && matcher(relative);
		};
		const { files } = this.ripgrepPath
			? await ripgrepFiles(this.ripgrepPath, this.folders, accept, maxResults, signal)
			: await jsFindFiles(this.folders, accept, maxResults, signal);
		return files.map((file) => this.displayOf(file));
	}

	async searchText(options: SearchOptions, signal: AbortSignal): Promise<{ matches: SearchMatch[]; limitHit: boolean }> {
		const include = splitGlobs(options.include);
		const exclude = splitGlobs(options.exclude);
		let result: { matches: SearchMatch[]; limitHit: boolean };
		if (this.ripgrepPath) {
			result = await ripgrepSearch(this.ripgrepPath, this.folders, options, { include, exclude }, signal);
		} else {
			const included = include.length > 0 ? compileGlobs(include.join(',')) : () => true;
			const excluded = exclude.length > 0 ? compileGlobs(exclude.join(',')) : () => false;
			const accept = (absolute: string): boolean => {
				const relative = this.relativeTo(absolute);
				return relative !== undefined && included(relative) && !excluded(relative);
			};
			result = await jsSearch(this.folders, options, accept, signal);
		}
		return { matches: result.matches.map((match) => ({ ...match, path: this.displayOf(match.path) })), limitHit: result.limitHit };
	}

	/** '~' and relative paths made absolute; in a multi-root workspace 'folderName/x' picks that folder. */
	private toAbsolute(input: string): string {
		if (input === '~' || input.startsWith('~/') || input.startsWith('~\\')) return path.join(os.homedir(), input.slice(1));
		if (path.isAbsolute(input)) return path.normalize(input);
		if (this.folders.length > 1) {
			const [first, ...rest] = input.split(/[\\/]/);
			const index = this.folders.findIndex((folder) => path.basename(folder) === first);
			if (index !== -1) return path.resolve(this.folders[index], ...rest);
		}
		return path.resolve(this.folders[0], input);
	}

	private display(folderIndex: number, relative: string): string {
		const inFolder = relative === '' ? '.' : relative;
		return this.folders.length > 1 ? `${path.basename(this.folders[folderIndex])}/${inFolder}` : inFolder;
	}

	/** The '/'-separated path relative to its folder, or undefined when outside every folder. */
	private relativeTo(absolute: string): string | undefined {
		for (const folder of [...this.folders, ...this.realFolders]) {
			if (isWithin(folder, absolute)) return path.relative(folder, absolute).split(path.sep).join('/');
		}
		return undefined;
	}

	private displayOf(absolute: string): string {
		for (const folders of [this.folders, this.realFolders]) {
			const index = folders.findIndex((folder) => isWithin(folder, absolute));
			if (index !== -1) return this.display(index, path.relative(folders[index], absolute).split(path.sep).join('/'));
		}
		return absolute;
	}
}

const protectedReasons: Record<Exclude<ProtectedKind, 'pattern'>, string> = {
	'git': 'it is inside .git/',
	'vscode-settings': 'it is a .vscode/*.json settings file',
	'code-workspace': 'it is a *.code-workspace file',
	'short-name': 'a Windows short name (~N) may stand for a protected path',
	'hard-link': 'it has other names (hard links), and one of them may be a protected path',
};

async function hardLinked(absolute: string): Promise<ProtectedMatch | undefined> {
	const stat = await fs.promises.lstat(absolute).catch(() => undefined);
	return stat?.isFile() && stat.nlink > 1 ? { kind: 'hard-link', pattern: '' } : undefined;
}

function reasonOf(found: ProtectedMatch): string {
	return found.kind === 'pattern' ? `it is a protected path (${found.pattern}); writing it can make code run` : protectedReasons[found.kind];
}

let defaults: ProtectedPaths | undefined;
/** The default list, shared: it never changes and compiles on its first match. */
function defaultProtected(): ProtectedPaths {
	defaults ??= new ProtectedPaths();
	return defaults;
}

/** Why a workspace-relative ('/'-separated) path must always ask before a tool touches it (the default list). */
export function protectedReasonFor(relative: string): string | undefined {
	const found = defaultProtected().match(relative);
	return found && reasonOf(found);
}

function compileGlobs(globs: string): (relative: string) => boolean {
	const matchers = splitGlobs(globs).map(compileGlob);
	return (relative) => matchers.some((matches) => matches(relative));
}

function isWithin(folder: string, candidate: string): boolean {
	const relative = path.relative(folder, candidate);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The real path of `absolute`: symlinks in the part that exists are resolved, the rest (a file about to be
 * created) is appended. A symlink pointing outside the folders therefore resolves outside.
 */
async function realpathAsFarAsExists(absolute: string): Promise<string> {
	const root = path.parse(absolute).root;
	const segments = absolute.slice(root.length).split(path.sep).filter((segment) => segment !== '');
	// realpath succeeds for the first k segments and fails for every longer prefix (a longer path passes through
	// the one that failed), so a binary search finds k in O(log n) calls: one call per segment from the end made
	// a path of 80,000 segments take half a minute. Invariant: `low` segments resolve (to lowReal), `high` do not.
	let low = -1;
	let high = segments.length + 1;
	let lowReal: string | undefined;
	const probe = async (count: number): Promise<void> => {
		try {
			lowReal = await fs.promises.realpath(path.join(root, ...segments.slice(0, count)));
			low = count;
		} catch {
			high = count;
		}
	};
	// The usual cases first: the path exists, or only its last segment is new.
	await probe(segments.length);
	if (low === -1 && segments.length > 0) await probe(segments.length - 1);
	while (high - low > 1) await probe(Math.floor((low + high) / 2));
	return lowReal === undefined ? absolute : path.join(lowReal, ...segments.slice(low));
}

/**
 * Each intermediate spelling of `absolute` while its symlinks are followed one at a time (x -> .vscode -> conf
 * gives .vscode/... as well as conf/...). Bounded like the kernel's own limit on links in one lookup.
 */
async function symlinkForms(absolute: string): Promise<string[]> {
	const forms: string[] = [];
	const root = path.parse(absolute).root;
	let remaining = absolute.slice(root.length).split(path.sep).filter((part) => part !== '');
	let current = root;
	for (let hops = 0; remaining.length > 0;) {
		const next = path.join(current, remaining[0]);
		remaining = remaining.slice(1);
		const stat = await fs.promises.lstat(next).catch(() => undefined);
		if (!stat) return forms;
		if (!stat.isSymbolicLink() || ++hops > 40) {
			current = next;
			continue;
		}
		const target = path.resolve(current, await fs.promises.readlink(next));
		forms.push(path.join(target, ...remaining));
		const targetRoot = path.parse(target).root;
		remaining = [...target.slice(targetRoot.length).split(path.sep).filter((part) => part !== ''), ...remaining];
		current = targetRoot;
	}
	return forms;
}

/** The largest index <= limit that does not split a UTF-8 sequence. */
function utf8Boundary(data: Buffer, limit: number): number {
	let end = limit;
	while (end > 0 && end > limit - 4 && (data[end] & 0xc0) === 0x80) end--;
	return end;
}

function fileError(error: unknown, display: string): ToolError {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOENT') return new ToolError('not-found', `${display} does not exist.`);
	if (code === 'ENOTDIR') return new ToolError('not-found', `${display} is not a directory.`);
	if (code === 'EACCES' || code === 'EPERM') return new ToolError('failed', `Permission denied: ${display}.`);
	return new ToolError('failed', `Could not access ${display}: ${(error as Error).message}`);
}

function throwIfAborted(signal: AbortSignal): void {
	if (signal.aborted) throw new ToolError('cancelled', 'The tool call was cancelled.');
}
