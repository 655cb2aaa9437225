// The conversation a chat shows and its persistence: loaded from the history at start (a turn cut off by a reload
// comes back settled), saved on change with a short delay so a long answer is not written per token.
import { randomBytes } from 'node:crypto';
import { settleAfterReload } from '../../shared/transcript';
import type { HistoryStore } from './historyStore';
import type { StoredConversation } from './storedConversation';
import type { Log } from '../log';

/** What the current conversation needs of the history (HistoryStore; a plain object in the unit tests). */
export type ConversationStore = Pick<HistoryStore, 'currentId' | 'load' | 'setCurrent' | 'save'>;

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
	/** Something was said since the last save: the history sorts chats by this, not by when they were opened. */
	private active = false;

	constructor(private readonly history: ConversationStore, private readonly log: Log) {}

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

	/** A message was added: the next save moves the chat to the top of the history. */
	touch(): void {
		this.active = true;
	}

	scheduleSave(delayMs: number): void {
		this.active = true;
		if (this.saveTimer || this.closed) return;
		this.saveTimer = setTimeout(() => void this.saveNow(), delayMs);
	}

	async saveNow(): Promise<void> {
		if (this.saveTimer) clearTimeout(this.saveTimer);
		this.saveTimer = undefined;
		if (this.closed) return;
		if (this.active) this.current.updatedAt = Date.now();
		this.active = false;
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
