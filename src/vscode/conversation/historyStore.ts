// Conversations persisted per workspace: one file per chat under the extension's workspace storage (global
// storage when no folder is open; its format is chatFile.ts's), and the list plus the current chat in
// workspaceState. Only what the panel shows and the model history are stored: never a key (neither ever holds one).
// A save appends what changed to a local file; saves asked for while one is written become one save after it.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { HistoryEntry } from '../../shared/protocol';
import { nextWrite, parseChatFile, type SavedFile } from './chatFile';
import { HistorySearch, searchableText } from './historySearch';
import { fileNameOf, historyIndex, indexAfterSave, maxHistoryEntries, type StoredConversation } from './storedConversation';

const INDEX_KEY = 'switchboard.history';
const CURRENT_KEY = 'switchboard.currentChat';
const SEARCH_FILE = 'search-index.json';
/** A deleted chat's file stays this long, so Undo can bring it back. */
export const UNDO_DELETE_MS = 60_000;
/** A save that only moves the top chat's time updates the list this much later (workspaceState is a round trip). */
const INDEX_WRITE_MS = 2000;

/** One write of a chat file (the bench's probe reads it). */
export interface SaveWrite {
	/** Written (appended, or the whole file). */
	written: number;
	fileBytes: number;
	append: boolean;
}

export class HistoryStore {
	private readonly folder: vscode.Uri;
	/** Writes of one store happen in order, so a late save never overwrites a newer one. */
	private queue: Promise<unknown> = Promise.resolve();
	/** Per chat, the save waiting for the one being written: later saves join it (never a queue of snapshots). */
	private readonly waiting = new Map<string, { conversation: StoredConversation; done: Promise<void> }>();
	/** What the last written chat's file holds, so its next save appends only what changed. */
	private saved: SavedFile | undefined;
	/** The list, when newer than workspaceState's (only the top chat's time changed): written by indexTimer. */
	private pendingIndex: HistoryEntry[] | undefined;
	private indexTimer: ReturnType<typeof setTimeout> | undefined;
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
		return this.pendingIndex ?? historyIndex(this.state.get<unknown>(INDEX_KEY));
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
			return parseChatFile(new TextDecoder().decode(await vscode.workspace.fs.readFile(this.fileOf(id))));
		} catch {
			return undefined;
		}
	}

	/**
	 * Saves the conversation as it is when its write starts, and its index entry (an empty conversation is not
	 * listed). Called while this chat's previous save is being written, it joins the one save that follows.
	 */
	save(conversation: StoredConversation): Promise<void> {
		const waiting = this.waiting.get(conversation.id);
		if (waiting) {
			waiting.conversation = conversation;
			return waiting.done;
		}
		const next = { conversation, done: Promise.resolve() };
		this.waiting.set(conversation.id, next);
		next.done = this.enqueue(async () => {
			this.waiting.delete(conversation.id);
			await this.write(next.conversation);
		});
		return next.done;
	}

	/** One save: the file (appended to when it can be), then the list. */
	private async write(conversation: StoredConversation): Promise<SaveWrite> {
		const file = this.fileOf(conversation.id);
		let write = nextWrite(conversation, this.saved);
		// Node's fs can append (vscode.workspace.fs cannot), if the file is still the one this store wrote.
		const local = file.scheme === 'file';
		if (write.append && !(local && await sizeOf(file.fsPath) === this.saved?.bytes)) write = nextWrite(conversation, undefined);
		this.saved = undefined;
		if (write.append) await fs.appendFile(file.fsPath, write.text);
		else if (local) {
			await fs.mkdir(this.folder.fsPath, { recursive: true });
			await fs.writeFile(file.fsPath, write.text);
		} else {
			await vscode.workspace.fs.createDirectory(this.folder);
			await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(write.text));
		}
		this.saved = write.saved;
		const result = { written: Buffer.byteLength(write.text), fileBytes: write.saved.bytes, append: write.append };
		if (this.trashed.has(conversation.id)) return result;
		const list = this.list();
		const entries = indexAfterSave(list, conversation);
		if (!entries) return result;
		// Only the top chat's time changed: its place and title stand, so the list can wait.
		if (list[0]?.id === conversation.id && list[0].title === conversation.title) this.writeIndexSoon(entries);
		else await this.writeIndex(entries);
		this.search.set(conversation.id, searchableText(conversation.turns));
		this.saveSearchSoon();
		return result;
	}

	/** The listed chats whose title or text holds every word of `query`, last activity first. */
	async find(query: string): Promise<HistoryEntry[]> {
		this.searchLoaded ??= this.loadSearch();
		await this.searchLoaded;
		return this.search.search(query, this.list());
	}

	/** Renames a listed chat; its place in the list (last activity) stays. */
	async rename(id: string, title: string): Promise<void> {
		await this.writeIndex(this.list().map((entry) => entry.id === id ? { ...entry, title } : entry));
		const stored = await this.load(id);
		if (stored) await this.save({ ...stored, title });
	}

	/** Takes a chat off the list; its file stays for UNDO_DELETE_MS (see restore), then goes. */
	async trash(id: string): Promise<HistoryEntry | undefined> {
		const entry = this.list().find((candidate) => candidate.id === id);
		if (!entry) return undefined;
		await this.writeIndex(this.list().filter((candidate) => candidate.id !== id));
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
		await this.writeIndex([trashed.entry, ...this.list()].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, maxHistoryEntries));
		return true;
	}

	/** Deletes every trashed chat's file now (the window is closing: nobody can undo any more). */
	async emptyTrash(): Promise<void> {
		await Promise.all([...this.trashed.keys()].map((id) => this.purge(id)));
		if (this.searchWrite) await this.saveSearch();
		await this.flushed();
	}

	private async purge(id: string): Promise<void> {
		const trashed = this.trashed.get(id);
		if (trashed) clearTimeout(trashed.timer);
		this.trashed.delete(id);
		await this.delete(id);
	}

	async delete(id: string): Promise<void> {
		const remove = this.enqueue(async () => {
			await this.writeIndex(this.list().filter((entry) => entry.id !== id));
			if (this.currentId === id) await this.setCurrent(undefined);
			this.search.delete(id);
			this.saveSearchSoon();
			try {
				await vscode.workspace.fs.delete(this.fileOf(id));
			} catch {
				// Already gone: the index no longer lists it, which is what matters.
			}
		});
		await remove;
	}

	/** Resolves when every save started so far has finished. */
	async flushed(): Promise<void> {
		await this.queue;
		if (this.pendingIndex) await this.writeIndex(this.pendingIndex);
	}

	private enqueue(work: () => Promise<unknown>): Promise<void> {
		const run = this.queue.then(work).then(() => undefined);
		this.queue = run.catch(() => undefined);
		return run;
	}

	/** The list, now (a change of order, title or membership); any list waiting to be written is replaced. */
	private async writeIndex(entries: HistoryEntry[]): Promise<void> {
		if (this.indexTimer) clearTimeout(this.indexTimer);
		this.indexTimer = undefined;
		this.pendingIndex = undefined;
		await this.state.update(INDEX_KEY, entries);
	}

	private writeIndexSoon(entries: HistoryEntry[]): void {
		this.pendingIndex = entries;
		if (this.indexTimer) return;
		this.indexTimer = setTimeout(() => {
			this.indexTimer = undefined;
			if (this.pendingIndex) void this.writeIndex(this.pendingIndex);
		}, INDEX_WRITE_MS);
		this.indexTimer.unref?.();
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
		await this.enqueue(async () => {
			await vscode.workspace.fs.createDirectory(this.folder);
			await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.folder, SEARCH_FILE), new TextEncoder().encode(snapshot));
		}).catch(() => undefined);
	}

	private fileOf(id: string): vscode.Uri {
		return vscode.Uri.joinPath(this.folder, fileNameOf(id));
	}
}

/** The file's size, or undefined when it is not there. */
async function sizeOf(path: string): Promise<number | undefined> {
	try {
		return (await fs.stat(path)).size;
	} catch {
		return undefined;
	}
}
