import * as assert from 'node:assert/strict';
import { compactToFit, elideMiddle, isSummaryMessage, type CompactionInput } from '../../../../src/chat/context/compaction';
import { estimatePromptTokens } from '../../../../src/chat/context/tokenEstimate';
import type { AssistantMessage, ChatMessage, ToolMessage } from '../../../../src/shared/chat';
import { textOf } from '../../../../src/shared/chat';

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const assistant = (text: string): ChatMessage => ({ role: 'assistant', content: [{ type: 'text', text }] });
const call = (id: string, path: string): ChatMessage => ({
	role: 'assistant', content: [{ type: 'tool-call', id, providerId: `call_${id}`, toolName: 'read_file', input: { path } }],
});
const result = (id: string, value: string): ChatMessage => ({ role: 'tool', content: [{ type: 'tool-result', callId: id, toolName: 'read_file', output: { type: 'text', value } }] });
const fileText = (lines: number, tag: string): string =>
	Array.from({ length: lines }, (_, i) => `${tag} line ${i}: const value${i} = compute(${i});`).join('\n');

const system = 'You are a coding assistant.';

/** Four turns: two old ones with big tool results and long answers, then the last two (kept). */
function conversation(): ChatMessage[] {
	return [
		user('Explain src/a.ts'),
		call('c1', 'src/a.ts'),
		result('c1', fileText(400, 'A')),
		assistant(`a.ts computes values. ${'It is explained at length. '.repeat(60)}`),
		user('And src/b.ts?'),
		call('c2', 'src/b.ts'),
		result('c2', fileText(400, 'B')),
		assistant(`b.ts does the same. ${'More explanation follows here. '.repeat(60)}`),
		user('Now compare them with src/c.ts'),
		call('c3', 'src/c.ts'),
		result('c3', fileText(40, 'C')),
		assistant('c.ts is shorter.'),
		user('Which one should I refactor first?'),
	];
}

const size = (messages: readonly ChatMessage[]): number => estimatePromptTokens({ system, messages });

function input(messages: ChatMessage[], window: number, extra: Partial<CompactionInput> = {}): CompactionInput {
	return { system, messages, window, reserveOutput: 200, ...extra };
}

/** Every tool message directly follows the assistant message whose calls it answers, in order, and vice versa. */
function assertPaired(messages: readonly ChatMessage[]): void {
	messages.forEach((message, index) => {
		const calls = message.role === 'assistant' ? (message as AssistantMessage).content.flatMap((p) => p.type === 'tool-call' ? [p.id] : []) : [];
		if (calls.length > 0) {
			const next = messages[index + 1];
			assert.equal(next?.role, 'tool', `the calls at ${index} are followed by their results`);
			assert.deepEqual((next as ToolMessage).content.map((p) => p.callId), calls);
		}
		if (message.role === 'tool') assert.equal(messages[index - 1]?.role, 'assistant', `the results at ${index} follow their calls`);
	});
}

describe('compaction', () => {
	it('returns the conversation unchanged when it fits', async () => {
		const messages = conversation();
		let asked = 0;
		const out = await compactToFit(input(messages, 100_000, { summarize: async () => (asked++, 'x') }));
		assert.deepEqual(out.messages, messages);
		assert.equal(out.summary, undefined);
		assert.equal(out.elidedToolResults, 0);
		assert.equal(out.fits, true);
		assert.equal(out.usedTokens, size(messages));
		assert.equal(asked, 0);
	});

	it('shortens old tool results first, keeping their head and tail, without asking for a summary', async () => {
		const messages = conversation();
		const original = structuredClone(messages);
		const window = size(messages) - 2000;
		let asked = 0;
		const out = await compactToFit(input(messages, window, { summarize: async () => (asked++, 'x') }));
		assert.equal(asked, 0);
		assert.equal(out.summary, undefined);
		assert.equal(out.fits, true);
		assert.ok(out.usedTokens <= window - 200);
		assert.ok(out.elidedToolResults >= 1);
		const shortened = (out.messages[2] as ToolMessage).content[0].output;
		assert.equal(shortened.type, 'text');
		const text = shortened.type === 'text' ? shortened.value : '';
		assert.match(text, /^A line 0: /);
		assert.match(text, /A line 399: const value399 = compute\(399\);$/);
		assert.match(text, /\n\[… \d+ chars elided to fit the context window\]\n/);
		assert.deepEqual(out.messages.slice(8), original.slice(8), 'the last two turns are untouched');
		assert.deepEqual(messages, original, 'the caller\'s messages are not modified');
	});

	it('then summarizes the oldest turns into one message, keeping the first user message and the last two turns', async () => {
		const messages = conversation();
		const window = 1500;
		let given: readonly ChatMessage[] = [];
		const out = await compactToFit(input(messages, window, { summarize: async (turns) => (given = turns, 'The user asked about a.ts and b.ts; both compute values.') }));
		assert.equal(out.fits, true);
		assert.ok(out.elidedToolResults >= 2, 'tool results were shortened before summarizing');
		assert.deepEqual(out.summary, { text: 'The user asked about a.ts and b.ts; both compute values.', replacedCount: 7, byModel: true });
		assert.deepEqual(given.map((m) => m.role), ['assistant', 'tool', 'assistant', 'user', 'assistant', 'tool', 'assistant']);
		assert.deepEqual(out.messages[0], messages[0]);
		assert.equal(out.messages[1].role, 'assistant');
		assert.ok(isSummaryMessage(out.messages[1]));
		assert.match(textOf(out.messages[1]), /both compute values/);
		assert.deepEqual(out.messages.slice(2), messages.slice(8));
		assertPaired(out.messages);
	});

	it('summarizes only as many of the oldest turns as needed', async () => {
		const messages = [...conversation().slice(0, 8), user('Third question'), assistant('Third answer.'), ...conversation().slice(8)];
		const out = await compactToFit(input(messages, 1800, { summarize: async () => 'Summary.' }));
		assert.equal(out.summary?.replacedCount, 7, 'the third turn stays as it was');
		assert.deepEqual(out.messages.slice(2, 4).map(textOf), ['Third question', 'Third answer.']);
	});

	it('leaves the oldest turns out with a note when there is no summarizer, or when it fails', async () => {
		const omitted = await compactToFit(input(conversation(), 1500));
		assert.equal(omitted.summary?.byModel, false);
		assert.match(textOf(omitted.messages[1]), /7 earlier messages were left out to fit the context window/);
		assert.equal(omitted.warning, undefined);
		const failed = await compactToFit(input(conversation(), 1500, { summarize: async () => { throw new Error('overloaded'); } }));
		assert.equal(failed.summary?.byModel, false);
		assert.match(failed.warning ?? '', /Could not summarize the earlier conversation \(overloaded\)/);
	});

	it('rethrows a summarizer failure caused by cancelling', async () => {
		const controller = new AbortController();
		controller.abort();
		await assert.rejects(
			compactToFit(input(conversation(), 1500, { signal: controller.signal, summarize: async () => { throw new Error('aborted'); } })),
			/aborted/,
		);
	});

	it('shortens the recent turns\' tool results only as a last resort', async () => {
		const messages = [user('Read the big file'), call('c1', 'big.ts'), result('c1', fileText(2000, 'Z'))];
		const out = await compactToFit(input(messages, 600, { summarize: async () => 'never' }));
		assert.equal(out.summary, undefined, 'a single turn has nothing to summarize');
		assert.equal(out.fits, true);
		const output = (out.messages[2] as ToolMessage).content[0].output;
		assert.ok(output.type === 'text' && output.value.length < 500);
	});

	it('keeps the invariants at every window size: first user message, last turns, calls with their results', async () => {
		const messages = conversation();
		const lastTurns = messages.slice(8);
		for (let window = 400; window <= size(messages) + 400; window += 150) {
			const out = await compactToFit(input(messages, window, { summarize: async () => 'Earlier: a.ts and b.ts were read.' }));
			assert.deepEqual(out.messages[0], messages[0], `window ${window}`);
			const tail = out.messages.slice(-lastTurns.length);
			assert.deepEqual(tail.map((m) => [m.role, textOf(m)]), lastTurns.map((m) => [m.role, textOf(m)]), `window ${window}`);
			assert.equal(out.messages.filter(isSummaryMessage).length, out.summary ? 1 : 0);
			assertPaired(out.messages);
		}
	});

	it('turns a JSON result it shortens into text', async () => {
		const big: ChatMessage = { role: 'tool', content: [{ type: 'tool-result', callId: 'c1', toolName: 'read_file', output: { type: 'json', value: { lines: fileText(300, 'J').split('\n') } } }] };
		const messages = [user('q'), call('c1', 'j.json'), big, assistant('done'), user('q2'), assistant('a2'), user('q3')];
		const out = await compactToFit(input(messages, 1200));
		const output = (out.messages[2] as ToolMessage).content[0].output;
		assert.equal(output.type, 'text');
		assert.match(output.type === 'text' ? output.value : '', /^\{"lines":\["J line 0/);
	});
});

describe('elideMiddle', () => {
	it('counts the characters cut from the original across two passes', () => {
		const text = 'h'.repeat(5000) + 't'.repeat(5000);
		const once = elideMiddle(text, 2000);
		const twice = elideMiddle(once, 400);
		const count = (s: string): number => Number(/\[… (\d+) chars elided/.exec(s)?.[1]);
		assert.equal(count(once), 10_000 - 1200 - 600);
		assert.equal(count(twice), 10_000 - 240 - 120);
		assert.ok(twice.startsWith('h'.repeat(240) + '\n[…'));
		assert.ok(twice.endsWith(']\n' + 't'.repeat(120)));
	});

	it('never splits a surrogate pair', () => {
		const out = elideMiddle('🙂'.repeat(1000), 101);
		assert.doesNotMatch(out, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
	});
});
