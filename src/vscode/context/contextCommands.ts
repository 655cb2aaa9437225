// Add Selection to Chat, Add File to Chat (editor and explorer context menus) and Focus Chat: each puts the chat in
// view and hands the composer a chip; nothing is sent until the user sends their message.
import * as vscode from 'vscode';
import type { AttachmentRef } from '../../shared/protocol';
import type { Log } from '../log';
import type { ContextHost } from './contextHost';

export interface ContextCommandDeps {
	/** The chat's context host (its controller can be rebuilt, so it is looked up per call). */
	context(): ContextHost;
	log: Log;
}

/** Shows the chat: the sidebar view, which a new window has not resolved yet (the chip then waits for it). */
async function revealChat(): Promise<void> {
	await vscode.commands.executeCommand('switchboard.chatView.focus');
}

async function addSelection(deps: ContextCommandDeps): Promise<void> {
	const host = deps.context();
	const editor = host.editor();
	if (!editor) {
		void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard: open a file and select some text to add it to the chat.'));
		return;
	}
	// Nothing selected: the whole file is what the user is looking at.
	const ref: AttachmentRef | undefined = editor.selection.isEmpty ? await fileRef(host, editor.document.uri) : await host.selection(editor);
	if (!ref) {
		void vscode.window.showWarningMessage(vscode.l10n.t('Switchboard: only files of this workspace can be added to the chat.'));
		return;
	}
	await revealChat();
	host.addToComposer(ref);
}

async function addFiles(deps: ContextCommandDeps, clicked: unknown, selected: unknown): Promise<void> {
	const host = deps.context();
	// The explorer passes the clicked item and every selected one; the editor's menu and the palette, at most one.
	const uris = Array.isArray(selected) && selected.every((item) => item instanceof vscode.Uri) && selected.length > 0
		? selected as vscode.Uri[]
		: clicked instanceof vscode.Uri ? [clicked] : host.editor() ? [host.editor()?.document.uri as vscode.Uri] : [];
	const refs: AttachmentRef[] = [];
	for (const uri of uris) {
		const ref = await fileRef(host, uri);
		if (ref) refs.push(ref);
	}
	if (refs.length === 0) {
		void vscode.window.showWarningMessage(vscode.l10n.t('Switchboard: only files of this workspace can be added to the chat.'));
		return;
	}
	await revealChat();
	for (const ref of refs) host.addToComposer(ref);
}

async function fileRef(host: ContextHost, uri: vscode.Uri): Promise<AttachmentRef | undefined> {
	const path = await host.workspacePath(uri);
	if (!path) return undefined;
	const stat = await vscode.workspace.fs.stat(uri);
	return stat.type & vscode.FileType.Directory ? { kind: 'folder', path } : { kind: 'file', path };
}

export function registerContextCommands(deps: ContextCommandDeps): vscode.Disposable[] {
	const handlers: Record<string, (...args: unknown[]) => Promise<void>> = {
		'switchboard.addSelectionToChat': () => addSelection(deps),
		'switchboard.addFileToChat': (clicked, selected) => addFiles(deps, clicked, selected),
		'switchboard.focusChat': async () => {
			await revealChat();
			deps.context().focusComposer();
		},
	};
	return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
		try {
			await handler(...args);
		} catch (error) {
			deps.log.error(`${id} failed`, error);
			void vscode.window.showErrorMessage(`Switchboard: ${error instanceof Error ? error.message : String(error)}`);
		}
	}));
}
