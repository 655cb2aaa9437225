// The event path without generator layers: the caller's pace, leaving early, and one client for many requests.
import * as assert from 'node:assert/strict';
import { openaiSse, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { collect, openaiProvider, request } from './support';

const text = (content: string, finishReason: string | null = null) => ({ choices: [{ index: 0, delta: { content }, finish_reason: finishReason }] });

describe('OpenAI adapter: event flow', () => {
	let server: ScriptedServer;
	before(async () => {
		// The first fetch in a process loads undici, which on a busy machine takes longer than the timeouts below.
		const warm = await startScriptedServer();
		warm.push(openaiSse([text('warm', 'stop')]));
		await collect(openaiProvider(warm.url).stream(request(), new AbortController().signal));
		await warm.close();
	});
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	it('does not count time the consumer spends on an event against timeoutMs', async () => {
		server.push(openaiSse([text('one '), text('two '), text('three', 'stop')]));
		const types: string[] = [];
		for await (const event of openaiProvider(server.url, { timeoutMs: 150 }).stream(request(), new AbortController().signal)) {
			types.push(event.type);
			if (event.type === 'text-delta') await new Promise((resolve) => setTimeout(resolve, 350));
		}
		assert.deepEqual(types, ['text-delta', 'text-delta', 'text-delta', 'finish']);
	});

	it('stops reading when the consumer leaves early, and the same provider then serves the next request', async () => {
		const provider = openaiProvider(server.url, { timeoutMs: 150 });
		server.push({ ...openaiSse([text('first '), text('second ')], { done: false }), stall: true });
		for await (const event of provider.stream(request(), new AbortController().signal)) {
			assert.equal(event.type, 'text-delta');
			break;
		}
		// The idle watchdog of the abandoned request must not fire into the next one.
		await new Promise((resolve) => setTimeout(resolve, 300));
		server.push(openaiSse([text('again', 'stop')]));
		const { events, error } = await collect(provider.stream(request(), new AbortController().signal));
		assert.equal(error, undefined);
		assert.deepEqual(events, [{ type: 'text-delta', delta: 'again' }, { type: 'finish', reason: 'stop' }]);
		assert.equal(server.requests.length, 2);
	});

	it('keeps events and their order over many chunks, each in its own read', async () => {
		const words = Array.from({ length: 300 }, (_, index) => `w${index} `);
		server.push(openaiSse([...words.map((word) => text(word)), text('', 'stop')]));
		const { events } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.equal(events.filter((event) => event.type === 'text-delta').map((event) => (event.type === 'text-delta' ? event.delta : '')).join(''), words.join(''));
		assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop' });
	});
});
