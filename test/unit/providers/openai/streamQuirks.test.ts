// The ways real OpenAI-compatible servers stray from the spec while streaming, one test each, through the
// real SDK and the scripted server. Chunks are built inline where the quirk is the whole point of the test.
import * as assert from 'node:assert/strict';
import { openaiSse, sseFixture, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { collect, ofType, openaiProvider, request, type Outcome } from './support';

type Delta = Record<string, unknown>;
const chunk = (delta: Delta, finishReason: string | null = null, extra: Delta = {}) => ({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason, ...extra }] });
const calls = (...toolCalls: Delta[]) => ({ tool_calls: toolCalls });
const finishChunk = (reason: string) => chunk({}, reason);

describe('OpenAI adapter: streaming quirks', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	async function run(chunks: unknown[], options: { done?: boolean } = {}): Promise<Outcome> {
		server.push(openaiSse(chunks, options));
		return collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
	}
	const summary = (outcome: Outcome) => ofType(outcome.events, 'tool-call').map((e) => [e.callId, e.providerId, e.toolName, e.input]);

	it('emits text deltas, then usage with cached tokens from the usage-only chunk (choices: [])', async () => {
		server.push(sseFixture('openai-text-stream.sse'));
		const { events } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.deepEqual(events, [
			{ type: 'text-delta', delta: 'Hello' },
			{ type: 'text-delta', delta: ' there!' },
			{ type: 'usage', usage: { inputTokens: 9, outputTokens: 3, cachedInputTokens: 4 } },
			{ type: 'finish', reason: 'stop' },
		]);
	});

	it('emits refusal text as refusal-delta', async () => {
		const { events } = await run([chunk({ role: 'assistant', content: null, refusal: 'I can\'t help' }), chunk({ refusal: ' with that.' }), finishChunk('stop')]);
		assert.deepEqual(ofType(events, 'refusal-delta').map((e) => e.delta), ['I can\'t help', ' with that.']);
	});

	it('emits DeepSeek reasoning_content as reasoning-delta before the answer, with cache hits from prompt_cache_hit_tokens', async () => {
		server.push(sseFixture('openai-deepseek-reasoning.sse'));
		const { events } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.deepEqual(events, [
			{ type: 'reasoning-delta', delta: '9.11 vs 9.8: compare tenths.' },
			{ type: 'text-delta', delta: '9.8 is greater.' },
			{ type: 'usage', usage: { inputTokens: 15, outputTokens: 20, cachedInputTokens: 0 } },
			{ type: 'finish', reason: 'stop' },
		]);
	});

	it('emits a `reasoning` delta field (OpenRouter, vLLM) as reasoning-delta', async () => {
		const { events } = await run([chunk({ reasoning: 'thinking' }), chunk({ content: 'done' }), finishChunk('stop')]);
		assert.deepEqual(events.slice(0, 2), [{ type: 'reasoning-delta', delta: 'thinking' }, { type: 'text-delta', delta: 'done' }]);
	});

	it('streams two parallel calls keyed by index as two calls, with input deltas as they arrive', async () => {
		server.push(sseFixture('openai-parallel-tool-calls.sse'));
		const outcome = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.deepEqual(outcome.events.slice(0, 5), [
			{ type: 'tool-input-start', callId: 'c1', providerId: 'call_abc', toolName: 'get_weather' },
			{ type: 'tool-input-delta', callId: 'c1', delta: '{"city": ' },
			{ type: 'tool-input-delta', callId: 'c1', delta: '"北京"}' },
			{ type: 'tool-input-start', callId: 'c2', providerId: 'call_def', toolName: 'get_weather' },
			{ type: 'tool-input-delta', callId: 'c2', delta: '{"city": "上海"}' },
		]);
		assert.deepEqual(summary(outcome), [['c1', 'call_abc', 'get_weather', { city: '北京' }], ['c2', 'call_def', 'get_weather', { city: '上海' }]]);
		assert.deepEqual(outcome.events.at(-1), { type: 'finish', reason: 'tool_calls' });
	});

	it('assembles calls whose deltas carry no index, starting a new call on a new id', async () => {
		const outcome = await run([
			chunk(calls({ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '' } })),
			chunk(calls({ function: { arguments: '{"path":' } })),
			chunk(calls({ function: { arguments: '"a.ts"}' } })),
			chunk(calls({ id: 'call_2', type: 'function', function: { name: 'read_file', arguments: '{"path":"b.ts"}' } })),
			finishChunk('tool_calls'),
		]);
		assert.deepEqual(summary(outcome), [['c1', 'call_1', 'read_file', { path: 'a.ts' }], ['c2', 'call_2', 'read_file', { path: 'b.ts' }]]);
	});

	it('separates several calls that all use index 0, by a new id or by a new name after arguments started', async () => {
		const outcome = await run([
			chunk(calls({ index: 0, id: 'call_1', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } })),
			chunk(calls({ index: 0, id: 'call_2', function: { name: 'read_file', arguments: '{"path":"b.ts"}' } })),
			chunk(calls({ index: 0, function: { name: 'list_files', arguments: '{}' } })),
			finishChunk('tool_calls'),
		]);
		assert.deepEqual(summary(outcome), [
			['c1', 'call_1', 'read_file', { path: 'a.ts' }],
			['c2', 'call_2', 'read_file', { path: 'b.ts' }],
			['c3', '', 'list_files', {}],
		]);
	});

	it('separates two same-name calls on index 0 without ids once the first one\'s arguments are a whole object', async () => {
		const outcome = await run([
			chunk(calls({ index: 0, function: { name: 'read_file', arguments: '{"path":"a.ts"}' } })),
			chunk(calls({ index: 0, function: { name: 'read_file', arguments: '' } })),
			chunk(calls({ index: 0, function: { arguments: '{"path":"b.ts"}' } })),
			finishChunk('tool_calls'),
		]);
		assert.deepEqual(summary(outcome), [['c1', '', 'read_file', { path: 'a.ts' }], ['c2', '', 'read_file', { path: 'b.ts' }]]);
	});

	it('accepts tool-call indexes that start at 1', async () => {
		const outcome = await run([
			chunk(calls({ index: 1, id: 'call_1', function: { name: 'list_files', arguments: '{"dir":' } })),
			chunk(calls({ index: 1, function: { arguments: '"src"}' } })),
			finishChunk('tool_calls'),
		]);
		assert.deepEqual(summary(outcome), [['c1', 'call_1', 'list_files', { dir: 'src' }]]);
	});

	it('keeps the first id when continuation chunks carry id ""', async () => {
		const outcome = await run([
			chunk(calls({ index: 0, id: 'call_9', function: { name: 'f', arguments: '' } })),
			chunk(calls({ index: 0, id: '', function: { arguments: '{"a":1}' } })),
			finishChunk('tool_calls'),
		]);
		assert.deepEqual(summary(outcome), [['c1', 'call_9', 'f', { a: 1 }]]);
	});

	it('treats two parallel calls sharing one provider id (seed 004) as two calls with unique callIds, keeping the provider id', async () => {
		const outcome = await run([
			chunk({ content: 'I\'ll check both.', ...calls({ index: 0, id: 'get_current_weather', type: 'function', function: { name: 'get_current_weather', arguments: '{"location":"Boston, MA","unit":"fahrenheit"}' } }) }),
			chunk(calls({ index: 1, id: 'get_current_weather', type: 'function', function: { name: 'get_current_weather', arguments: '{"location":"New Delhi, India","unit":"fahrenheit"}' } })),
			finishChunk('tool_calls'),
		]);
		assert.deepEqual(summary(outcome), [
			['c1', 'get_current_weather', 'get_current_weather', { location: 'Boston, MA', unit: 'fahrenheit' }],
			['c2', 'get_current_weather', 'get_current_weather', { location: 'New Delhi, India', unit: 'fahrenheit' }],
		]);
	});

	it('keeps providerId "" for a call that came without any id', async () => {
		const outcome = await run([chunk(calls({ index: 0, type: 'function', function: { name: 'f', arguments: '{}' } })), finishChunk('tool_calls')]);
		assert.deepEqual(summary(outcome), [['c1', '', 'f', {}]]);
	});

	it('does not concatenate a name repeated in every chunk', async () => {
		const outcome = await run([
			chunk(calls({ index: 0, id: 'call_1', function: { name: 'search_text', arguments: '{"query":' } })),
			chunk(calls({ index: 0, id: 'call_1', function: { name: 'search_text', arguments: '"TODO"}' } })),
			chunk(calls({ index: 0, id: 'call_1', function: { name: 'search_text', arguments: '' } })),
			finishChunk('tool_calls'),
		]);
		assert.deepEqual(summary(outcome), [['c1', 'call_1', 'search_text', { query: 'TODO' }]]);
		assert.equal(ofType(outcome.events, 'tool-input-start').length, 1);
	});

	it('reads a whole call and finish_reason in one chunk', async () => {
		const outcome = await run([chunk(calls({ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":[1,2]}' } }), 'tool_calls')]);
		assert.deepEqual(summary(outcome), [['c1', 'call_1', 'f', { a: [1, 2] }]]);
		assert.deepEqual(outcome.events.at(-1), { type: 'finish', reason: 'tool_calls' });
	});

	it('accepts arguments sent as an object instead of a JSON string', async () => {
		const outcome = await run([chunk(calls({ index: 0, id: 'call_1', function: { name: 'f', arguments: { path: 'a.ts', line: 3 } } })), finishChunk('tool_calls')]);
		assert.deepEqual(summary(outcome), [['c1', 'call_1', 'f', { path: 'a.ts', line: 3 }]]);
	});

	it('reads arguments "" as {}', async () => {
		const outcome = await run([chunk(calls({ index: 0, id: 'call_1', function: { name: 'list_files', arguments: '' } })), finishChunk('tool_calls')]);
		assert.deepEqual(summary(outcome), [['c1', 'call_1', 'list_files', {}]]);
	});

	it('parses arguments with raw newlines inside a JSON string', async () => {
		const outcome = await run([chunk(calls({ index: 0, id: 'call_1', function: { name: 'edit_file', arguments: '{"text":"line 1\nline 2\ttabbed"}' } })), finishChunk('tool_calls')]);
		assert.deepEqual(summary(outcome), [['c1', 'call_1', 'edit_file', { text: 'line 1\nline 2\ttabbed' }]]);
	});

	it('unwraps arguments encoded twice (a JSON string holding the object)', async () => {
		const outcome = await run([chunk(calls({ index: 0, id: 'call_1', function: { name: 'f', arguments: JSON.stringify('{"a":1}') } })), finishChunk('tool_calls')]);
		assert.deepEqual(summary(outcome), [['c1', 'call_1', 'f', { a: 1 }]]);
	});

	it('reports arguments that are not JSON as tool-call-error invalid with the parse error', async () => {
		const { events } = await run([chunk(calls({ index: 0, id: 'call_1', function: { name: 'f', arguments: '{"a": nope}' } })), finishChunk('tool_calls')]);
		const [failure] = ofType(events, 'tool-call-error');
		assert.deepEqual([failure.reason, failure.rawInput, failure.providerId], ['invalid', '{"a": nope}', 'call_1']);
		assert.match(failure.message, /not valid JSON: .+/);
		assert.equal(ofType(events, 'tool-call').length, 0);
	});

	it('maps finish_reason "stop" after tool calls to tool_calls, keeping the raw word', async () => {
		const { events } = await run([chunk(calls({ index: 0, id: 'call_1', function: { name: 'f', arguments: '{}' } })), finishChunk('stop')]);
		assert.deepEqual(events.at(-1), { type: 'finish', reason: 'tool_calls', raw: 'stop' });
	});

	it('maps an unknown finish_reason to stop (or tool_calls after calls) with a warning', async () => {
		const text = await run([chunk({ content: 'hi' }), finishChunk('eos')]);
		assert.deepEqual(text.events.slice(-2), [
			{ type: 'warning', message: 'Unknown finish_reason "eos" from the provider; treated as "stop".' },
			{ type: 'finish', reason: 'stop', raw: 'eos' },
		]);
		const withCall = await run([chunk(calls({ index: 0, id: 'call_1', function: { name: 'f', arguments: '{}' } })), finishChunk('end_turn')]);
		assert.deepEqual(withCall.events.at(-1), { type: 'finish', reason: 'tool_calls', raw: 'end_turn' });
	});

	it('ignores content "" next to tool calls and extra fields such as flag', async () => {
		const outcome = await run([
			chunk({ role: 'assistant', content: '', ...calls({ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"x":"上海"}' } }) }, null, { flag: 0 }),
			chunk({ content: '' }, 'tool_calls', { flag: 0 }),
		]);
		assert.equal(ofType(outcome.events, 'text-delta').length, 0);
		assert.deepEqual(summary(outcome), [['c1', 'call_1', 'f', { x: '上海' }]]);
	});

	it('reads a gateway that ignores stream: true and answers with one JSON completion', async () => {
		server.push({ body: JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'whole' }, finish_reason: 'stop' }] }) });
		const { events } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.deepEqual(events, [{ type: 'text-delta', delta: 'whole' }, { type: 'finish', reason: 'stop' }]);
	});
});
