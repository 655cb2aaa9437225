// A checkpoint per turn: before a turn first writes a file, its content (or the fact that it did not exist) is kept
// with the conversation. "Undo this turn's changes" puts every such file back, deleting the ones the turn created,
// even after later turns; the restore is itself a WorkspaceEdit, so the editor's undo can take it back.
import * as vscode from 'vscode';
import type { HostToWebview, TurnChangesView } from '../../shared/protocol';
import * as fs from 'node:fs';
import { lineDelta, type FileChange } from '../../tools/fileChange';
import { replaceMinimal, saveIfDirty } from '../edits/editApproval';
import { addSnapshot, setTurnChanges, unchangedSince, type FileSnapshot, type StoredConversation } from './storedConversation';

/** A file changed since the turn: what undoing would lose. */
export interface LaterChange {
	display: string;
	/** 'deleted', or a line count of the later change ('+3 −1 lines'). */
	change: string;
}

export interface CheckpointHost {
	/** The conversation on screen now (it changes with New Chat and the history). */
	conversation(): StoredConversation;
	post(message: HostToWebview): void;
	save(): Promise<void>;
}

export class Checkpoints {
	constructor(private readonly host: CheckpointHost) {}

	/** Keeps the file's content before the turn's first write to it; later writes in the same turn keep the first. */
	async record(turnId: string, change: FileChange): Promise<void> {
		const conversation = this.host.conversation();
		const byTurn = conversation.checkpoints ??= {};
		const files = byTurn[turnId] ??= [];
		if (await addSnapshot(files, change, () => savedBytes(change.target.absolute))) this.show(conversation, turnId, false);
		await this.host.save();
	}

	/** Restores every file the turn changed. Returns the files that could not be restored (with why). */
	async undo(turnId: string): Promise<string[]> {
		const conversation = this.host.conversation();
		const files = conversation.checkpoints?.[turnId] ?? [];
		if (files.length === 0) return [];
		const later = await laterChanges(files);
		if (later.length > 0 && !(await confirmLoss(later))) {
			// Posted so the panel's Undo button (disabled on click) can be used again.
			this.show(conversation, turnId, false);
			return [];
		}
		const edit = new vscode.WorkspaceEdit();
		const restored: FileSnapshot[] = [];
		const exact: FileSnapshot[] = [];
		const problems: string[] = [];
		for (const file of files) {
			const uri = vscode.Uri.file(file.path);
			try {
				if (file.bytes !== undefined) {
					// Written as bytes after the edit: text would lose a BOM or another encoding's bytes.
					exact.push(file);
				} else if (file.content === undefined) {
					edit.deleteFile(uri, { ignoreIfNotExists: true });
				} else if (await exists(uri)) {
					replaceMinimal(edit, await vscode.workspace.openTextDocument(uri), file.content);
					restored.push(file);
				} else {
					edit.createFile(uri, { overwrite: false });
					if (file.content !== '') edit.insert(uri, new vscode.Position(0, 0), file.content);
					restored.push(file);
				}
			} catch (error) {
				problems.push(`${file.display}: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
		if (!(await vscode.workspace.applyEdit(edit))) {
			// Posted anyway so the panel's Undo button (disabled on click) can be tried again.
			this.show(conversation, turnId, false);
			return [...problems, 'VS Code could not apply the restore.'];
		}
		for (const file of exact) {
			try {
				await vscode.workspace.fs.writeFile(vscode.Uri.file(file.path), Buffer.from(file.bytes ?? '', 'base64'));
			} catch (error) {
				problems.push(`${file.display}: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
		for (const file of restored) {
			try {
				await saveIfDirty(vscode.Uri.file(file.path), file.display);
			} catch (error) {
				problems.push(`${file.display}: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
		this.show(conversation, turnId, true);
		await this.host.save();
		return problems;
	}

	/** Updates the turn's row on screen and in the saved view. */
	private show(conversation: StoredConversation, turnId: string, undone: boolean): void {
		const files = conversation.checkpoints?.[turnId] ?? [];
		const changes: TurnChangesView = { files: files.map((file) => file.display), undone };
		setTurnChanges(conversation, turnId, changes);
		this.host.post({ type: 'turn-files', turnId, changes });
	}
}

/** Whether a file or folder is there, through VS Code's file system (any scheme). */
export async function exists(uri: vscode.Uri): Promise<boolean> {
	try {
		await vscode.workspace.fs.stat(uri);
		return true;
	} catch {
		return false;
	}
}

/** The file's bytes on disk, unless an editor holds unsaved text for it (then that text is the truth). */
async function savedBytes(absolute: string): Promise<Buffer | undefined> {
	if (vscode.workspace.textDocuments.some((document) => document.isDirty && document.uri.scheme === 'file' && document.uri.fsPath === absolute)) return undefined;
	return fs.promises.readFile(absolute).catch(() => undefined);
}

/** The files whose text is no longer what the turn left (the user or a later turn changed or deleted them). */
async function laterChanges(files: readonly FileSnapshot[]): Promise<LaterChange[]> {
	const later: LaterChange[] = [];
	for (const file of files) {
		if (file.after === undefined) continue;
		const uri = vscode.Uri.file(file.path);
		if (!(await exists(uri))) {
			later.push({ display: file.display, change: vscode.l10n.t('deleted') });
			continue;
		}
		const now = (await vscode.workspace.openTextDocument(uri)).getText();
		if (!unchangedSince(file.after, now)) later.push({ display: file.display, change: lineDelta(file.after, now) });
	}
	return later;
}

/** Asks before undo overwrites later changes; lists each file and what changed in it since the turn. */
async function confirmLoss(later: readonly LaterChange[]): Promise<boolean> {
	const restore = vscode.l10n.t('Undo Anyway');
	const detail = later.map((file) => `${file.display}: ${file.change}`).join('\n');
	const answer = await vscode.window.showWarningMessage(
		vscode.l10n.t('These files changed after this turn. Undoing its changes loses those later changes.'),
		{ modal: true, detail },
		restore,
	);
	return answer === restore;
}
