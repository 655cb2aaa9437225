// The OpenAI adapter reads the streamed body with the shared SSE decoder instead of the SDK's stream: a body cut
// anywhere still reads the same, what follows [DONE] is ignored, and leaving early closes the HTTP response.
import * as assert from 'node:assert/strict';
import type { ChatRequest } from '../../../../src/providers/types';
import { responseClosedAfterLeaving } from '../../../support/leaveEarly';
import { startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { collect, openaiProvider } from './support';

const request = (): ChatRequest => ({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], tools: [] });
const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
	`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\r\n\r\n`;

describe('OpenAI adapter: reading the streamed body', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(async () => {
		await server.close();
	});

	it('reads a \\r\\n body sent a few characters at a time, with comments, and ignores anything after [DONE]', async () => {
		const whole = `: keep-alive\r\n\r\n${chunk({ role: 'assistant', content: 'Grü' })}${chunk({ content: 'ße' })}${chunk({}, 'stop')}data: [DONE]\r\n\r\ndata: not json\r\n\r\n`;
		const chunks: string[] = [];
		for (let at = 0; at < whole.length; at += 5) chunks.push(whole.slice(at, at + 5));
		server.push({ chunks, delayMs: 1 });
		const { events, error } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.equal(error, undefined);
		assert.deepEqual(events, [{ type: 'text-delta', delta: 'Grü' }, { type: 'text-delta', delta: 'ße' }, { type: 'finish', reason: 'stop' }]);
	});

	it('closes the HTTP response when the caller leaves the stream early', async () => {
		const outcome = await responseClosedAfterLeaving(chunk({ role: 'assistant', content: 'Hello' }), async (url) => {
			for await (const event of openaiProvider(url).stream(request(), new AbortController().signal)) {
				if (event.type === 'text-delta') break;
			}
		});
		assert.equal(outcome, 'closed');
	});
});
