// A saved conversation's shape and the checks a file or the index must pass to be read back: the history is
// JSON on disk and in workspaceState, written by older versions or by hand, so nothing is trusted as it is read.
// No 'vscode' here; historyStore.ts does the reading and writing.
import type { ChatMessage } from '../../shared/chat';
import type { HistoryEntry, TurnView } from '../../shared/protocol';

/** A file as it was before a turn first wrote it (checkpoints.ts takes and restores them). */
export interface FileSnapshot {
	/** Absolute file-system path. */
	path: string;
	/** As the panel shows it (workspace-relative). */
	display: string;
	/** Absent: the file did not exist (the turn created it). */
	content?: string;
	/** The file's exact bytes (base64) when `content` does not give them back as UTF-8 (another encoding, a BOM). */
	bytes?: string;
	/** The text the turn's last write left; undo compares the file with it to see later changes. */
	after?: string;
}

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

/** The history list keeps this many chats; older ones drop off the list. */
export const maxHistoryEntries = 200;

export function isEntry(value: unknown): value is HistoryEntry {
	if (typeof value !== 'object' || value === null) return false;
	const entry: Partial<Record<keyof HistoryEntry, unknown>> = value;
	return typeof entry.id === 'string' && typeof entry.title === 'string' && typeof entry.updatedAt === 'number';
}

/** A file's content is a conversation we can show and continue: version 1, an id, turns and messages. */
export function isStored(value: unknown): value is StoredConversation {
	if (typeof value !== 'object' || value === null) return false;
	const stored: Partial<Record<keyof StoredConversation, unknown>> = value;
	return stored.version === 1 && typeof stored.id === 'string' && Array.isArray(stored.turns) && Array.isArray(stored.messages);
}

/** The history list as stored (anything), as the panel shows it: valid entries only, newest first. */
export function historyIndex(stored: unknown): HistoryEntry[] {
	return (Array.isArray(stored) ? stored.filter(isEntry) : []).sort((a, b) => b.updatedAt - a.updatedAt);
}

/** The list after saving `conversation`: it moves to the top, once; an empty chat is not listed (undefined: unchanged). */
export function indexAfterSave(entries: readonly HistoryEntry[], conversation: StoredConversation): HistoryEntry[] | undefined {
	if (conversation.turns.length === 0) return undefined;
	const others = entries.filter((entry) => entry.id !== conversation.id);
	return [{ id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt }, ...others].slice(0, maxHistoryEntries);
}

/** The file a conversation is saved in. Ids are ours (random hex), but a hand-edited index must not reach outside the folder. */
export function fileNameOf(id: string): string {
	return `${id.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;
}
