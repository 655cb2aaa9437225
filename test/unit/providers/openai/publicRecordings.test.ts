// Streams copied from public recordings of real OpenAI-compatible servers (each test names its source; the chunks
// keep the recorded shape, shortened). They check the design rather than one server: one choice requested is one
// answer whatever its index; only a name starts a tool call, so an id or index that changes mid-call continues it;
// a stream is judged by what arrived; the provider's own fields on a call go back with it.
import * as assert from 'node:assert/strict';
import { createProvider } from '../../../../src/providers/registry';
import { openaiSse, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { collect, ofType, openaiProvider, request, type Outcome } from './support';

type Delta = Record<string, unknown>;
const chunk = (delta: Delta, finish: string | null = null, index = 0) => ({ id: 'chatcmpl-rec', object: 'chat.completion.chunk', created: 1700000000, model: 'm', choices: [{ index, delta, finish_reason: finish }] });

describe('OpenAI adapter: public recordings of real servers', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	async function run(chunks: unknown[], options: { done?: boolean; stream?: boolean } = {}): Promise<Outcome> {
		server.push(openaiSse(chunks, options));
		return collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
	}
	const calls = (outcome: Outcome) => ofType(outcome.events, 'tool-call').map((e) => [e.providerId, e.toolName, e.input, ...(e.extra ? [e.extra] : [])]);
	const text = (outcome: Outcome) => ofType(outcome.events, 'text-delta').map((e) => e.delta).join('');

	it('reads one answer when the choice index counts up on every chunk (TGI before its fix)', async () => {
		// https://github.com/huggingface/text-generation-inference/pull/1648: index 1, 2, 3 for a single choice.
		const outcome = await run([chunk({ role: 'assistant', content: 'I' }, null, 1), chunk({ role: 'assistant', content: '\'' }, null, 2), chunk({ role: 'assistant', content: 'm' }, 'length', 3)]);
		assert.equal(text(outcome), 'I\'m');
		assert.deepEqual(outcome.events.at(-1), { type: 'finish', reason: 'length' });
	});

	it('reads a Gemini tool call without index, with its thought signature in a metadata-only delta, finished by "stop"', async () => {
		// https://github.com/open-webui/computer/issues/224 (Gemini's OpenAI-compatible endpoint).
		const outcome = await run([
			chunk({ role: 'assistant', tool_calls: [{ id: 'function-call-1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Sydney"}' } }] }),
			chunk({ tool_calls: [{ extra_content: { google: { thought_signature: 'CiQBjz1rX8sig' } } }] }),
			chunk({}, 'stop'),
		]);
		assert.deepEqual(calls(outcome), [['function-call-1', 'get_weather', { location: 'Sydney' }, { extra_content: { google: { thought_signature: 'CiQBjz1rX8sig' } } }]]);
		assert.deepEqual(outcome.events.at(-1), { type: 'finish', reason: 'tool_calls', raw: 'stop' });
	});

	it('reads two Gemini calls, each whole in one delta without index, as two calls', async () => {
		// https://github.com/noho/dayu-agent/issues/45 (captured gemini-3.1-flash-lite-preview stream: no `index`).
		const outcome = await run([
			chunk({ role: 'assistant', tool_calls: [{ function: { arguments: '{"query":"杭州周末天气预报"}', name: 'search_web' }, id: 'jm4owj31', type: 'function', extra_content: { google: { thought_signature: 'EjQKMgEMOdbH' } } }] }),
			chunk({ tool_calls: [{ function: { arguments: '{"query":"杭州景点"}', name: 'search_web' }, id: 'k2p9x7aa', type: 'function' }] }),
			chunk({}, 'stop'),
		]);
		assert.deepEqual(calls(outcome), [
			['jm4owj31', 'search_web', { query: '杭州周末天气预报' }, { extra_content: { google: { thought_signature: 'EjQKMgEMOdbH' } } }],
			['k2p9x7aa', 'search_web', { query: '杭州景点' }],
		]);
	});

	it('reads a non-streamed Gemini completion\'s thought signature on its call', async () => {
		// Shape from https://ai.google.dev/gemini-api/docs/thought-signatures ("OpenAI compatibility").
		server.push({ body: JSON.stringify({ choices: [{ finish_reason: 'tool_calls', index: 0, message: { role: 'assistant', tool_calls: [{ extra_content: { google: { thought_signature: '<Signature A>' } }, function: { arguments: '{"flight":"AA100"}', name: 'check_flight' }, id: 'function-call-1', type: 'function' }] } }], created: 1700000000, id: 'x', model: 'gemini-3-pro-preview', object: 'chat.completion' }) });
		const outcome = await collect(openaiProvider(server.url, { stream: false }).stream(request(), new AbortController().signal));
		assert.deepEqual(calls(outcome), [['function-call-1', 'check_flight', { flight: 'AA100' }, { extra_content: { google: { thought_signature: '<Signature A>' } } }]]);
	});

	it('keeps one call when a server opens it twice on index 0 with two ids before its arguments', async () => {
		// https://github.com/Avarok-Cybersecurity/atlas/issues/33 (the non-streamed answer has one call).
		const outcome = await run([
			chunk({ role: 'assistant', tool_calls: [{ id: 'call_0000000000000002', function: { arguments: '', name: 'web_search' }, type: 'function', index: 0 }] }),
			chunk({ tool_calls: [{ id: 'call_0000000000000003', function: { arguments: '', name: 'web_search' }, type: 'function', index: 0 }] }),
			chunk({ tool_calls: [{ function: { arguments: '{"query":"meeting"}' }, type: 'function', index: 0 }] }),
			chunk({}, 'tool_calls'),
		]);
		assert.deepEqual(calls(outcome), [['call_0000000000000002', 'web_search', { query: 'meeting' }]]);
	});

	it('reads a call whose id is repeated on every chunk (LiteLLM proxy) as one call', async () => {
		// https://github.com/BerriAI/litellm/issues/20480
		const outcome = await run([
			chunk({ tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { name: 'search', arguments: '{"qu' } }] }),
			chunk({ tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { arguments: 'ery":' } }] }),
			chunk({ tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { arguments: '"hello"}' } }] }),
			chunk({}, 'tool_calls'),
		]);
		assert.deepEqual(calls(outcome), [['call_abc', 'search', { query: 'hello' }]]);
	});

	it('reads a call whose name comes again on every fragment and whose id never comes (vLLM)', async () => {
		// https://github.com/vllm-project/vllm/issues/18412
		const outcome = await run([
			chunk({ role: 'assistant', content: '' }),
			chunk({ tool_calls: [{ index: 0, function: { name: 'get_current_weather', arguments: '{"' } }] }),
			chunk({ tool_calls: [{ index: 0, function: { name: 'get_current_weather', arguments: 'location' } }] }),
			chunk({ tool_calls: [{ index: 0, function: { name: 'get_current_weather', arguments: '":' } }] }),
			chunk({ tool_calls: [{ index: 0, function: { name: 'get_current_weather', arguments: ' "Paris"}' } }] }),
			chunk({}, 'tool_calls'),
		]);
		assert.deepEqual(calls(outcome), [['', 'get_current_weather', { location: 'Paris' }]]);
	});

	it('continues a call whose closing fragment carries its name but no id (agentscope report)', async () => {
		// https://github.com/agentscope-ai/agentscope-java/pull/1223: the final fragment `}` came with the name set.
		const outcome = await run([
			chunk({ tool_calls: [{ index: 0, id: 'call_7', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"' } }] }),
			chunk({ tool_calls: [{ index: 0, id: null, function: { name: 'read_file', arguments: '}' } }] }),
			chunk({}, 'tool_calls'),
		]);
		assert.deepEqual(calls(outcome), [['call_7', 'read_file', { path: 'a.ts' }]]);
	});

	it('continues a call when a continuation chunk moves to another index without a name (index 1 first, as Bedrock via LiteLLM)', async () => {
		// https://github.com/BerriAI/litellm/issues/11407: the call is on index 1; a later fragment on an index never
		// opened, without a name, is still this call.
		const outcome = await run([
			chunk({ content: '', role: 'assistant', tool_calls: [{ id: 'tooluse_BawIVFHuQ2uaPLDBdWlblA', function: { arguments: '', name: 'jira_get_worklog' }, type: 'function', index: 1 }] }),
			chunk({ tool_calls: [{ function: { arguments: '{"issue_key": ' }, type: 'function', index: 1 }] }),
			chunk({ tool_calls: [{ function: { arguments: '"PROJ-1"}' }, type: 'function', index: 2 }] }),
			chunk({}, 'tool_calls'),
		]);
		assert.deepEqual(calls(outcome), [['tooluse_BawIVFHuQ2uaPLDBdWlblA', 'jira_get_worklog', { issue_key: 'PROJ-1' }]]);
	});

	it('judges a stream whose finish_reason is "" on every chunk by what arrived: no finish, so interrupted (Ollama)', async () => {
		// https://github.com/ollama/ollama/issues/4357: finish_reason "" instead of null, and no final reason.
		const outcome = await run([chunk({ role: 'assistant', content: ' Hello' }, ''), chunk({ role: 'assistant', content: ' there' }, '')]);
		assert.equal(text(outcome), ' Hello there');
		assert.equal(outcome.error?.kind, 'interrupted');
		assert.equal(outcome.error?.retryable, true);
	});
});

describe('OpenAI protocol: Gemma on the Gemini API gets no system message', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	it('folds the system prompt into the first user message for gemma-3-27b-it', async () => {
		// The Gemini API answers a system/developer message for Gemma with 400 "Developer instruction is not enabled for
		// models/gemma-3-27b-it" (https://github.com/microsoft/vscode/issues/258088).
		server.push(openaiSse([chunk({ role: 'assistant', content: 'Hi.' }), chunk({}, 'stop')]));
		const provider = createProvider({ id: 'gemini', protocol: 'openai', baseUrl: `${server.url}/v1beta/openai`, maxRetries: 0 }, { credentials: { get: async () => 'key', invalidate: () => false } });
		const outcome = await collect(provider.stream(request({ model: 'gemma-3-27b-it', system: 'Be brief.' }), new AbortController().signal));
		assert.equal(outcome.error, undefined);
		assert.deepEqual(server.requests[0].json?.messages, [{ role: 'user', content: 'Be brief.\n\nhi' }]);
	});
});
