// The write tools' EditPort inside VS Code. Before the user decides, the proposed text is shown in a real diff editor
// (the file against a read-only virtual document); nothing is written. On approval the change goes through a
// WorkspaceEdit, so it lands in the editor's undo stack and respects what is open, and is then saved.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { EditPort, FileChange } from '../../tools/fileChange';
import { checkUnmoved } from '../../tools/nodeEditPort';
import { ToolError } from '../../tools/types';

export const proposedScheme = 'switchboard-proposed';

/** The proposed texts, served read-only under the switchboard-proposed: scheme. */
export class ProposedDocuments implements vscode.TextDocumentContentProvider {
	private readonly contents = new Map<string, string>();

	provideTextDocumentContent(uri: vscode.Uri): string {
		return this.contents.get(uri.toString()) ?? '';
	}

	set(uri: vscode.Uri, text: string): void {
		this.contents.set(uri.toString(), text);
	}

	delete(uri: vscode.Uri): void {
		this.contents.delete(uri.toString());
	}
}

// One registration per extension host, shared by every controller (a scheme has one provider).
let shared: { documents: ProposedDocuments; registration: vscode.Disposable; users: number } | undefined;

/** The shared provider of proposed texts; dispose the lease when done (the last one unregisters it). */
export function acquireProposedDocuments(): { documents: ProposedDocuments; release: vscode.Disposable } {
	if (!shared) {
		const documents = new ProposedDocuments();
		shared = { documents, registration: vscode.workspace.registerTextDocumentContentProvider(proposedScheme, documents), users: 0 };
	}
	const lease = shared;
	lease.users++;
	let released = false;
	return {
		documents: lease.documents,
		release: {
			dispose: () => {
				if (released) return;
				released = true;
				if (--lease.users > 0) return;
				lease.registration.dispose();
				if (shared === lease) shared = undefined;
			},
		},
	};
}

export interface EditHooks {
	/** Whether the change will ask the user: only then is a diff opened (an auto-approved edit just happens). */
	asks(change: FileChange): boolean;
	/** Runs after the change is checked and before it is written: the turn's checkpoint. */
	beforeWrite(change: FileChange): Promise<void>;
}

/** The title of the diff editor showing a proposed change. */
export function proposedTitle(change: FileChange): string {
	return vscode.l10n.t('Switchboard: proposed change to {0}', change.target.display);
}

export class VscodeEditPort implements EditPort {
	/** Open previews by absolute path: the proposed document's uri and the (virtual) left side of a new file. */
	private readonly previews = new Map<string, vscode.Uri[]>();

	constructor(private readonly hooks: EditHooks, private readonly documents: ProposedDocuments) {}

	async preview(change: FileChange): Promise<void> {
		if (!this.hooks.asks(change)) return;
		await this.discard(change.target.absolute);
		const file = vscode.Uri.file(change.target.absolute);
		// The nonce makes each proposal its own document: VS Code caches virtual documents by uri.
		const nonce = randomBytes(6).toString('hex');
		const proposed = file.with({ scheme: proposedScheme, query: nonce });
		const uris = [proposed];
		this.documents.set(proposed, change.after);
		let left = file;
		if (change.before === undefined) {
			left = file.with({ scheme: proposedScheme, query: `${nonce}-empty` });
			this.documents.set(left, '');
			uris.push(left);
		}
		this.previews.set(change.target.absolute, uris);
		await vscode.commands.executeCommand('vscode.diff', left, proposed, proposedTitle(change), { preview: false, preserveFocus: true });
	}

	/** Closes the diff of a decided (or abandoned) proposal for this file. */
	async discard(absolute: string): Promise<void> {
		const uris = this.previews.get(absolute);
		if (!uris) return;
		this.previews.delete(absolute);
		const proposed = uris[0].toString();
		const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs)
			.filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposed);
		if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
		for (const uri of uris) this.documents.delete(uri);
	}

	async apply(change: FileChange, signal: AbortSignal): Promise<void> {
		if (signal.aborted) throw new ToolError('cancelled', 'The tool call was cancelled.');
		const uri = vscode.Uri.file(change.target.absolute);
		const edit = new vscode.WorkspaceEdit();
		let saveAfter = true;
		if (change.before === undefined) {
			edit.createFile(uri, { overwrite: false });
			if (change.after !== '') edit.insert(uri, new vscode.Position(0, 0), change.after);
		} else {
			const document = await vscode.workspace.openTextDocument(uri);
			if (change.encoding && document.encoding !== change.encoding && !document.isDirty && withoutBom(document.getText()) !== withoutBom(change.before)) {
				throw new ToolError('failed', `${change.target.display} is open as ${document.encoding} but its bytes are ${change.encoding}; saving it would change bytes outside the edit. Nothing was changed.`);
			}
			if (withoutBom(document.getText()) !== withoutBom(change.before)) {
				throw new ToolError('failed', `${change.target.display} changed while the edit waited; read it again and redo the edit. Nothing was changed.`);
			}
			// The user's own unsaved edits stay unsaved: the change joins them in the editor instead.
			saveAfter = !document.isDirty;
			replaceMinimal(edit, document, withoutBom(change.after));
		}
		await this.hooks.beforeWrite(change);
		// The editor writes through the path again: it must still be the real path that was checked.
		await checkUnmoved(change.target.absolute, change.target.display);
		if (!(await vscode.workspace.applyEdit(edit))) throw new ToolError('failed', `VS Code could not apply the change to ${change.target.display}.`);
		if (saveAfter) {
			await checkUnmoved(change.target.absolute, change.target.display);
			await saveIfDirty(uri, change.target.display);
		}
	}

}

/** One replace over the span that differs, so the editor's cursors and folds outside it stay put. */
export function replaceMinimal(edit: vscode.WorkspaceEdit, document: vscode.TextDocument, after: string): void {
	const before = document.getText();
	let start = 0;
	const limit = Math.min(before.length, after.length);
	while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
	let end = 0;
	while (end < limit - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
	const range = new vscode.Range(document.positionAt(start), document.positionAt(before.length - end));
	edit.replace(document.uri, range, after.slice(start, after.length - end));
}

/** Tries before a still-dirty document counts as not saved. */
const saveAttempts = 3;

export async function saveIfDirty(uri: vscode.Uri, display: string): Promise<void> {
	const document = await vscode.workspace.openTextDocument(uri);
	// save() is false too when something else (auto save) saved it first, and when VS Code aborts slow save
	// participants (onWillSaveTextDocument, 1.75 s: seen with a 5 MB create_file on a busy machine): only a document
	// still dirty after a few tries failed.
	for (let attempt = 1; document.isDirty; attempt++) {
		if ((await document.save()) || !document.isDirty) return;
		if (attempt === saveAttempts) throw new ToolError('failed', `${display} was changed in the editor but could not be saved.`);
		await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
	}
}

/** VS Code's documents drop a UTF-8 byte order mark that a plain read keeps. */
function withoutBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

