// The conversation a chat shows and its persistence: loaded from the history at start (a turn cut off by a reload
// comes back settled), saved on change with a short delay so a long answer is not written per token.
import { randomBytes } from 'node:crypto';
import { settleAfterReload } from './conversationMapper';
import type { HistoryStore, StoredConversation } from './historyStore';
import type { Log } from '../log';

export function newId(): string {
	return randomBytes(8).toString('hex');
}

function emptyConversation(): StoredConversation {
	const now = Date.now();
	return { version: 1, id: newId(), title: 'New chat', createdAt: now, updatedAt: now, turns: [], messages: [] };
}

export class CurrentConversation {
	private current: StoredConversation = emptyConversation();
	private saveTimer: ReturnType<typeof setTimeout> | undefined;
	private closed = false;

	constructor(private readonly history: HistoryStore, private readonly log: Log) {}

	get value(): StoredConversation {
		return this.current;
	}

	/** The conversation the history names as current, else a new one that becomes current. */
	async load(): Promise<void> {
		const id = this.history.currentId;
		const stored = id ? await this.history.load(id) : undefined;
		if (stored) this.current = settled(stored);
		else await this.history.setCurrent(this.current.id);
	}

	/** Switches to a saved conversation; false when it cannot be read. */
	async open(id: string): Promise<boolean> {
		const stored = await this.history.load(id);
		if (!stored) return false;
		await this.saveNow();
		this.current = settled(stored);
		await this.history.setCurrent(id);
		return true;
	}

	/** Replaces the conversation with an empty one (the old one stays in the history unless it was deleted). */
	async startNew(): Promise<void> {
		this.current = emptyConversation();
		await this.history.setCurrent(this.current.id);
	}

	scheduleSave(delayMs: number): void {
		if (this.saveTimer || this.closed) return;
		this.saveTimer = setTimeout(() => void this.saveNow(), delayMs);
	}

	async saveNow(): Promise<void> {
		if (this.saveTimer) clearTimeout(this.saveTimer);
		this.saveTimer = undefined;
		if (this.closed) return;
		this.current.updatedAt = Date.now();
		try {
			await this.history.save(this.current);
		} catch (error) {
			this.log.error('Could not save the chat', error);
		}
	}

	/** Saves once more and stops saving: after a shutdown the saved snapshot is the truth. */
	async close(): Promise<void> {
		await this.saveNow();
		this.closed = true;
	}
}

function settled(stored: StoredConversation): StoredConversation {
	const { turns, messages } = settleAfterReload(stored.turns, stored.messages);
	return { ...stored, turns, messages };
}
