// Conversations persisted per workspace: one JSON file per chat under the extension's workspace storage (global
// storage when no folder is open), and the list plus the current chat in workspaceState. Only what the panel shows
// and the model history are stored: never a key (neither ever holds one).
import * as vscode from 'vscode';
import type { HistoryEntry } from '../../shared/protocol';
import { fileNameOf, historyIndex, indexAfterSave, isStored, type StoredConversation } from './storedConversation';

const INDEX_KEY = 'switchboard.history';
const CURRENT_KEY = 'switchboard.currentChat';
export class HistoryStore {
	private readonly folder: vscode.Uri;
	/** Writes of one store happen in order, so a late save never overwrites a newer one. */
	private queue: Promise<unknown> = Promise.resolve();

	constructor(private readonly state: vscode.Memento, storage: vscode.Uri) {
		this.folder = vscode.Uri.joinPath(storage, 'chats');
	}

	static forContext(context: vscode.ExtensionContext): HistoryStore {
		return new HistoryStore(context.workspaceState, context.storageUri ?? context.globalStorageUri);
	}

	/** Newest first. */
	list(): HistoryEntry[] {
		return historyIndex(this.state.get<unknown>(INDEX_KEY));
	}

	get currentId(): string | undefined {
		return this.state.get<string>(CURRENT_KEY);
	}

	async setCurrent(id: string | undefined): Promise<void> {
		await this.state.update(CURRENT_KEY, id);
	}

	async load(id: string): Promise<StoredConversation | undefined> {
		await this.queue;
		try {
			const data = await vscode.workspace.fs.readFile(this.fileOf(id));
			const parsed: unknown = JSON.parse(new TextDecoder().decode(data));
			return isStored(parsed) ? parsed : undefined;
		} catch {
			return undefined;
		}
	}

	/** Saves the conversation and its index entry; an empty conversation is not listed. */
	save(conversation: StoredConversation): Promise<void> {
		const snapshot = JSON.stringify(conversation);
		const write = this.queue.then(async () => {
			await vscode.workspace.fs.createDirectory(this.folder);
			await vscode.workspace.fs.writeFile(this.fileOf(conversation.id), new TextEncoder().encode(snapshot));
			const entries = indexAfterSave(this.list(), conversation);
			if (entries) await this.state.update(INDEX_KEY, entries);
		});
		this.queue = write.catch(() => undefined);
		return write;
	}

	async delete(id: string): Promise<void> {
		const remove = this.queue.then(async () => {
			await this.state.update(INDEX_KEY, this.list().filter((entry) => entry.id !== id));
			if (this.currentId === id) await this.setCurrent(undefined);
			try {
				await vscode.workspace.fs.delete(this.fileOf(id));
			} catch {
				// Already gone: the index no longer lists it, which is what matters.
			}
		});
		this.queue = remove.catch(() => undefined);
		await remove;
	}

	/** Resolves when every save started so far has finished. */
	async flushed(): Promise<void> {
		await this.queue;
	}

	private fileOf(id: string): vscode.Uri {
		return vscode.Uri.joinPath(this.folder, fileNameOf(id));
	}
}
