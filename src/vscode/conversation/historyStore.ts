// Conversations persisted per workspace: one JSON file per chat under the extension's workspace storage (global
// storage when no folder is open), and the list plus the current chat in workspaceState. Only what the panel shows
// and the model history are stored: never a key (neither ever holds one).
import * as vscode from 'vscode';
import type { HistoryEntry } from '../../shared/protocol';
import { HistorySearch, searchableText } from './historySearch';
import { fileNameOf, historyIndex, indexAfterSave, isStored, maxHistoryEntries, type StoredConversation } from './storedConversation';

const INDEX_KEY = 'switchboard.history';
const CURRENT_KEY = 'switchboard.currentChat';
const SEARCH_FILE = 'search-index.json';
/** A deleted chat's file stays this long, so Undo can bring it back. */
export const UNDO_DELETE_MS = 60_000;

export class HistoryStore {
	private readonly folder: vscode.Uri;
	/** Writes of one store happen in order, so a late save never overwrites a newer one. */
	private queue: Promise<unknown> = Promise.resolve();
	private readonly search = new HistorySearch();
	private searchLoaded: Promise<void> | undefined;
	private searchWrite: ReturnType<typeof setTimeout> | undefined;
	/** Deleted chats whose file is kept until Undo's time runs out. */
	private readonly trashed = new Map<string, { entry: HistoryEntry; timer: ReturnType<typeof setTimeout> }>();

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
			if (this.trashed.has(conversation.id)) return;
			const entries = indexAfterSave(this.list(), conversation);
			if (!entries) return;
			await this.state.update(INDEX_KEY, entries);
			this.search.set(conversation.id, searchableText(conversation.turns));
			this.saveSearchSoon();
		});
		this.queue = write.catch(() => undefined);
		return write;
	}

	/** The listed chats whose title or text holds every word of `query`, last activity first. */
	async find(query: string): Promise<HistoryEntry[]> {
		this.searchLoaded ??= this.loadSearch();
		await this.searchLoaded;
		return this.search.search(query, this.list());
	}

	/** Renames a listed chat; its place in the list (last activity) stays. */
	async rename(id: string, title: string): Promise<void> {
		await this.state.update(INDEX_KEY, this.list().map((entry) => entry.id === id ? { ...entry, title } : entry));
		const stored = await this.load(id);
		if (stored) await this.save({ ...stored, title });
	}

	/** Takes a chat off the list; its file stays for UNDO_DELETE_MS (see restore), then goes. */
	async trash(id: string): Promise<HistoryEntry | undefined> {
		const entry = this.list().find((candidate) => candidate.id === id);
		if (!entry) return undefined;
		await this.state.update(INDEX_KEY, this.list().filter((candidate) => candidate.id !== id));
		if (this.currentId === id) await this.setCurrent(undefined);
		const timer = setTimeout(() => void this.purge(id), UNDO_DELETE_MS);
		timer.unref?.();
		this.trashed.set(id, { entry, timer });
		return entry;
	}

	/** Undo of trash(): the chat is listed again where its last activity puts it. False once its file is gone. */
	async restore(id: string): Promise<boolean> {
		const trashed = this.trashed.get(id);
		if (!trashed) return false;
		clearTimeout(trashed.timer);
		this.trashed.delete(id);
		await this.state.update(INDEX_KEY, [trashed.entry, ...this.list()].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, maxHistoryEntries));
		return true;
	}

	/** Deletes every trashed chat's file now (the window is closing: nobody can undo any more). */
	async emptyTrash(): Promise<void> {
		await Promise.all([...this.trashed.keys()].map((id) => this.purge(id)));
		if (this.searchWrite) await this.saveSearch();
	}

	private async purge(id: string): Promise<void> {
		const trashed = this.trashed.get(id);
		if (trashed) clearTimeout(trashed.timer);
		this.trashed.delete(id);
		await this.delete(id);
	}

	async delete(id: string): Promise<void> {
		const remove = this.queue.then(async () => {
			await this.state.update(INDEX_KEY, this.list().filter((entry) => entry.id !== id));
			if (this.currentId === id) await this.setCurrent(undefined);
			this.search.delete(id);
			this.saveSearchSoon();
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

	/**
	 * The saved search texts, plus those of chats saved before there was one (read once, then saved with the rest).
	 * A missing or unreadable index file is rebuilt from the chats.
	 */
	private async loadSearch(): Promise<void> {
		try {
			const parsed: unknown = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.folder, SEARCH_FILE))));
			const texts = typeof parsed === 'object' && parsed !== null ? (parsed as { texts?: unknown }).texts : undefined;
			if (typeof texts === 'object' && texts !== null) {
				for (const [id, text] of Object.entries(texts)) if (typeof text === 'string' && !this.search.has(id)) this.search.set(id, text);
			}
		} catch {
			// No index yet: built below from the chats themselves.
		}
		const missing = this.list().filter((entry) => !this.search.has(entry.id));
		for (const entry of missing) {
			const stored = await this.load(entry.id);
			if (stored) this.search.set(entry.id, searchableText(stored.turns));
		}
		if (missing.length > 0) this.saveSearchSoon();
	}

	/** The index is written a little after the last change: a long answer saves many times. */
	private saveSearchSoon(): void {
		if (this.searchWrite) return;
		this.searchWrite = setTimeout(() => void this.saveSearch(), 2000);
		this.searchWrite.unref?.();
	}

	private async saveSearch(): Promise<void> {
		if (this.searchWrite) clearTimeout(this.searchWrite);
		this.searchWrite = undefined;
		// Texts saved by an earlier session are read first, or this write would drop them.
		this.searchLoaded ??= this.loadSearch();
		await this.searchLoaded;
		const snapshot = JSON.stringify({ version: 1, texts: this.search.toJSON() });
		const write = this.queue.then(async () => {
			await vscode.workspace.fs.createDirectory(this.folder);
			await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.folder, SEARCH_FILE), new TextEncoder().encode(snapshot));
		});
		this.queue = write.catch(() => undefined);
		await write.catch(() => undefined);
	}

	private fileOf(id: string): vscode.Uri {
		return vscode.Uri.joinPath(this.folder, fileNameOf(id));
	}
}
