import * as assert from 'node:assert/strict';
import { runAgentLoop, type AgentLoopOptions } from '../../../src/chat/agentLoop';
import type { ApprovalHook } from '../../../src/chat/approvals';
import type { LoopEvent } from '../../../src/chat/loopEvents';
import type { ToolCall } from '../../../src/shared/toolCall';
import { createProvider } from '../../../src/providers/registry';
import type { Protocol } from '../../../src/providers/types';
import { ToolRegistry } from '../../../src/tools/registry';
import { defineTool, type AnyTool } from '../../../src/tools/types';
import { openaiSse, startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { anthropicTurn, openaiMessages, openaiTurn } from './scripts';

const approveAll: ApprovalHook = async () => ({ approved: true });

/** A weather tool that records its calls and how many ran at the same time. */
function weatherTool(delayMs = 30) {
	const calls: unknown[] = [];
	let running = 0;
	const stats = { maxConcurrent: 0, signals: [] as AbortSignal[] };
	const tool: AnyTool = defineTool<{ location: string; unit?: string }>({
		name: 'get_current_weather',
		description: 'Current weather for a location',
		inputSchema: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location'] },
		risk: 'read',
		parse: (raw) => raw as { location: string; unit?: string },
		approval: async (input) => ({ risk: 'read', summary: `Weather in ${input.location}` }),
		async invoke(input, context) {
			calls.push(input);
			stats.signals.push(context.signal);
			running++;
			stats.maxConcurrent = Math.max(stats.maxConcurrent, running);
			await new Promise((resolve) => setTimeout(resolve, delayMs));
			running--;
			return { type: 'text', value: `${input.location}: 22 degrees` };
		},
	});
	return { tool, calls, stats };
}

describe('agent loop over the real adapters', () => {
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
		model: protocol === 'openai' ? 'gpt-4o' : 'claude-test',
		messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather in Boston?' }] }],
		registry: new ToolRegistry(tools),
		approve: approveAll,
		signal: new AbortController().signal,
		...extra,
	});

	it('runs the five-step loop over OpenAI: call, result back with the provider id, final answer', async () => {
		const weather = weatherTool();
		server.push(
			openaiTurn({ text: 'Let me check.', calls: [{ id: 'call_1', name: 'get_current_weather', args: '{"location":"Boston, MA"}' }] }),
			openaiTurn({ text: 'It is 22 degrees in Boston.' }),
		);
		const result = await runAgentLoop(options('openai', [weather.tool]));
		assert.equal(result.error, null);
		assert.deepEqual(result.steps.map((s) => [s.text, s.finish]), [['Let me check.', 'tool_calls'], ['It is 22 degrees in Boston.', 'stop']]);
		assert.deepEqual(result.steps[0].toolCalls.map(({ id, name, arguments: args, status, result: r }) => ({ id, name, args, status, r })), [
			{ id: 'call_1', name: 'get_current_weather', args: { location: 'Boston, MA' }, status: 'done', r: 'Boston, MA: 22 degrees' },
		]);
		assert.deepEqual(result.steps[0].usage, { inputTokens: 10, outputTokens: 5 });
		const second = openaiMessages(server.requests[1].json);
		assert.deepEqual(second.at(-1), { role: 'tool', content: 'Boston, MA: 22 degrees', tool_call_id: 'call_1' });
		assert.deepEqual(result.messages.map((m) => m.role), ['assistant', 'tool', 'assistant']);
	});

	it('runs the same conversation over Anthropic, results in one user message of tool_result blocks', async () => {
		const weather = weatherTool();
		server.push(
			anthropicTurn({ calls: [{ id: 'toolu_01', name: 'get_current_weather', args: '{"location":"Paris"}' }] }),
			anthropicTurn({ text: 'Sunny in Paris.' }),
		);
		const result = await runAgentLoop(options('anthropic', [weather.tool]));
		assert.equal(result.error, null);
		assert.deepEqual(result.steps.map((s) => s.finish), ['tool_calls', 'stop']);
		assert.equal(result.steps[1].text, 'Sunny in Paris.');
		const messages = server.requests[1].json?.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
		const last = messages.at(-1);
		assert.equal(last?.role, 'user');
		assert.deepEqual(last?.content.map((b) => [b.type, b.tool_use_id]), [['tool_result', 'toolu_01']]);
	});

	it('pairs seed 004\'s two parallel calls that share one id by position, running them concurrently', async () => {
		const weather = weatherTool(80);
		server.push(
			openaiTurn({ calls: [
				{ id: 'get_current_weather', name: 'get_current_weather', args: '{"location":"Boston, MA","unit":"fahrenheit"}' },
				{ id: 'get_current_weather', name: 'get_current_weather', args: '{"location":"New Delhi, India","unit":"fahrenheit"}' },
			] }),
			openaiTurn({ text: 'Boston and New Delhi are both 22.' }),
		);
		const callIds: string[] = [];
		const approve: ApprovalHook = async (request) => {
			callIds.push(request.callId);
			return { approved: true };
		};
		const result = await runAgentLoop(options('openai', [weather.tool], { approve }));
		assert.equal(result.error, null);
		assert.equal(new Set(callIds).size, 2, 'each call gets its own approval key');
		assert.equal(weather.stats.maxConcurrent, 2);
		assert.deepEqual(result.steps[0].toolCalls.map((c) => [c.id, c.result]), [
			['get_current_weather', 'Boston, MA: 22 degrees'],
			['get_current_weather', 'New Delhi, India: 22 degrees'],
		]);
		const tools = openaiMessages(server.requests[1].json).filter((m) => m.role === 'tool');
		assert.deepEqual(tools, [
			{ role: 'tool', content: 'Boston, MA: 22 degrees', tool_call_id: 'get_current_weather' },
			{ role: 'tool', content: 'New Delhi, India: 22 degrees', tool_call_id: 'get_current_weather' },
		]);
	});

	it('sends a denial and its reason back to the model without running the tool', async () => {
		const weather = weatherTool();
		server.push(
			openaiTurn({ calls: [{ id: 'call_1', name: 'get_current_weather', args: '{"location":"Boston"}' }] }),
			openaiTurn({ text: 'Understood.' }),
		);
		const approve: ApprovalHook = async () => ({ approved: false, reason: 'use Celsius cities only' });
		const result = await runAgentLoop(options('openai', [weather.tool], { approve }));
		assert.equal(weather.calls.length, 0);
		assert.equal(result.steps[0].toolCalls[0].status, 'denied');
		assert.equal(result.steps[0].toolCalls[0].result, 'Denied: use Celsius cities only');
		const tool = openaiMessages(server.requests[1].json).at(-1);
		assert.match(String(tool?.content), /denied.*use Celsius cities only/);
	});

	it('answers schema-invalid arguments and unknown tools with an error result instead of running them', async () => {
		const weather = weatherTool();
		server.push(
			openaiTurn({ calls: [
				{ id: 'call_1', name: 'get_current_weather', args: '{"location":42}' },
				{ id: 'call_2', name: 'get_stock_price', args: '{}' },
				{ id: 'call_3', name: 'get_current_weather', args: '{"location": "Bos' + 'ton", oops}' },
			] }),
			openaiTurn({ text: 'Sorry.' }),
		);
		let asked = 0;
		const result = await runAgentLoop(options('openai', [weather.tool], { approve: async () => (asked++, { approved: true }) }));
		assert.equal(weather.calls.length, 0);
		assert.equal(asked, 0);
		const calls = result.steps[0].toolCalls;
		assert.deepEqual(calls.map((c) => c.status), ['invalid', 'invalid', 'invalid']);
		assert.match(String(calls[0].result), /arguments\.location: expected string, got number/);
		assert.match(String(calls[1].result), /no tool named 'get_stock_price'. Available tools: get_current_weather/);
		const toolMessages = openaiMessages(server.requests[1].json).filter((m) => m.role === 'tool');
		assert.equal(toolMessages.length, 3);
		assert.match(String(toolMessages[0].content), /expected string, got number/);
	});

	it('keeps the partial text of a stream that breaks, marks the step interrupted and ends with the error', async () => {
		const partial = openaiTurn({ text: 'The weather in Boston is' });
		server.push({ chunks: partial.chunks?.slice(0, 3), reset: true });
		const events: LoopEvent[] = [];
		const result = await runAgentLoop(options('openai', [], { onEvent: (e) => events.push(e) }));
		assert.equal(result.steps.length, 1);
		assert.equal(result.steps[0].finish, 'interrupted');
		assert.equal(result.steps[0].text, 'The weather in Boston is');
		assert.ok(result.error && ['network', 'interrupted'].includes(result.error.kind), JSON.stringify(result.error));
		assert.deepEqual(result.messages, [{ role: 'assistant', content: [{ type: 'text', text: 'The weather in Boston is' }] }]);
		assert.equal(events.filter((e) => e.type === 'text-delta').map((e) => e.type === 'text-delta' ? e.delta : '').join(''), 'The weather in Boston is');
	});

	it('never runs a call cut off by the output limit', async () => {
		const weather = weatherTool();
		const truncated = openaiSse([
			{ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_current_weather', arguments: '{"location":"Bos' } }] }, finish_reason: null }] },
			{ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'length' }] },
		]);
		server.push(truncated, openaiTurn({ text: 'Giving up.' }));
		const result = await runAgentLoop(options('openai', [weather.tool]));
		assert.equal(weather.calls.length, 0);
		assert.equal(result.steps[0].finish, 'length');
		assert.equal(result.steps[0].toolCalls[0].status, 'incomplete');
		assert.match(String(result.steps[0].toolCalls[0].result), /cut off before its arguments were complete/);
	});

	it('stops when the same call repeats three steps in a row, without running the third', async () => {
		const weather = weatherTool(1);
		const same = () => openaiTurn({ calls: [{ id: 'call_x', name: 'get_current_weather', args: '{"location":"Boston"}' }] });
		server.push(same(), same(), same(), openaiTurn({ text: 'never requested' }));
		const result = await runAgentLoop(options('openai', [weather.tool]));
		assert.equal(server.requests.length, 3);
		assert.equal(weather.calls.length, 2);
		assert.equal(result.error?.kind, 'repeated-call');
		assert.match(result.error?.message ?? '', /get_current_weather with the same arguments 3 times in a row/);
		assert.equal(result.steps[2].toolCalls[0].status, 'denied');
	});

	it('stops at the step cap with a clear error', async () => {
		const weather = weatherTool(1);
		server.push(
			openaiTurn({ calls: [{ id: 'a', name: 'get_current_weather', args: '{"location":"A"}' }] }),
			openaiTurn({ calls: [{ id: 'b', name: 'get_current_weather', args: '{"location":"B"}' }] }),
		);
		const result = await runAgentLoop(options('openai', [weather.tool], { maxSteps: 2 }));
		assert.equal(result.steps.length, 2);
		assert.equal(server.requests.length, 2);
		assert.deepEqual(result.error, { kind: 'step-cap', message: 'Stopped after 2 steps (the step cap); the model was still calling tools.', retryable: false });
	});

	it('emits each card\'s states in order: streaming, awaiting approval, running, done', async () => {
		const weather = weatherTool(1);
		server.push(openaiTurn({ calls: [{ id: 'call_1', name: 'get_current_weather', args: '{"location":"Oslo"}' }] }), openaiTurn({ text: 'Cold.' }));
		const states: ToolCall['state'][] = [];
		await runAgentLoop(options('openai', [weather.tool], { onEvent: (e) => e.type === 'call-update' && states.push(e.call.state) }));
		assert.deepEqual([...new Set(states)], ['streaming', 'awaiting-approval', 'running', 'done']);
	});

	it('cancels a running tool through the signal and ends as aborted', async () => {
		const controller = new AbortController();
		let toolSignal: AbortSignal | undefined;
		const slow = defineTool<unknown>({
			name: 'slow', description: '', inputSchema: { type: 'object' }, risk: 'read', parse: (raw) => raw,
			approval: async () => ({ risk: 'read', summary: 'slow' }),
			invoke: (_input, context) => new Promise((resolve) => {
				toolSignal = context.signal;
				context.signal.addEventListener('abort', () => resolve({ type: 'error-text', value: 'cancelled' }));
				setTimeout(() => controller.abort(), 20);
			}),
		});
		server.push(openaiTurn({ calls: [{ id: 'c', name: 'slow', args: '{}' }] }));
		const result = await runAgentLoop(options('openai', [slow], { signal: controller.signal }));
		assert.equal(toolSignal?.aborted, true);
		assert.equal(result.error?.kind, 'aborted');
		assert.equal(server.requests.length, 1);
	});

	it('sends tool_choice required only on the first step, so the model can stop', async () => {
		const weather = weatherTool(1);
		server.push(openaiTurn({ calls: [{ id: 'a', name: 'get_current_weather', args: '{"location":"A"}' }] }), openaiTurn({ text: 'Done.' }));
		await runAgentLoop(options('openai', [weather.tool], { toolChoice: 'required' }));
		assert.equal(server.requests[0].json?.tool_choice, 'required');
		assert.equal(server.requests[1].json?.tool_choice, undefined);
	});
});
