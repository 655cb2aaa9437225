// createProvider with the real adapters against the scripted server: the protocol picks the adapter, and quirks
// reach the wire before either adapter sees the request.
import * as assert from 'node:assert/strict';
import { noAuth, staticKey } from '../../../../src/providers/auth';
import { settingsFromPreset } from '../../../../src/providers/presets';
import { createProvider } from '../../../../src/providers/registry';
import type { ChatRequest, StreamEvent, ToolSpec } from '../../../../src/providers/types';
import { anthropicSse, openaiSse, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';

const weather: ToolSpec = {
	name: 'get_current_weather',
	description: 'Get the current weather in a given location',
	inputSchema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

const request = (model: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
	model,
	system: 'You are terse.',
	messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Boston?' }] }],
	tools: [weather],
	...extra,
});

const textReply = (text: string) => openaiSse([
	{ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }] },
	{ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
]);

const toolReply = () => openaiSse([
	{ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_current_weather', arguments: '{"location":"Boston, MA"}' } }] }, finish_reason: null }] },
	{ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
]);

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
	const events: StreamEvent[] = [];
	for await (const event of stream) events.push(event);
	return events;
}

describe('createProvider', () => {
	let server: ScriptedServer;
	const credentials = staticKey(async () => 'sk-test-123456');
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	it('sends a Llama "required" choice as auto plus an instruction, warns first, and warns again when no tool was called', async () => {
		server.push(textReply('It is sunny.'));
		const provider = createProvider({ id: 'vertex', protocol: 'openai', baseUrl: `${server.url}/v1` }, { credentials });
		const events = await collect(provider.stream(request('meta/llama3-405b-instruct-maas', { toolChoice: 'required' }), new AbortController().signal));
		const sent = server.requests[0].json ?? {};
		assert.equal(sent.tool_choice, 'auto');
		const messages = sent.messages as Array<{ role: string; content: string }>;
		assert.equal(messages[0].role, 'system');
		assert.match(messages[0].content, /You must call one of the provided tools/);
		assert.equal(events[0].type, 'warning');
		const finishAt = events.findIndex((event) => event.type === 'finish');
		const before = events[finishAt - 1];
		assert.equal(before.type, 'warning');
		assert.match(before.type === 'warning' ? before.message : '', /did not call a tool although one was required/);
	});

	it('does not warn about a missing tool call when the model called one', async () => {
		server.push(toolReply());
		const provider = createProvider({ id: 'vertex', protocol: 'openai', baseUrl: `${server.url}/v1` }, { credentials });
		const events = await collect(provider.stream(request('openai/gpt-oss-120b', { toolChoice: { name: 'get_current_weather' } }), new AbortController().signal));
		assert.ok(events.some((event) => event.type === 'tool-call'));
		assert.equal(events.filter((event) => event.type === 'warning').length, 1, 'only the rewrite warning');
		const sent = server.requests[0].json ?? {};
		assert.equal(sent.tool_choice, 'auto');
		assert.match(JSON.stringify(sent.messages), /You can call these tools/);
	});

	it('folds the system prompt for DeepSeek, so the wire carries no system message', async () => {
		server.push(textReply('ok'));
		const provider = createProvider({ id: 'deepseek', protocol: 'openai', baseUrl: `${server.url}/v1` }, { credentials });
		await collect(provider.stream(request('deepseek-chat'), new AbortController().signal));
		const messages = (server.requests[0].json ?? {}).messages as Array<{ role: string; content: unknown }>;
		assert.deepEqual(messages.map((message) => message.role), ['user']);
		assert.match(JSON.stringify(messages[0].content), /You are terse\.\\n\\nWeather in Boston\?/);
	});

	it('picks the Anthropic adapter for a gateway anthropic/… model (seed 000) and sends no auth when there is none', async () => {
		server.push(anthropicSse([
			['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'anthropic/claude-sonnet-4.5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } }],
			['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
			['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Sunny.' } }],
			['content_block_stop', { type: 'content_block_stop', index: 0 }],
			['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }],
			['message_stop', { type: 'message_stop' }],
		]));
		const settings = settingsFromPreset('gateway', { baseUrl: server.url, model: 'anthropic/claude-sonnet-4.5' });
		const provider = createProvider(settings, { credentials: noAuth() });
		assert.equal(provider.protocol, 'anthropic');
		const events = await collect(provider.stream(request('anthropic/claude-sonnet-4.5'), new AbortController().signal));
		assert.equal(server.requests[0].url, '/anthropic/v1/messages');
		assert.equal(server.requests[0].headers.authorization, undefined);
		assert.deepEqual(events.filter((event) => event.type === 'text-delta'), [{ type: 'text-delta', delta: 'Sunny.' }]);
	});

	it('applies user quirk overrides from settings', async () => {
		server.push(textReply('ok'));
		const provider = createProvider({ id: 'x', protocol: 'openai', baseUrl: `${server.url}/v1`, quirks: { '^my-model$': { explicitToolChoice: true } } }, { credentials });
		await collect(provider.stream(request('my-model'), new AbortController().signal));
		assert.equal((server.requests[0].json ?? {}).tool_choice, 'auto');
	});
});
