// The Workspace port inside the extension host. Path resolution, listing and file search are NodeWorkspace's
// (one implementation of the '..'/symlink/protected-path rules for the CLI and the editor); what VS Code adds:
// the folders follow vscode.workspace, unsaved editor text wins over the disk, search uses the ripgrep VS Code
// ships, and `files.exclude` / `search.exclude` apply as exclude globs.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { compileGlob } from '../../tools/glob';
import { noWorkspace } from '../../tools/noWorkspace';
import { NodeWorkspace } from '../../tools/nodeWorkspace';
import type { ProtectedPaths } from '../../tools/protectedPaths';
import { findVscodeRipgrep } from '../../tools/ripgrep';
import type { DirectoryEntry, ReadResult, ResolvedPath, SearchMatch, SearchOptions, Workspace } from '../../tools/types';
import { readProtectedPaths } from '../chat/approvalPolicy';

export interface VscodeWorkspaceOptions {
	/** The ripgrep binary; defaults to the one under vscode.env.appRoot (null: the JS fallback). */
	ripgrepPath?: string | null;
}

export class VscodeWorkspace implements Workspace, vscode.Disposable {
	readonly ripgrepPath: string | undefined;
	private inner: Workspace;
	private readonly subscriptions: vscode.Disposable[] = [];
	/** Compiled once per settings change, not per call. */
	private protectedPaths: ProtectedPaths = readProtectedPaths();

	constructor(options: VscodeWorkspaceOptions = {}) {
		this.ripgrepPath = options.ripgrepPath === null ? undefined : options.ripgrepPath ?? findVscodeRipgrep(vscode.env.appRoot);
		this.inner = this.build();
		this.subscriptions.push(vscode.workspace.onDidChangeWorkspaceFolders(() => {
			this.inner = this.build();
		}), vscode.workspace.onDidChangeConfiguration((event) => {
			if (event.affectsConfiguration('switchboard.approval')) this.protectedPaths = readProtectedPaths();
		}));
	}

	get folders(): readonly string[] {
		return this.inner.folders;
	}

	resolve(input: string): Promise<ResolvedPath> {
		return this.inner.resolve(input);
	}

	async readText(target: ResolvedPath, maxBytes: number, signal: AbortSignal): Promise<ReadResult> {
		const document = dirtyDocumentFor(target.absolute);
		if (!document) return this.inner.readText(target, maxBytes, signal);
		// The user's unsaved edits are what they are looking at; the model should see the same text.
		const data = Buffer.from(document.getText(), 'utf8');
		if (data.length <= maxBytes) return { text: data.toString('utf8'), truncated: false, size: data.length, fromEditor: true };
		return { text: data.subarray(0, utf8Boundary(data, maxBytes)).toString('utf8'), truncated: true, size: data.length, fromEditor: true };
	}

	listDirectory(target: ResolvedPath, signal: AbortSignal): Promise<DirectoryEntry[]> {
		return this.inner.listDirectory(target, signal);
	}

	async findFiles(glob: string, maxResults: number, signal: AbortSignal): Promise<string[]> {
		const excludes = excludeGlobs(false);
		const excluded = excludes.length > 0 ? excludes.map(compileGlob) : [];
		// Asking for a few more than needed leaves room for the ones files.exclude hides.
		const files = await this.inner.findFiles(glob, excluded.length > 0 ? maxResults * 2 : maxResults, signal);
		const hidden = (file: string): boolean => {
			// '**/.git' names a folder: a file is hidden when it or any folder above it matches.
			const segments = stripFolderName(file, this.folders).split('/');
			return segments.some((_, index) => {
				const prefix = segments.slice(0, index + 1).join('/');
				return excluded.some((matches) => matches(prefix));
			});
		};
		return files.filter((file) => !hidden(file)).slice(0, maxResults);
	}

	searchText(options: SearchOptions, signal: AbortSignal): Promise<{ matches: SearchMatch[]; limitHit: boolean }> {
		const exclude = [options.exclude, ...excludeGlobs(true)].filter((glob): glob is string => !!glob).join(',');
		return this.inner.searchText({ ...options, exclude: exclude || undefined }, signal);
	}

	dispose(): void {
		for (const subscription of this.subscriptions) subscription.dispose();
	}

	private build(): Workspace {
		const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
		if (folders.length === 0) return noWorkspace;
		return new NodeWorkspace(folders, { ripgrepPath: this.ripgrepPath ?? null, protectedPaths: () => this.protectedPaths, encodingFor: editorEncoding });
	}
}

/** The encoding VS Code reads and saves this file in: the open document's, else `files.encoding` for it. */
function editorEncoding(absolute: string): string | undefined {
	const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.scheme === 'file' && candidate.uri.fsPath === absolute);
	return document?.encoding ?? vscode.workspace.getConfiguration('files', vscode.Uri.file(absolute)).get<string>('encoding');
}

/** An open document for this file with unsaved changes (matched by path, or by real path for symlinked opens). */
function dirtyDocumentFor(absolute: string): vscode.TextDocument | undefined {
	for (const document of vscode.workspace.textDocuments) {
		if (!document.isDirty || document.uri.scheme !== 'file') continue;
		const candidate = document.uri.fsPath;
		if (candidate === absolute || realpathOr(candidate) === absolute) return document;
	}
	return undefined;
}

function realpathOr(file: string): string {
	try {
		return fs.realpathSync(file);
	} catch {
		return file;
	}
}

/**
 * The globs switched on (`true`) in files.exclude, plus search.exclude when searching text, as VS Code's own
 * search does. Entries with a `when` clause depend on sibling files and are left out rather than guessed at.
 */
export function excludeGlobs(forSearch: boolean): string[] {
	const sections = forSearch ? ['files.exclude', 'search.exclude'] : ['files.exclude'];
	const globs = new Set<string>();
	for (const section of sections) {
		const value = vscode.workspace.getConfiguration().get<Record<string, unknown>>(section) ?? {};
		for (const [glob, enabled] of Object.entries(value)) if (enabled === true) globs.add(glob);
	}
	return [...globs];
}

/** In a multi-root workspace displays start with the folder name; exclude globs are relative to the folder. */
function stripFolderName(display: string, folders: readonly string[]): string {
	if (folders.length < 2) return display;
	const slash = display.indexOf('/');
	return slash === -1 ? display : display.slice(slash + 1);
}

/** The largest index <= limit that does not split a UTF-8 sequence. */
function utf8Boundary(data: Buffer, limit: number): number {
	let end = limit;
	while (end > 0 && end > limit - 4 && (data[end] & 0xc0) === 0x80) end--;
	return end;
}
