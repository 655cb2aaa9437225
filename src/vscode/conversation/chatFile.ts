// The file a chat is saved in. A header line, then one line per save with what changed since the line before: the
// turns from the first one that changed (the last saved turn is always rewritten: a running turn grows in place),
// the messages from the first new one, the title and times, and the checkpoints that changed. A turn of a long chat
// thus appends its own size, not the chat's. The whole file is written again (header plus one line holding
// everything) when the store has no record of what the file holds for this very object (first save of a session,
// the chat reloaded or replaced), or when the appended lines outgrow the chat. Chats saved by earlier versions are
// one JSON document and are still read. Pure: no 'vscode'; historyStore.ts does the reading and writing.
import type { ChatMessage } from '../../shared/chat';
import type { TurnView } from '../../shared/protocol';
import { isStored, type FileSnapshot, type StoredConversation } from './storedConversation';

const format = 'switchboard-chat-log';
/** Appended lines may add up to the chat's own size (at least this much) before the file is written whole again. */
export const compactAfterBytes = 256 * 1024;

interface Header {
	format: typeof format;
	version: 1;
	id: string;
}

/** One save's line. An older turn changes only by being replaced (a new object), which the identity check sees. */
interface Change {
	meta: { title: string; createdAt: number; updatedAt: number };
	turnsFrom: number;
	turns: TurnView[];
	messagesFrom: number;
	messages: ChatMessage[];
	/** Per turn id: its snapshots now, or null when they are gone. */
	checkpoints?: Record<string, FileSnapshot[] | null>;
}

/** What the file holds, as object identities of what was written (to see what changed since), and its size. */
export interface SavedFile {
	conversation: StoredConversation;
	turns: TurnView[];
	messages: ChatMessage[];
	checkpoints: Map<string, { files: FileSnapshot[]; afters: Array<string | undefined> }>;
	bytes: number;
	/** The size when it was last written whole. */
	wholeBytes: number;
}

export interface FileWrite {
	/** Appended to the file (true) or the whole file (false). */
	append: boolean;
	text: string;
	saved: SavedFile;
}

/** The next write of `conversation`, given what the file holds (`saved`, from the previous write of this store). */
export function nextWrite(conversation: StoredConversation, saved: SavedFile | undefined): FileWrite {
	const appendable = saved?.conversation === conversation && saved.bytes - saved.wholeBytes < Math.max(saved.wholeBytes, compactAfterBytes);
	if (!appendable) {
		const header: Header = { format, version: 1, id: conversation.id };
		const text = `${JSON.stringify(header)}\n${line(conversation, 0, 0, checkpointChanges(conversation, undefined))}`;
		const bytes = Buffer.byteLength(text);
		return { append: false, text, saved: savedState(conversation, bytes, bytes) };
	}
	const text = line(conversation, firstChanged(conversation.turns, saved.turns, true), firstChanged(conversation.messages, saved.messages, false), checkpointChanges(conversation, saved));
	return { append: true, text, saved: savedState(conversation, saved.bytes + Buffer.byteLength(text), saved.wholeBytes) };
}

/**
 * A chat file as saved (either format), or undefined when it is not one: a hand edit or a damaged line refuses the
 * whole file, except a last line cut short with no line break after it (the window closed during that write).
 */
export function parseChatFile(text: string): StoredConversation | undefined {
	const firstBreak = text.indexOf('\n');
	const header = parseJson(firstBreak < 0 ? text : text.slice(0, firstBreak));
	if (!isHeader(header)) {
		const whole = parseJson(text);
		return isStored(whole) ? whole : undefined;
	}
	const conversation: StoredConversation = { version: 1, id: header.id, title: '', createdAt: 0, updatedAt: 0, turns: [], messages: [] };
	const lines = text.slice(firstBreak + 1).split('\n');
	let applied = 0;
	for (let index = 0; index < lines.length; index++) {
		const last = index === lines.length - 1;
		if (last && lines[index] === '') break;
		const change = parseJson(lines[index]);
		if (change === undefined && last) break;
		if (!apply(conversation, change)) return undefined;
		applied++;
	}
	return applied > 0 && isStored(conversation) ? conversation : undefined;
}

function line(conversation: StoredConversation, turnsFrom: number, messagesFrom: number, checkpoints: Change['checkpoints']): string {
	const { title, createdAt, updatedAt } = conversation;
	const change: Change = {
		meta: { title, createdAt, updatedAt },
		turnsFrom, turns: conversation.turns.slice(turnsFrom),
		messagesFrom, messages: conversation.messages.slice(messagesFrom),
		...(checkpoints && { checkpoints }),
	};
	return `${JSON.stringify(change)}\n`;
}

/** The first index whose item is not the one written; for turns, at most the last one written (it may have grown). */
function firstChanged<T>(now: readonly T[], written: readonly T[], rewriteLast: boolean): number {
	const common = Math.min(now.length, written.length);
	let index = 0;
	while (index < common && now[index] === written[index]) index++;
	return rewriteLast && index === written.length && index > 0 ? index - 1 : index;
}

/** The checkpoints not written as they are now (all of them without `saved`); undefined when none changed. */
function checkpointChanges(conversation: StoredConversation, saved: SavedFile | undefined): Change['checkpoints'] {
	const changes: Record<string, FileSnapshot[] | null> = {};
	let any = false;
	const now = conversation.checkpoints ?? {};
	for (const [turnId, files] of Object.entries(now)) {
		const written = saved?.checkpoints.get(turnId);
		// A later write in the same turn updates a snapshot's `after` in place.
		if (written?.files === files && written.afters.length === files.length && files.every((file, index) => file.after === written.afters[index])) continue;
		changes[turnId] = files;
		any = true;
	}
	for (const turnId of saved?.checkpoints.keys() ?? []) {
		if (!Object.hasOwn(now, turnId)) {
			changes[turnId] = null;
			any = true;
		}
	}
	return any ? changes : undefined;
}

function savedState(conversation: StoredConversation, bytes: number, wholeBytes: number): SavedFile {
	const checkpoints: SavedFile['checkpoints'] = new Map();
	for (const [turnId, files] of Object.entries(conversation.checkpoints ?? {})) checkpoints.set(turnId, { files, afters: files.map((file) => file.after) });
	return { conversation, turns: [...conversation.turns], messages: [...conversation.messages], checkpoints, bytes, wholeBytes };
}

function apply(conversation: StoredConversation, value: unknown): boolean {
	if (typeof value !== 'object' || value === null) return false;
	const change: Partial<Record<keyof Change, unknown>> = value;
	const meta = change.meta as Partial<Change['meta']> | undefined;
	if (typeof meta !== 'object' || meta === null || typeof meta.title !== 'string' || typeof meta.createdAt !== 'number' || typeof meta.updatedAt !== 'number') return false;
	if (!isIndex(change.turnsFrom, conversation.turns.length) || !Array.isArray(change.turns)) return false;
	if (!isIndex(change.messagesFrom, conversation.messages.length) || !Array.isArray(change.messages)) return false;
	const checkpoints = change.checkpoints;
	if (checkpoints !== undefined && (typeof checkpoints !== 'object' || checkpoints === null || !Object.values(checkpoints).every((files) => files === null || Array.isArray(files)))) return false;
	conversation.title = meta.title;
	conversation.createdAt = meta.createdAt;
	conversation.updatedAt = meta.updatedAt;
	replaceFrom(conversation.turns, change.turnsFrom, change.turns as TurnView[]);
	replaceFrom(conversation.messages, change.messagesFrom, change.messages as ChatMessage[]);
	if (checkpoints) {
		const entries = Object.entries({ ...conversation.checkpoints, ...checkpoints as Record<string, FileSnapshot[] | null> });
		conversation.checkpoints = Object.fromEntries(entries.filter((entry): entry is [string, FileSnapshot[]] => entry[1] !== null));
	}
	return true;
}

function replaceFrom<T>(items: T[], from: number, added: readonly T[]): void {
	items.length = from;
	for (const item of added) items.push(item);
}

function isIndex(value: unknown, length: number): value is number {
	return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= length;
}

function isHeader(value: unknown): value is Header {
	if (typeof value !== 'object' || value === null) return false;
	const header: Partial<Record<keyof Header, unknown>> = value;
	return header.format === format && header.version === 1 && typeof header.id === 'string';
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}
