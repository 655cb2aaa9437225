// A checkpoint per turn: before a turn first writes a file, its content (or the fact that it did not exist) is kept
// with the conversation. "Undo this turn's changes" puts every such file back, deleting the ones the turn created,
// even after later turns; the restore is itself a WorkspaceEdit, so the editor's undo can take it back.
import * as vscode from 'vscode';
import type { HostToWebview, TurnChangesView } from '../shared/protocol';
import type { FileChange } from '../tools/fileChange';
import type { AssistantTurnView } from './conversationMapper';
import { replaceMinimal, saveIfDirty } from './editApproval';
import type { StoredConversation } from './historyStore';

/** One file as it was before a turn wrote it. */
export interface FileSnapshot {
	/** Absolute file-system path. */
	path: string;
	/** As the panel shows it (workspace-relative). */
	display: string;
	/** Absent: the file did not exist (the turn created it). */
	content?: string;
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
		if (files.some((file) => file.path === change.target.absolute)) return;
		const snapshot: FileSnapshot = { path: change.target.absolute, display: change.target.display };
		if (change.before !== undefined) snapshot.content = change.before;
		files.push(snapshot);
		this.show(conversation, turnId, false);
		await this.host.save();
	}

	/** Restores every file the turn changed. Returns the files that could not be restored (with why). */
	async undo(turnId: string): Promise<string[]> {
		const conversation = this.host.conversation();
		const files = conversation.checkpoints?.[turnId] ?? [];
		if (files.length === 0) return [];
		const edit = new vscode.WorkspaceEdit();
		const restored: FileSnapshot[] = [];
		const problems: string[] = [];
		for (const file of files) {
			const uri = vscode.Uri.file(file.path);
			try {
				if (file.content === undefined) {
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
		const turn = conversation.turns.find((candidate): candidate is AssistantTurnView => candidate.role === 'assistant' && candidate.turnId === turnId);
		if (turn) turn.changes = changes;
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
