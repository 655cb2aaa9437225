// Seed 000: a gateway serving Anthropic Messages at <host>/anthropic, model anthropic/claude-sonnet-4.5, get_weather.
import * as assert from 'node:assert/strict';
import type { ChatMessage } from '../../../../src/shared/chat';
import type { ChatRequest, ToolSpec } from '../../../../src/providers/types';
import { anthropicSse, readFixture, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { ofType, providerFor, run, textOf } from './anthropicTestKit';

interface SeedRequest {
	model: string;
	max_tokens: number;
	tools: Array<{ name: string; description: string; input_schema: Record<string, unknown> }>;
	messages: unknown[];
}

const documented = JSON.parse(readFixture('seed-000-anthropic-request.json')) as SeedRequest;
const tools: ToolSpec[] = documented.tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.input_schema }));
const question: ChatMessage = { role: 'user', content: [{ type: 'text', text: '北京今天天氣怎麼樣?' }] };

function firstRequest(messages: ChatMessage[] = [question]): ChatRequest {
	return { model: documented.model, maxOutputTokens: documented.max_tokens, messages, tools };
}

describe('Anthropic adapter: seed 000 (gateway at <host>/anthropic, anthropic/claude-sonnet-4.5)', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(async () => {
		await server.close();
	});

	it('sends the documented request to <host>/anthropic/v1/messages and reads the tool_use block whose input is already an object', async () => {
		server.push({ body: readFixture('seed-000-anthropic-tool-use.json') });
		const { events, error } = await run(providerFor(server, { stream: false }), firstRequest());
		assert.equal(error, undefined);
		assert.equal(server.requests[0].url, '/anthropic/v1/messages');
		assert.deepEqual(server.requests[0].json, { ...documented, stream: false });
		assert.equal(textOf(events), '我來查詢北京的天氣。');
		const [call] = ofType(events, 'tool-call');
		assert.deepEqual([call.providerId, call.toolName, call.input], ['toolu_seed000_weather', 'get_weather', { city: '北京' }]);
		assert.deepEqual(events[events.length - 1], { type: 'finish', reason: 'tool_calls', raw: 'tool_use' });
	});

	it('sends the get_weather result back as a tool_result answering the tool_use id, then reads the final answer', async () => {
		server.push({ body: readFixture('seed-000-anthropic-tool-use.json') }, { body: readFixture('seed-000-anthropic-final.json') });
		const provider = providerFor(server, { stream: false });
		const first = await run(provider, firstRequest());
		const [call] = ofType(first.events, 'tool-call');
		const history: ChatMessage[] = [
			question,
			{ role: 'assistant', content: [{ type: 'text', text: textOf(first.events) }, { type: 'tool-call', id: call.callId, providerId: call.providerId, toolName: call.toolName, input: call.input }] },
			{ role: 'tool', content: [{ type: 'tool-result', callId: call.callId, toolName: 'get_weather', output: { type: 'json', value: { city: '北京', temperature: 25, condition: '晴' } } }] },
		];
		const second = await run(provider, firstRequest(history));
		assert.equal(second.error, undefined);
		assert.deepEqual(server.requests[1].json?.messages, [
			{ role: 'user', content: [{ type: 'text', text: '北京今天天氣怎麼樣?' }] },
			{ role: 'assistant', content: [
				{ type: 'text', text: '我來查詢北京的天氣。' },
				{ type: 'tool_use', id: 'toolu_seed000_weather', name: 'get_weather', input: { city: '北京' } },
			] },
			{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_seed000_weather', content: '{"city":"北京","temperature":25,"condition":"晴"}' }] },
		]);
		assert.deepEqual(server.requests[1].json?.tools, documented.tools, 'tools are sent again on the follow-up');
		assert.equal(textOf(second.events), '北京今天晴,氣溫 25°C。');
		assert.deepEqual(second.events[second.events.length - 1], { type: 'finish', reason: 'stop', raw: 'end_turn' });
	});

	it('reads the same call streamed by a gateway that puts the whole input in content_block_start', async () => {
		server.push(anthropicSse([
			['message_start', { type: 'message_start', message: { id: 'msg_s', type: 'message', role: 'assistant', content: [], model: documented.model, usage: { input_tokens: 412, output_tokens: 1 } } }],
			['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_seed000_weather', name: 'get_weather', input: { city: '北京' } } }],
			['content_block_stop', { type: 'content_block_stop', index: 0 }],
			['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 30 } }],
			['message_stop', { type: 'message_stop' }],
		]));
		const { events } = await run(providerFor(server), firstRequest());
		assert.equal(server.requests[0].json?.stream, true);
		const [call] = ofType(events, 'tool-call');
		assert.deepEqual([call.input, call.rawInput], [{ city: '北京' }, '{"city":"北京"}']);
	});
});
