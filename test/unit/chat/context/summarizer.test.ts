import * as assert from 'node:assert/strict';
import { createModelSummarizer, summaryCharsPerToken } from '../../../../src/chat/context/summarizer';
import type { ChatProvider, ChatRequest, StreamEvent } from '../../../../src/providers/types';

/** A provider that streams `pieces` as text and records what was asked and whether its stream was left early. */
function provider(pieces: string[]): ChatProvider & { requests: ChatRequest[]; closedEarly: boolean; sent: number } {
	const fake = {
		protocol: 'openai' as const,
		requests: [] as ChatRequest[],
		closedEarly: false,
		sent: 0,
		async *stream(request: ChatRequest): AsyncIterable<StreamEvent> {
			fake.requests.push(request);
			let finished = false;
			try {
				for (const delta of pieces) {
					fake.sent++;
					yield { type: 'text-delta', delta };
				}
				finished = true;
			} finally {
				if (!finished) fake.closedEarly = true;
			}
		},
	};
	return fake;
}

const user = { role: 'user' as const, content: [{ type: 'text' as const, text: 'What does src/a.ts do?' }] };

describe('createModelSummarizer', () => {
	it('returns the model\'s summary and asks for at most maxOutputTokens', async () => {
		const model = provider(['a.ts parses ', 'the settings.']);
		const summary = await createModelSummarizer({ provider: model, model: 'm', signal: new AbortController().signal, window: 8000, maxOutputTokens: 100 })([user]);
		assert.equal(summary, 'a.ts parses the settings.');
		assert.equal(model.requests[0].maxOutputTokens, 100);
	});

	it('cuts a summary far longer than max_tokens allows and stops reading it (a server that ignores max_tokens)', async () => {
		// An echo of a whole 32k-token transcript: larger than what it replaces, it would be summarized again each step.
		const model = provider(Array.from({ length: 500 }, (_, n) => `${String(n).padStart(4, '0')} ${'echo '.repeat(99)}`));
		const summary = await createModelSummarizer({ provider: model, model: 'm', signal: new AbortController().signal, window: 32_000, maxOutputTokens: 100 })([user]);
		assert.equal(summary.length, 100 * summaryCharsPerToken);
		assert.ok(summary.startsWith('0000 echo'), 'the start of the summary is kept');
		assert.ok(model.closedEarly, 'the stream is left once the cap is passed');
		assert.ok(model.sent < 10, `only what the cap needs is read (read ${model.sent} of 500 pieces)`);
	});
});
