// What the loop owes the provider on the next request, and how it reacts to the ways a provider ends a turn:
// Gemini's thought signatures go back with their calls, Anthropic server-tool blocks go back unchanged and in place,
// a refusal runs none of its calls, pause_turn is sent back by itself (bounded), an error word in finish_reason is
// an error. Each stream is copied from the public source named in its test.
import * as assert from 'node:assert/strict';
import { maxPauses, runAgentLoop, type AgentLoopOptions } from '../../../src/chat/agentLoop';
import { createProvider } from '../../../src/providers/registry';
import type { Protocol } from '../../../src/providers/types';
import { ToolRegistry } from '../../../src/tools/registry';
import { defineTool, type AnyTool } from '../../../src/tools/types';
import { anthropicSse, openaiSse, startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { openaiMessages, openaiTurn } from './scripts';

function weatherTool(): { tool: AnyTool; calls: unknown[] } {
	const calls: unknown[] = [];
	const tool = defineTool<{ location: string }>({
		name: 'get_weather',
		description: 'Current weather for a location',
		inputSchema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
		risk: 'read',
		parse: (raw) => raw as { location: string },
		approval: async (input) => ({ risk: 'read', summary: `Weather in ${input.location}` }),
		async invoke(input) {
			calls.push(input);
			return { type: 'text', value: `${input.location}: 22 degrees` };
		},
	});
	return { tool, calls };
}

type Events = Array<[string, unknown]>;
const messageStart: [string, unknown] = ['message_start', { type: 'message_start', message: { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 2679, output_tokens: 3 } } }];
const textBlock = (index: number, text: string): Events => [
	['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }],
	['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } }],
	['content_block_stop', { type: 'content_block_stop', index }],
];
const ending = (stop: string): Events => [
	['message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 510 } }],
	['message_stop', { type: 'message_stop' }],
];

describe('agent loop: obligations for the next request and provider stops', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	const options = (protocol: Protocol, tools: AnyTool[], extra: Partial<AgentLoopOptions> = {}): AgentLoopOptions => ({
		provider: createProvider(
			{ id: 'test', protocol, baseUrl: protocol === 'openai' ? `${server.url}/v1` : server.url, maxRetries: 0 },
			{ credentials: { get: async () => 'sk-test', invalidate: () => false } },
		),
		model: protocol === 'openai' ? 'gemini-3-pro-preview' : 'claude-test',
		messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather in Sydney?' }] }],
		registry: new ToolRegistry(tools),
		approve: async () => ({ approved: true }),
		signal: new AbortController().signal,
		...extra,
	});

	it('sends Gemini\'s thought signature back unchanged with its call, also when it came in an index-less metadata delta', async () => {
		// Shape from https://github.com/open-webui/computer/issues/224 (Gemini's OpenAI-compatible stream: no
		// tool_calls[].index, extra_content.google.thought_signature on the call and in a metadata-only delta,
		// finish_reason "stop" after the call).
		const signature = 'EjQKMgEMOdbHJChLX75QUCJjyYlmExampleSignature==';
		const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ choices: [{ index: 0, delta, finish_reason: finish }], created: 1760000000, id: 'resp-1', model: 'gemini-3-pro-preview', object: 'chat.completion.chunk' });
		server.push(
			openaiSse([
				chunk({ role: 'assistant', tool_calls: [{ id: 'function-call-1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Sydney"}' } }] }),
				chunk({ tool_calls: [{ extra_content: { google: { thought_signature: signature } } }] }),
				chunk({}, 'stop'),
			]),
			openaiTurn({ text: 'It is 22 degrees in Sydney.' }),
		);
		const weather = weatherTool();
		const result = await runAgentLoop(options('openai', [weather.tool]));
		assert.equal(result.error, null);
		assert.deepEqual(weather.calls, [{ location: 'Sydney' }]);
		const assistant = openaiMessages(server.requests[1].json).find((message) => message.role === 'assistant');
		assert.deepEqual(assistant?.tool_calls, [{
			function: { arguments: '{"location":"Sydney"}', name: 'get_weather' },
			id: 'function-call-1',
			type: 'function',
			extra_content: { google: { thought_signature: signature } },
		}]);
	});

	it('runs no tool call of a message the model declined, keeps its text and ends marked refusal', async () => {
		// stop_reason "refusal": https://docs.claude.com/en/docs/test-and-evaluate/strengthen-guardrails/handle-streaming-refusals
		server.push(anthropicSse([
			messageStart,
			...textBlock(0, 'I will look that up'),
			['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: {} } }],
			['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"location":"Sydney"}' } }],
			['content_block_stop', { type: 'content_block_stop', index: 1 }],
			...ending('refusal'),
		]));
		const weather = weatherTool();
		const result = await runAgentLoop(options('anthropic', [weather.tool]));
		assert.deepEqual(weather.calls, [], 'the declined message\'s call never ran');
		assert.equal(result.steps[0].finish, 'refusal');
		assert.equal(result.steps[0].text, 'I will look that up');
		assert.equal(result.steps[0].toolCalls[0].status, 'denied');
		assert.equal(result.error?.kind, 'refusal');
		assert.equal(server.requests.length, 1);
		assert.deepEqual(result.messages, [{ role: 'assistant', content: [{ type: 'text', text: 'I will look that up' }] }]);
	});

	it('sends a paused server-tool turn back as it is, blocks unchanged and in place, and shows that it continued', async () => {
		// Server-tool stream shape and pause_turn from https://docs.claude.com/en/docs/agents-and-tools/tool-use/web-search-tool
		// ("Streaming") and https://docs.claude.com/en/api/handling-stop-reasons ("pause_turn").
		const serverToolUse = { type: 'server_tool_use', id: 'srvtoolu_014hJH82Qum7Td6UV8gDXThB', name: 'web_search', input: {} };
		const searchResult = { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_014hJH82Qum7Td6UV8gDXThB', content: [{ type: 'web_search_result', title: 'Sydney weather', url: 'https://www.bom.gov.au/nsw/forecasts/sydney.shtml', encrypted_content: 'EqgfCioIARgBIiQ3YTAw', page_age: 'April 30, 2025' }] };
		server.push(
			anthropicSse([
				messageStart,
				...textBlock(0, 'Let me search. '),
				['content_block_start', { type: 'content_block_start', index: 1, content_block: serverToolUse }],
				['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"query": "Sydney weather today"}' } }],
				['content_block_stop', { type: 'content_block_stop', index: 1 }],
				['content_block_start', { type: 'content_block_start', index: 2, content_block: searchResult }],
				['content_block_stop', { type: 'content_block_stop', index: 2 }],
				...textBlock(3, 'Found it.'),
				...ending('pause_turn'),
			]),
			anthropicSse([messageStart, ...textBlock(0, 'It is 22 degrees in Sydney.'), ...ending('end_turn')]),
		);
		const warnings: string[] = [];
		const result = await runAgentLoop(options('anthropic', [weatherTool().tool], { onEvent: (event) => event.type === 'warning' && warnings.push(event.message) }));
		assert.equal(result.error, null);
		assert.deepEqual(result.steps.map((step) => step.finish), ['pause_turn', 'stop']);
		assert.match(warnings[0], /paused its turn \(pause_turn\); sent it back to continue \(1 of at most 5\)/);
		assert.deepEqual(result.steps[0].warnings, warnings);
		const messages = server.requests[1].json?.messages as Array<{ role: string; content: unknown }>;
		assert.deepEqual(messages.at(-1), {
			role: 'assistant',
			content: [
				{ type: 'text', text: 'Let me search. ' },
				{ ...serverToolUse, input: { query: 'Sydney weather today' } },
				searchResult,
				{ type: 'text', text: 'Found it.' },
			],
		});
	});

	it('stops after a bounded number of pause_turn continuations in a row', async () => {
		for (let i = 0; i <= maxPauses; i++) server.push(anthropicSse([messageStart, ...textBlock(0, `part ${i} `), ...ending('pause_turn')]));
		const result = await runAgentLoop(options('anthropic', []));
		assert.equal(server.requests.length, maxPauses + 1);
		assert.equal(result.error?.kind, 'paused');
		assert.equal(result.error?.retryable, true);
	});

	it('reports a gateway\'s finish_reason "overloaded_error" as a retryable error with the half answer kept, not as success', async () => {
		server.push(openaiTurn({ text: 'The first half of', finish: 'overloaded_error' }));
		const result = await runAgentLoop(options('openai', []));
		assert.equal(result.steps[0].finish, 'interrupted');
		assert.equal(result.steps[0].text, 'The first half of');
		assert.equal(result.error?.kind, 'overloaded');
		assert.equal(result.error?.retryable, true);
		assert.equal(server.requests.length, 1, 'never retried automatically after output was shown');
	});

	it('keeps an unknown, harmless finish_reason as the end of the answer, with a warning in the step', async () => {
		server.push(openaiTurn({ text: 'Done.', finish: 'eos' }));
		const result = await runAgentLoop(options('openai', []));
		assert.equal(result.error, null);
		assert.equal(result.steps[0].finish, 'stop');
		assert.deepEqual(result.steps[0].warnings, ['Unknown finish_reason "eos" from the provider; treated as "stop".']);
	});
});
