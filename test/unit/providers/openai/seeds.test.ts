// Every OpenAI-protocol example of the seed documents, through the real SDK against the scripted server.
import * as assert from 'node:assert/strict';
import type { ChatMessage } from '../../../../src/shared/chat';
import type { ToolSpec } from '../../../../src/providers/types';
import { readFixture, sseFixture, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { collect, jsonFixture, ofType, openaiProvider } from './support';

interface WireTool { function: { name: string; description: string; parameters: Record<string, unknown> } }
const toToolSpec = (tool: WireTool): ToolSpec => ({ name: tool.function.name, description: tool.function.description, inputSchema: tool.function.parameters });

describe('OpenAI adapter: seed examples', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	describe('seed 000 (gateway, openai/gpt-4o, get_weather)', () => {
		const getWeather: ToolSpec = {
			name: 'get_weather',
			description: '取得指定城市的即時天氣資訊',
			inputSchema: {
				type: 'object',
				properties: {
					city: { type: 'string', description: '城市名稱,如:北京、上海' },
					unit: { type: 'string', enum: ['celsius', 'fahrenheit'], description: '溫度單位' },
				},
				required: ['city'],
			},
		};
		const question: ChatMessage = { role: 'user', content: [{ type: 'text', text: '北京今天天氣怎麼樣?' }] };

		it('sends the tool and tool_choice "auto" and reads the streamed get_weather call', async () => {
			server.push(sseFixture('seed-000-openai-get-weather.sse'));
			const provider = openaiProvider(server.url);
			const { events, error } = await collect(provider.stream({ model: 'openai/gpt-4o', messages: [question], tools: [getWeather], toolChoice: 'auto' }, new AbortController().signal));
			assert.equal(error, undefined);
			const sent = server.requests[0];
			assert.equal(sent.url, '/v1/chat/completions');
			assert.equal(sent.headers.authorization, 'Bearer sk-test');
			assert.deepEqual(sent.json, {
				model: 'openai/gpt-4o',
				messages: [{ role: 'user', content: '北京今天天氣怎麼樣?' }],
				tools: [{ type: 'function', function: { name: 'get_weather', description: getWeather.description, parameters: getWeather.inputSchema } }],
				tool_choice: 'auto',
				// The output limit sent by default (gpt-4o's documented maximum), under the name hosts other than
				// api.openai.com accept: a gateway routing to an Anthropic model requires it.
				max_tokens: 16384,
				stream: true,
				stream_options: { include_usage: true },
			});
			assert.deepEqual(events, [
				{ type: 'tool-input-start', callId: 'c1', providerId: 'call_w1', toolName: 'get_weather' },
				{ type: 'tool-input-delta', callId: 'c1', delta: '{"city":"北京"}' },
				{ type: 'tool-call', callId: 'c1', providerId: 'call_w1', toolName: 'get_weather', input: { city: '北京' }, rawInput: '{"city":"北京"}' },
				{ type: 'finish', reason: 'tool_calls' },
			]);
		});

		it('sends the result back as a role "tool" message answering the call id, then reads the final answer', async () => {
			server.push(sseFixture('openai-text-stream.sse'));
			const provider = openaiProvider(server.url);
			const messages: ChatMessage[] = [
				question,
				{ role: 'assistant', content: [{ type: 'tool-call', id: 'ours-1', providerId: 'call_w1', toolName: 'get_weather', input: { city: '北京' } }] },
				{ role: 'tool', content: [{ type: 'tool-result', callId: 'ours-1', toolName: 'get_weather', output: { type: 'json', value: { temperature: 22, condition: '晴' } } }] },
			];
			const { events } = await collect(provider.stream({ model: 'openai/gpt-4o', messages, tools: [getWeather] }, new AbortController().signal));
			assert.deepEqual(server.requests[0].json?.messages, [
				{ role: 'user', content: '北京今天天氣怎麼樣?' },
				{ role: 'assistant', content: null, tool_calls: [{ function: { arguments: '{"city":"北京"}', name: 'get_weather' }, id: 'call_w1', type: 'function' }] },
				{ role: 'tool', content: '{"temperature":22,"condition":"晴"}', tool_call_id: 'call_w1' },
			]);
			assert.equal('tool_choice' in (server.requests[0].json ?? {}), false);
			assert.equal(ofType(events, 'text-delta').map((e) => e.delta).join(''), 'Hello there!');
			assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop' });
		});
	});

	describe('seed 003 (Baidu Qianfan, non-streaming)', () => {
		it('sends the weather request exactly as documented: loose schema unchanged, extras tool_options and stream_options on the wire', async () => {
			server.push({ body: readFixture('seed-003-openai-weather-response.json') });
			const documented = jsonFixture<{ model: string; tools: WireTool[] }>('seed-003-openai-weather-request.json');
			const provider = openaiProvider(server.url, { stream: false, extraBody: { stream_options: { include_usage: true }, tool_options: { thoughts_output: true } } });
			const { events, error } = await collect(provider.stream({
				model: documented.model,
				messages: [{ role: 'user', content: [{ type: 'text', text: '查一下上海和北京现在的天气' }] }],
				tools: documented.tools.map(toToolSpec),
				toolChoice: 'auto',
			}, new AbortController().signal));
			assert.equal(error, undefined);
			const sent = server.requests[0];
			// The documented body, plus the output limit sent by default (no known limit for ERNIE: the 4096 fallback).
			assert.deepEqual(sent.json, { ...documented, max_tokens: 4096 });
			// Sent unchanged down to key order: `properties` before `type`, no `required` added.
			assert.equal(JSON.stringify(sent.json?.tools), JSON.stringify(documented.tools));
			assert.deepEqual(events, [
				{ type: 'tool-input-start', callId: 'c1', providerId: 'call_tmvd94n0t8', toolName: 'get_current_weather' },
				{ type: 'tool-input-delta', callId: 'c1', delta: '{"location":"上海"}' },
				{ type: 'tool-call', callId: 'c1', providerId: 'call_tmvd94n0t8', toolName: 'get_current_weather', input: { location: '上海' }, rawInput: '{"location":"上海"}' },
				{ type: 'usage', usage: { inputTokens: 5, outputTokens: 49 } },
				{ type: 'finish', reason: 'tool_calls' },
			]);
		});

		it('sends the train request with its system prompt as documented and reads the non-ASCII arguments', async () => {
			server.push({ body: readFixture('seed-003-openai-train-response.json') });
			const documented = jsonFixture<{ model: string; tools: WireTool[] }>('seed-003-openai-train-request.json');
			// With the output limit turned off (null), the request is the documented one exactly.
			const provider = openaiProvider(server.url, { stream: false, maxOutputTokens: null });
			const { events } = await collect(provider.stream({
				model: documented.model,
				system: '你是一个智能助手',
				messages: [{ role: 'user', content: [{ type: 'text', text: '你能帮我查询2024年1月1日从北京南站到上海的火车票吗?' }] }],
				tools: documented.tools.map(toToolSpec),
			}, new AbortController().signal));
			assert.deepEqual(server.requests[0].json, documented);
			const raw = '{"departure": "北京南站", "destination": "上海", "date": "2024-01-01"}';
			assert.deepEqual(ofType(events, 'tool-call'), [
				{ type: 'tool-call', callId: 'c1', providerId: '19d8e571660dd000', toolName: 'query_train_info', input: { departure: '北京南站', destination: '上海', date: '2024-01-01' }, rawInput: raw },
			]);
			assert.equal(ofType(events, 'text-delta').length, 0, 'content "" is no text');
			assert.deepEqual(events.at(-1), { type: 'finish', reason: 'tool_calls' });
		});
	});

	describe('seed 004 (Vertex AI open models, two calls with one id)', () => {
		const documented = jsonFixture<{ model: string; messages: unknown[]; tools: WireTool[]; tool_choice: string }>('seed-004-openai-followup-request.json');
		const boston = { location: 'Boston, MA', unit: 'fahrenheit' };
		const delhi = { location: 'New Delhi, India', unit: 'fahrenheit' };
		const history = (resultsOrder: 'calls' | 'reversed'): ChatMessage[] => {
			const results = [
				{ type: 'tool-result' as const, callId: 'a1', toolName: 'get_current_weather', output: { type: 'text' as const, value: 'The temperature in Boston is 75 degrees Fahrenheit.' } },
				{ type: 'tool-result' as const, callId: 'a2', toolName: 'get_current_weather', output: { type: 'text' as const, value: 'The temperature in New Delhi is 50 degrees Fahrenheit.' } },
			];
			return [
				{ role: 'user', content: [{ type: 'text', text: 'Which city has a higher temperature, Boston or new Delhi and by how much in F?' }] },
				{ role: 'assistant', content: [
					{ type: 'text', text: 'I\'ll check the current temperatures for Boston and New Delhi in Fahrenheit and compare them. I\'ll call the weather function for both cities.' },
					{ type: 'tool-call', id: 'a1', providerId: 'get_current_weather', toolName: 'get_current_weather', input: boston },
					{ type: 'tool-call', id: 'a2', providerId: 'get_current_weather', toolName: 'get_current_weather', input: delhi },
				] },
				{ role: 'tool', content: resultsOrder === 'calls' ? results : [...results].reverse() },
			];
		};

		for (const order of ['calls', 'reversed'] as const) {
			it(`reproduces the documented follow-up messages byte for byte (results given in ${order} order)`, async () => {
				server.push({ body: readFixture('seed-004-openai-final-response.json') });
				const provider = openaiProvider(server.url, { stream: false });
				await collect(provider.stream({ model: documented.model, messages: history(order), tools: documented.tools.map(toToolSpec), toolChoice: 'auto' }, new AbortController().signal));
				const sent = server.requests[0].json ?? {};
				assert.equal(JSON.stringify(sent.messages), JSON.stringify(documented.messages));
				assert.deepEqual([sent.model, sent.tools, sent.tool_choice], [documented.model, documented.tools, documented.tool_choice]);
			});
		}

		it('reads the documented final answer although its content holds raw line breaks', async () => {
			server.push({ body: readFixture('seed-004-openai-final-response.json') });
			const provider = openaiProvider(server.url, { stream: false });
			const { events, error } = await collect(provider.stream({ model: documented.model, messages: history('calls'), tools: [] }, new AbortController().signal));
			assert.equal(error, undefined);
			const text = ofType(events, 'text-delta').map((e) => e.delta).join('');
			assert.match(text, /^Based on the current weather data:\n\n- \*\*Boston, MA\*\*: 75°F\n/);
			assert.match(text, /by 25 degrees Fahrenheit\.$/);
			assert.deepEqual(events.slice(-2), [
				{ type: 'usage', usage: { inputTokens: 217, outputTokens: 66 } },
				{ type: 'finish', reason: 'stop' },
			]);
		});
	});
});
