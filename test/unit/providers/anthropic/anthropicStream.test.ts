import * as assert from 'node:assert/strict';
import { anthropicSse, sseFixture, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { createAnthropicProvider } from '../../../../src/providers/anthropic/anthropicProvider';
import { keyCredential, ofType, providerFor, run, textOf, weatherRequest } from './anthropicTestKit';

const start = (usage: Record<string, number> = { input_tokens: 10, output_tokens: 1 }): [string, unknown] =>
	['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'm', stop_reason: null, usage } }];
const toolStart = (index: number, id: string, name = 'get_weather'): [string, unknown] =>
	['content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } }];
const json = (index: number, partial: string): [string, unknown] =>
	['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partial } }];
const stop = (index: number): [string, unknown] => ['content_block_stop', { type: 'content_block_stop', index }];
const delta = (stopReason: string | null, outputTokens = 5): [string, unknown] =>
	['message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } }];
const messageStop: [string, unknown] = ['message_stop', { type: 'message_stop' }];

describe('Anthropic adapter: stream events', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(async () => {
		await server.close();
	});

	it('streams text, ignores ping, and finishes with usage and stop for end_turn', async () => {
		server.push(sseFixture('anthropic-text.sse'));
		const { events, error } = await run(providerFor(server), weatherRequest());
		assert.equal(error, undefined);
		assert.deepEqual(events, [
			{ type: 'text-delta', delta: 'Hello' },
			{ type: 'text-delta', delta: '!' },
			{ type: 'usage', usage: { inputTokens: 25, outputTokens: 15 } },
			{ type: 'finish', reason: 'stop', raw: 'end_turn' },
		]);
	});

	it('accumulates input_json_delta fragments (including an empty one) into one parsed tool call at block stop', async () => {
		server.push(sseFixture('anthropic-tool-use.sse'));
		const { events, error } = await run(providerFor(server), weatherRequest());
		assert.equal(error, undefined);
		assert.equal(textOf(events), "Okay, let's check the weather for San Francisco, CA:");
		const [started] = ofType(events, 'tool-input-start');
		assert.equal(started.providerId, 'toolu_01T1x1fJ34qAmk2tNTrN7Up6');
		assert.equal(started.toolName, 'get_weather');
		// Empty fragments are not passed on; the real ones are, in order.
		assert.deepEqual(ofType(events, 'tool-input-delta').map((event) => event.delta).join(''), '{"location": "San Francisco, CA", "unit": "fahrenheit"}');
		assert.ok(ofType(events, 'tool-input-delta').every((event) => event.delta !== '' && event.callId === started.callId));
		const [call] = ofType(events, 'tool-call');
		assert.deepEqual(call, {
			type: 'tool-call', callId: started.callId, providerId: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', toolName: 'get_weather',
			input: { location: 'San Francisco, CA', unit: 'fahrenheit' }, rawInput: '{"location": "San Francisco, CA", "unit": "fahrenheit"}',
		});
		assert.deepEqual(events.slice(-2), [
			{ type: 'usage', usage: { inputTokens: 472, outputTokens: 89 } },
			{ type: 'finish', reason: 'tool_calls', raw: 'tool_use' },
		]);
	});

	it('emits reasoning deltas, then the signature when the thinking block closes, and reports cached input tokens', async () => {
		server.push(sseFixture('anthropic-thinking.sse'));
		const { events } = await run(providerFor(server), weatherRequest());
		assert.deepEqual(events.slice(0, 3), [
			{ type: 'reasoning-delta', delta: 'I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n' },
			{ type: 'reasoning-delta', delta: '1071 = 2 × 462 + 147' },
			{ type: 'reasoning-signature', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
		]);
		assert.equal(textOf(events), 'The greatest common divisor of 1071 and 462 is **21**.');
		assert.deepEqual(ofType(events, 'usage')[0].usage, { inputTokens: 1230, outputTokens: 120, cachedInputTokens: 1200 });
	});

	it('passes a redacted_thinking block on with its data unchanged', async () => {
		server.push(sseFixture('anthropic-redacted-thinking.sse'));
		const { events } = await run(providerFor(server), weatherRequest());
		assert.deepEqual(events[0], { type: 'reasoning-redacted', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP' });
		assert.equal(textOf(events), 'Done.');
	});

	it('gives each call a unique callId of ours, even when two tool_use blocks share an id', async () => {
		server.push(anthropicSse([start(), toolStart(0, 'dup'), json(0, '{"location":"A"}'), stop(0), toolStart(1, 'dup'), json(1, '{"location":"B"}'), stop(1), delta('tool_use'), messageStop]));
		const calls = ofType((await run(providerFor(server), weatherRequest())).events, 'tool-call');
		assert.deepEqual(calls.map((call) => [call.providerId, call.input]), [['dup', { location: 'A' }], ['dup', { location: 'B' }]]);
		assert.notEqual(calls[0].callId, calls[1].callId);
	});

	it('parses a tool_use block with no input fragments as {}', async () => {
		server.push(anthropicSse([start(), toolStart(0, 'toolu_empty', 'list_files'), json(0, ''), stop(0), delta('tool_use'), messageStop]));
		const [call] = ofType((await run(providerFor(server), weatherRequest())).events, 'tool-call');
		assert.deepEqual([call.toolName, call.input, call.rawInput], ['list_files', {}, '{}']);
	});

	it('reports unparseable tool input as tool-call-error invalid, never as a tool call', async () => {
		server.push(anthropicSse([start(), toolStart(0, 'toolu_bad'), json(0, '{"location": "SF",,}'), stop(0), delta('tool_use'), messageStop]));
		const { events } = await run(providerFor(server), weatherRequest());
		assert.equal(ofType(events, 'tool-call').length, 0);
		const [failed] = ofType(events, 'tool-call-error');
		assert.equal(failed.reason, 'invalid');
		assert.equal(failed.rawInput, '{"location": "SF",,}');
		assert.equal(events[events.length - 1].type, 'finish');
	});

	it('marks a call cut by max_tokens as incomplete, even if its block was closed, and finishes with length', async () => {
		server.push(anthropicSse([start(), toolStart(0, 'toolu_ok'), json(0, '{"location":"A"}'), stop(0), toolStart(1, 'toolu_cut'), json(1, '{"location":"B"}'), stop(1), delta('max_tokens'), messageStop]));
		const { events, error } = await run(providerFor(server), weatherRequest());
		assert.equal(error, undefined);
		assert.deepEqual(ofType(events, 'tool-call').map((call) => call.providerId), ['toolu_ok']);
		const [cut] = ofType(events, 'tool-call-error');
		assert.deepEqual([cut.providerId, cut.reason], ['toolu_cut', 'incomplete']);
		assert.deepEqual(events[events.length - 1], { type: 'finish', reason: 'length', raw: 'max_tokens' });
	});

	it('marks a tool_use block that never got content_block_stop as incomplete', async () => {
		server.push(anthropicSse([start(), toolStart(0, 'toolu_open'), json(0, '{"location":"San'), delta('max_tokens'), messageStop]));
		const { events } = await run(providerFor(server), weatherRequest());
		assert.equal(ofType(events, 'tool-call').length, 0);
		assert.deepEqual(ofType(events, 'tool-call-error').map((event) => [event.providerId, event.reason, event.rawInput]), [['toolu_open', 'incomplete', '{"location":"San']]);
		assert.equal(events[events.length - 1].type, 'finish');
	});

	it('on a reset socket keeps the text already emitted, marks open calls incomplete, then throws interrupted', async () => {
		server.push({ ...anthropicSse([start(), ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }], ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking' } }], stop(0), toolStart(1, 'toolu_reset'), json(1, '{"loc')]), reset: true });
		const { events, error } = await run(providerFor(server), weatherRequest());
		assert.equal(textOf(events), 'Checking');
		assert.deepEqual(ofType(events, 'tool-call-error').map((event) => [event.providerId, event.reason]), [['toolu_reset', 'incomplete']]);
		assert.equal(ofType(events, 'tool-call').length, 0);
		assert.equal(ofType(events, 'finish').length, 0);
		assert.equal(error?.kind, 'interrupted');
		// Retryable as on the OpenAI protocol (the user may press Retry); nothing is retried automatically after output.
		assert.equal(error?.retryable, true);
		assert.equal(server.requests.length, 1);
	});

	it('treats a clean end without message_stop or stop_reason as interrupted, never as success', async () => {
		server.push(anthropicSse([start(), toolStart(0, 'toolu_a'), json(0, '{"location":"A"}'), stop(0)]));
		const { events, error } = await run(providerFor(server), weatherRequest());
		assert.equal(ofType(events, 'tool-call').length, 0, 'a call not confirmed by a stop reason must not run');
		assert.deepEqual(ofType(events, 'tool-call-error').map((event) => event.reason), ['incomplete']);
		assert.equal(ofType(events, 'finish').length, 0);
		assert.equal(error?.kind, 'interrupted');
		assert.equal(error?.retryable, true);
	});

	it('finishes a refusal as refusal', async () => {
		server.push(anthropicSse([start(), delta('refusal'), messageStop]));
		const { events } = await run(providerFor(server), weatherRequest());
		assert.deepEqual(events[events.length - 1], { type: 'finish', reason: 'refusal', raw: 'refusal' });
	});

	it('finishes pause_turn as pause_turn, for the loop to send the turn back', async () => {
		server.push(anthropicSse([start(), delta('pause_turn'), messageStop]));
		const { events } = await run(providerFor(server), weatherRequest());
		assert.equal(ofType(events, 'warning').length, 0);
		assert.deepEqual(events[events.length - 1], { type: 'finish', reason: 'pause_turn', raw: 'pause_turn' });
	});

	it('fails a stop_reason that names an error (a gateway forwarding overloaded_error) as retryable, keeping the text', async () => {
		server.push(anthropicSse([start(), ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }], ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Half an' } }], stop(0), delta('overloaded_error'), messageStop]));
		const { events, error } = await run(providerFor(server), weatherRequest());
		assert.equal(textOf(events), 'Half an');
		assert.equal(ofType(events, 'finish').length, 0);
		assert.equal(error?.kind, 'overloaded');
		assert.equal(error?.retryable, true);
		assert.match(error?.message ?? '', /stop_reason "overloaded_error"/);
	});

	it('ends with ProviderError aborted when the caller aborts mid-stream, and closes the request', async () => {
		server.push({ ...anthropicSse([start(), ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }], ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }]]), stall: true });
		const controller = new AbortController();
		const fetchSignals: AbortSignal[] = [];
		const recordingFetch: typeof fetch = (input, init) => {
			if (init?.signal) fetchSignals.push(init.signal);
			return fetch(input, init);
		};
		const provider = createAnthropicProvider(
			{ id: 'test', protocol: 'anthropic', baseUrl: `${server.url}/anthropic`, maxRetries: 0 },
			{ credentials: keyCredential('k'), fetch: recordingFetch },
		);
		const events = [];
		let caught: unknown;
		try {
			for await (const event of provider.stream(weatherRequest(), controller.signal)) {
				events.push(event);
				if (event.type === 'text-delta') controller.abort();
			}
		} catch (error) {
			caught = error;
		}
		assert.deepEqual(events, [{ type: 'text-delta', delta: 'Hi' }]);
		assert.equal((caught as { kind?: string }).kind, 'aborted');
		// The HTTP request itself was aborted, not merely abandoned.
		assert.equal(fetchSignals.length, 1);
		assert.equal(fetchSignals[0].aborted, true);
	});

	it('ends with aborted, without sending, when the signal is already aborted', async () => {
		const controller = new AbortController();
		controller.abort();
		const { error } = await run(providerFor(server), weatherRequest(), controller.signal);
		assert.equal(error?.kind, 'aborted');
		assert.equal(server.requests.length, 0);
	});

	it('turns a stream that stalls past timeoutMs into an error instead of hanging', async () => {
		server.push({ ...anthropicSse([start()]), stall: true });
		const { error } = await run(providerFor(server, { timeoutMs: 150, maxRetries: 0 }), weatherRequest());
		assert.deepEqual([error?.kind, error?.retryable], ['network', true]);
		assert.match(error?.message ?? '', /^No data from the provider for 150 ms\./);
	});

	it('reports a stall after part of the answer as interrupted, as the OpenAI adapter does', async () => {
		const text: [string, unknown] = ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }];
		const words: [string, unknown] = ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Then silence' } }];
		server.push({ ...anthropicSse([start(), text, words]), stall: true });
		const { events, error } = await run(providerFor(server, { timeoutMs: 150, maxRetries: 0 }), weatherRequest());
		assert.equal(textOf(events), 'Then silence');
		assert.equal(error?.kind, 'interrupted');
		assert.match(error?.message ?? '', /^No data from the provider for 150 ms\./);
	});

	it('does not count time the consumer spends on an event against timeoutMs', async () => {
		server.push(sseFixture('anthropic-text.sse'));
		const events = [];
		for await (const event of providerFor(server, { timeoutMs: 100 }).stream(weatherRequest(), new AbortController().signal)) {
			events.push(event);
			if (event.type === 'text-delta') await new Promise((resolve) => setTimeout(resolve, 250));
		}
		assert.equal(events[events.length - 1].type, 'finish');
	});

	it('counts ping events as signs of life, so a slow but alive stream outlasts timeoutMs', async () => {
		const ping: [string, unknown] = ['ping', { type: 'ping' }];
		server.push({ ...anthropicSse([start(), ping, ping, ping, ping, ping, delta('end_turn'), messageStop]), delayMs: 80 });
		const { events, error } = await run(providerFor(server, { timeoutMs: 200 }), weatherRequest());
		assert.equal(error, undefined);
		assert.equal(events[events.length - 1].type, 'finish');
	});
});

