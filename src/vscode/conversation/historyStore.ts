// Conversations persisted per workspace: one JSON file per chat under the extension's workspace storage (global
// storage when no folder is open), and the list plus the current chat in workspaceState. Only what the panel shows
// and the model history are stored: never a key (neither ever holds one).
import * as vscode from 'vscode';
import type { ChatMessage } from '../../shared/chat';
import type { HistoryEntry, TurnView } from '../../shared/protocol';
import type { FileSnapshot } from './checkpoints';

export interface StoredConversation {
	version: 1;
	id: string;
	title: string;
	createdAt: number;
	updatedAt: number;
	turns: TurnView[];
	/** The model history: what the next request sends. */
	messages: ChatMessage[];
	/** Per turn, each file's content before the turn first wrote it (src/vscode/conversation/checkpoints.ts). */
	checkpoints?: Record<string, FileSnapshot[]>;
}

const INDEX_KEY = 'switchboard.history';
const CURRENT_KEY = 'switchboard.currentChat';
const MAX_ENTRIES = 200;

function isEntry(value: unknown): value is HistoryEntry {
	const entry = value as Partial<HistoryEntry> | null;
	return typeof entry === 'object' && entry !== null && typeof entry.id === 'string' && typeof entry.title === 'string' && typeof entry.updatedAt === 'number';
}

function isStored(value: unknown): value is StoredConversation {
	const stored = value as Partial<StoredConversation> | null;
	return typeof stored === 'object' && stored !== null && stored.version === 1 && typeof stored.id === 'string'
		&& Array.isArray(stored.turns) && Array.isArray(stored.messages);
}

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
		const stored = this.state.get<unknown>(INDEX_KEY);
		return (Array.isArray(stored) ? stored.filter(isEntry) : []).sort((a, b) => b.updatedAt - a.updatedAt);
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
			if (conversation.turns.length === 0) return;
			const entries = this.list().filter((entry) => entry.id !== conversation.id);
			entries.unshift({ id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt });
			await this.state.update(INDEX_KEY, entries.slice(0, MAX_ENTRIES));
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
		// Ids are ours (random hex), but a hand-edited index must not reach outside the folder.
		return vscode.Uri.joinPath(this.folder, `${id.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
	}
}
