// The summaries a conversation already paid for. Once a conversation is over its window, every later turn would
// otherwise ask the model to summarize the same old turns again. Keyed by the exact messages a summary stands for
// (their count and a hash), so an edited or different history never gets another's summary.
import { createHash } from 'node:crypto';
import type { ChatMessage } from '../../shared/chat';

interface Entry {
	count: number;
	hash: string;
	text: string;
}

/** Entries kept: the latest summary and the few before it (a retry with a smaller window may cut earlier). */
const maxEntries = 4;

export class SummaryCache {
	private entries: Entry[] = [];

	/** The summary written for exactly `messages`. */
	exact(messages: readonly ChatMessage[]): string | undefined {
		const hash = hashOf(messages);
		return this.entries.find((entry) => entry.count === messages.length && entry.hash === hash)?.text;
	}

	/**
	 * The summary of the longest cached proper prefix of `messages`: the caller summarizes it together with the
	 * messages after it, instead of all of them from scratch.
	 */
	prefix(messages: readonly ChatMessage[]): { text: string; count: number } | undefined {
		const candidates = this.entries.filter((entry) => entry.count < messages.length).sort((a, b) => b.count - a.count);
		for (const entry of candidates) {
			if (hashOf(messages.slice(0, entry.count)) === entry.hash) return { text: entry.text, count: entry.count };
		}
		return undefined;
	}

	remember(messages: readonly ChatMessage[], text: string): void {
		const hash = hashOf(messages);
		this.entries = [...this.entries.filter((entry) => entry.count !== messages.length || entry.hash !== hash), { count: messages.length, hash, text }]
			.slice(-maxEntries);
	}

	get size(): number {
		return this.entries.length;
	}
}

function hashOf(messages: readonly ChatMessage[]): string {
	const hash = createHash('sha256');
	// Length-prefixed, so no two different lists of messages produce the same input to the hash.
	for (const message of messages) {
		const json = JSON.stringify(message);
		hash.update(`${json.length}:${json}`);
	}
	return hash.digest('hex');
}
