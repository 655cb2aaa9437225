// What the user puts into the chat besides their words, on the host side: the '@' picker's answers (workspace files
// and folders, the active editor's selection and file, the problems), the attachments' text when a message is
// sent, and the project rule files of each chat. The controller hands it the messages it does not route itself.
import * as vscode from 'vscode';
import { MentionIndex } from '../../chat/attachments/mentionIndex';
import { resolveAttachments, type ResolvedAttachments } from '../../chat/attachments/resolveAttachments';
import type { AttachmentRef, HostToWebview, MentionItem } from '../../shared/protocol';
import type { DiagnosticsPort } from '../../tools/getDiagnostics';
import type { Workspace } from '../../tools/types';
import type { Log } from '../log';
import { VscodeDiagnostics } from '../workspace/diagnosticsAdapter';
import { ProjectRulesHost } from './projectRulesHost';

export interface ContextHostDeps {
	workspace: Workspace;
	log: Log;
	/** To every panel that has said 'ready'. */
	post(message: HostToWebview): void;
	/** Whether some panel has said 'ready' (else an attachment waits for the next one). */
	ready(): boolean;
	conversationId(): string;
	/** Every message the controller posts: a new panel or another conversation gets the rules again. */
	onDidPost: vscode.Event<HostToWebview>;
	diagnostics?: DiagnosticsPort;
}

/** Rows the picker shows at most. */
const pickerRows = 50;
/** Files indexed at most: far beyond the 52,000-file tree the bench measures. */
const maxIndexedFiles = 200_000;

export class ContextHost implements vscode.Disposable {
	readonly rules: ProjectRulesHost;
	private index: Promise<MentionIndex> | undefined;
	private indexed = false;
	private stale = false;
	/** Chips and focus requests made while no panel was ready: delivered with the next panel's init. */
	private pending: HostToWebview[] = [];
	/** The last text editor the user was in: a chat in an editor tab leaves activeTextEditor undefined. */
	private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
	private readonly subscriptions: vscode.Disposable[] = [];
	private readonly diagnostics: DiagnosticsPort;

	constructor(private readonly deps: ContextHostDeps) {
		this.diagnostics = deps.diagnostics ?? new VscodeDiagnostics();
		this.rules = new ProjectRulesHost({ workspace: deps.workspace, log: deps.log, post: deps.post, conversationId: deps.conversationId });
		// Created and deleted files change the picker's list; an edit does not.
		const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
		const markStale = (): void => {
			this.stale = true;
		};
		this.subscriptions.push(
			this.rules,
			watcher,
			watcher.onDidCreate(markStale),
			watcher.onDidDelete(markStale),
			vscode.workspace.onDidChangeWorkspaceFolders(markStale),
			vscode.workspace.onDidChangeConfiguration((event) => {
				if (event.affectsConfiguration('files.exclude')) markStale();
			}),
			vscode.window.onDidChangeActiveTextEditor((editor) => {
				if (editor) this.lastEditor = editor;
			}),
			deps.onDidPost((message) => {
				if (message.type !== 'init' && message.type !== 'conversation') return;
				void this.rules.post();
				const pending = this.pending;
				this.pending = [];
				for (const queued of pending) deps.post(queued);
			}),
		);
	}

	/** Answers one '@' query to the panel that asked. */
	async query(query: string, reply: (message: HostToWebview) => void): Promise<void> {
		const special = await this.specialItems(query);
		// Listing a large workspace takes a moment the first time: @selection and the others need not wait for it.
		if (!this.indexed) reply({ type: 'mention-results', query, items: special, searching: true });
		const items = [...special, ...await this.search(query)];
		reply({ type: 'mention-results', query, items: items.slice(0, pickerRows) });
	}

	/** The text of the message's attachments and their chips; nothing here asks for approval (the user chose them). */
	content(refs: readonly AttachmentRef[] | undefined, signal: AbortSignal): Promise<ResolvedAttachments> {
		if (!refs || refs.length === 0) return Promise.resolve({ parts: [], chips: [] });
		return resolveAttachments(refs, { workspace: this.deps.workspace, diagnostics: this.diagnostics }, signal);
	}

	/** A chip for the composer, from a command (Add Selection / Add File to Chat). */
	addToComposer(attachment: AttachmentRef): void {
		this.deliver({ type: 'add-attachment', attachment });
	}

	focusComposer(): void {
		this.deliver({ type: 'focus-composer' });
	}

	/** The workspace path of a file the user has open, or undefined when it is not a workspace file. */
	async workspacePath(uri: vscode.Uri): Promise<string | undefined> {
		if (uri.scheme !== 'file') return undefined;
		const target = await this.deps.workspace.resolve(uri.fsPath);
		return target.inside ? target.display : undefined;
	}

	/** Opens a file the panel names: a workspace file, or a rule file the user listed. */
	async open(path: string): Promise<void> {
		const rule = this.rules.absoluteOf(path);
		const target = rule ? { absolute: rule, inside: true } : await this.deps.workspace.resolve(path);
		if (!target.inside) return;
		const uri = vscode.Uri.file(target.absolute);
		const stat = await vscode.workspace.fs.stat(uri);
		if (stat.type & vscode.FileType.Directory) await vscode.commands.executeCommand('revealInExplorer', uri);
		else await vscode.window.showTextDocument(uri, { preview: true });
	}

	/** The active editor's selection, as a chip's reference; undefined when nothing is selected in a workspace file. */
	async selection(editor = this.editor()): Promise<AttachmentRef | undefined> {
		if (!editor || editor.selection.isEmpty) return undefined;
		const path = await this.workspacePath(editor.document.uri);
		if (!path) return undefined;
		const { start, end } = editor.selection;
		// A selection ending at the start of a line does not include that line.
		const endLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
		const range = new vscode.Range(start.line, 0, endLine, editor.document.lineAt(endLine).text.length);
		return { kind: 'selection', path, startLine: start.line + 1, endLine: endLine + 1, text: editor.document.getText(range) };
	}

	editor(): vscode.TextEditor | undefined {
		const active = vscode.window.activeTextEditor;
		if (active) return active;
		// The chat in an editor tab may cover the file: the last editor still says what the user was looking at.
		return this.lastEditor && !this.lastEditor.document.isClosed ? this.lastEditor : undefined;
	}

	dispose(): void {
		for (const subscription of this.subscriptions) subscription.dispose();
	}

	private deliver(message: HostToWebview): void {
		if (this.deps.ready()) this.deps.post(message);
		else this.pending.push(message);
	}

	/** @selection, @file and @problems, when the query could be the start of their name. */
	private async specialItems(query: string): Promise<MentionItem[]> {
		const lower = query.toLowerCase();
		const items: MentionItem[] = [];
		if ('selection'.startsWith(lower)) {
			const selection = await this.selection();
			if (selection?.kind === 'selection') {
				items.push({ ref: selection, label: '@selection', detail: vscode.l10n.t('Selection: {0}', `${selection.path}:${selection.startLine}-${selection.endLine}`) });
			}
		}
		if ('file'.startsWith(lower)) {
			const editor = this.editor();
			const path = editor && await this.workspacePath(editor.document.uri);
			if (path) items.push({ ref: { kind: 'file', path }, label: '@file', detail: vscode.l10n.t('Active file: {0}', path) });
		}
		if ('problems'.startsWith(lower)) {
			const all = await this.diagnostics.get(undefined);
			const errors = all.filter((item) => item.severity === 'error').length;
			const warnings = all.filter((item) => item.severity === 'warning').length;
			items.push({ ref: { kind: 'problems' }, label: '@problems', detail: vscode.l10n.t('Problems: {0} errors, {1} warnings', errors, warnings) });
		}
		return items;
	}

	private async search(query: string): Promise<MentionItem[]> {
		let index: MentionIndex;
		try {
			index = await this.currentIndex();
		} catch (error) {
			this.deps.log.error('Listing the workspace files for the @ picker failed', error);
			this.index = undefined;
			return [];
		}
		return index.search(query, pickerRows).map((candidate): MentionItem => {
			const slash = candidate.path.lastIndexOf('/');
			const name = candidate.path.slice(slash + 1);
			const folder = slash === -1 ? '' : candidate.path.slice(0, slash);
			return candidate.kind === 'file'
				? { ref: { kind: 'file', path: candidate.path }, label: name, detail: folder }
				: { ref: { kind: 'folder', path: candidate.path }, label: `${name}/`, detail: folder };
		});
	}

	/** Built on the first '@'; after files come or go, rebuilt in the background while the old list answers. */
	private currentIndex(): Promise<MentionIndex> {
		if (!this.index) {
			this.stale = false;
			this.index = this.buildIndex();
			return this.index;
		}
		if (this.stale) {
			this.stale = false;
			const previous = this.index;
			const next = this.buildIndex();
			next.then(() => {
				if (this.index === previous) this.index = next;
			}, () => undefined);
			return previous;
		}
		return this.index;
	}

	private async buildIndex(): Promise<MentionIndex> {
		const started = performance.now();
		const files = await this.deps.workspace.findFiles('**', maxIndexedFiles, new AbortController().signal);
		const index = new MentionIndex(files);
		this.indexed = true;
		this.deps.log.info(`@ picker: indexed ${files.length} files in ${Math.round(performance.now() - started)} ms`);
		return index;
	}
}
