// Search over the saved chats' titles and message text. Each chat's text (what was said, not tool output) is kept
// in memory, lower-cased once, so a query is a few substring scans: instant with hundreds of chats (bench/history.ts).
// Pure: no 'vscode'; historyStore.ts loads and saves it.
import type { HistoryEntry, TurnView } from '../../shared/protocol';

/** Per chat, the text searched is cut here: a very long chat is still found by its first 60,000 characters. */
export const maxSearchChars = 60_000;
const snippetRadius = 40;

/** The words of a conversation worth finding it by: the prompts and the answers. */
export function searchableText(turns: readonly TurnView[]): string {
	const parts: string[] = [];
	let length = 0;
	for (const turn of turns) {
		const texts = turn.role === 'user' ? [turn.text] : turn.segments.flatMap((segment) => segment.kind === 'text' ? [segment.text] : []);
		for (const text of texts) {
			parts.push(text);
			length += text.length + 1;
			if (length >= maxSearchChars) return parts.join('\n').slice(0, maxSearchChars);
		}
	}
	return parts.join('\n');
}

interface Indexed {
	text: string;
	lower: string;
}

export class HistorySearch {
	private readonly texts = new Map<string, Indexed>();

	has(id: string): boolean {
		return this.texts.has(id);
	}

	set(id: string, text: string): void {
		this.texts.set(id, { text, lower: text.toLowerCase() });
	}

	delete(id: string): void {
		this.texts.delete(id);
	}

	/** For saving: id → text. */
	toJSON(): Record<string, string> {
		return Object.fromEntries([...this.texts].map(([id, indexed]) => [id, indexed.text]));
	}

	/**
	 * The entries whose title or text holds every word of `query` (case-insensitive), in the order given (the caller's:
	 * last activity first). A match in the text brings a snippet around its first word.
	 */
	search(query: string, entries: readonly HistoryEntry[]): HistoryEntry[] {
		const words = query.toLowerCase().split(/\s+/).filter((word) => word !== '');
		if (words.length === 0) return [...entries];
		const hits: HistoryEntry[] = [];
		for (const entry of entries) {
			const title = entry.title.toLowerCase();
			const indexed = this.texts.get(entry.id);
			let snippetAt = -1;
			let all = true;
			for (const word of words) {
				if (title.includes(word)) continue;
				const at = indexed ? indexed.lower.indexOf(word) : -1;
				if (at < 0) {
					all = false;
					break;
				}
				if (snippetAt < 0) snippetAt = at;
			}
			if (!all) continue;
			hits.push(snippetAt >= 0 && indexed ? { ...entry, snippet: snippetOf(indexed.text, snippetAt) } : { ...entry });
		}
		return hits;
	}
}

function snippetOf(text: string, at: number): string {
	const start = Math.max(0, at - snippetRadius);
	const end = Math.min(text.length, at + snippetRadius * 2);
	return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}
