// A saved conversation's shape and the checks a file or the index must pass to be read back: the history is
// JSON on disk and in workspaceState, written by older versions or by hand, so nothing is trusted as it is read.
// No 'vscode' here; historyStore.ts does the reading and writing.
import type { ChatMessage } from '../../shared/chat';
import type { HistoryEntry, TurnChangesView, TurnView } from '../../shared/protocol';
import type { FileChange } from '../../tools/fileChange';

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
export const maxHistoryEntries = 1000;

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

/**
 * Keeps the file's state before a turn's first write to it in `files` (the turn's snapshots); a later write in the
 * same turn only updates what the turn left. `savedBytes` is read for a new snapshot of an existing file: when the
 * text does not give the bytes back as UTF-8 (a BOM, another encoding), they are kept too. True: a new file.
 */
export async function addSnapshot(files: FileSnapshot[], change: Pick<FileChange, 'target' | 'before' | 'after'>, savedBytes: () => Promise<Uint8Array | undefined>): Promise<boolean> {
	const earlier = files.find((file) => file.path === change.target.absolute);
	if (earlier) {
		earlier.after = change.after;
		return false;
	}
	const snapshot: FileSnapshot = { path: change.target.absolute, display: change.target.display, after: change.after };
	if (change.before !== undefined) {
		snapshot.content = change.before;
		const bytes = await savedBytes();
		if (bytes && !Buffer.from(bytes).equals(Buffer.from(change.before, 'utf8'))) snapshot.bytes = Buffer.from(bytes).toString('base64');
	}
	files.push(snapshot);
	return true;
}

/** Whether the file's text is still what the turn left (a BOM added or dropped by an editor does not count). */
export function unchangedSince(after: string, now: string): boolean {
	return withoutBom(now) === withoutBom(after);
}

function withoutBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Records on the assistant turn `turnId` the files it changed. The last turn is updated in place (a running turn's
 * view is shared with the code streaming into it); an older one is replaced by an updated copy, because the chat
 * file sees a change of an older turn by its identity (chatFile.ts).
 */
export function setTurnChanges(conversation: StoredConversation, turnId: string, changes: TurnChangesView): void {
	const index = conversation.turns.findIndex((turn) => turn.role === 'assistant' && turn.turnId === turnId);
	const turn = conversation.turns[index];
	if (turn?.role !== 'assistant') return;
	if (index === conversation.turns.length - 1) turn.changes = changes;
	else conversation.turns[index] = { ...turn, changes };
}
