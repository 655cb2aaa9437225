import * as assert from 'node:assert/strict';
import { runAgentLoop, type AgentLoopOptions } from '../../../../src/chat/agentLoop';
import { summaryInstructions } from '../../../../src/chat/context/summarizer';
import { estimatePromptTokens, TokenCalibration } from '../../../../src/chat/context/tokenEstimate';
import type { LoopEvent } from '../../../../src/chat/loopEvents';
import { createProvider } from '../../../../src/providers/registry';
import type { ChatMessage } from '../../../../src/shared/chat';
import { ToolRegistry } from '../../../../src/tools/registry';
import { openaiSse, startScriptedServer, type ScriptedResponse, type ScriptedServer } from '../../../support/scriptedServer';
import { anthropicTurn, openaiMessages, openaiTurn } from '../scripts';

const system = 'You are a coding assistant.';
const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const assistant = (text: string): ChatMessage => ({ role: 'assistant', content: [{ type: 'text', text }] });

/** Three earlier turns (two long) and the new question. */
function history(): ChatMessage[] {
	return [
		user('Tell me about src/a.ts'),
		assistant(`a.ts parses the settings. ${'It reads each entry and validates it against the schema. '.repeat(50)}`),
		user('And src/b.ts?'),
		assistant(`b.ts writes them back. ${'It serializes every entry and keeps the comments in place. '.repeat(50)}`),
		user('Is c.ts related?'),
		assistant('No, c.ts only formats dates.'),
		user('Which file should I refactor first?'),
	];
}

/** The OpenAI 400 for a prompt over the limit (the shape in test/unit/providers/core/errors.test.ts). */
function contextLengthExceeded(limit: number, counted: number): ScriptedResponse {
	const message = `This model's maximum context length is ${limit} tokens. However, your messages resulted in ${counted} tokens. Please reduce the length of the messages.`;
	return { status: 400, body: JSON.stringify({ error: { message, type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }) };
}

function contents(json: Record<string, unknown> | undefined): string[] {
	return openaiMessages(json).map((m) => String(m.content));
}

describe('context-window management in the agent loop (real adapters)', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	const options = (extra: Partial<AgentLoopOptions>): AgentLoopOptions => ({
		provider: createProvider(
			{ id: 'test', protocol: 'openai', baseUrl: `${server.url}/v1`, maxRetries: 0 },
			{ credentials: { get: async () => 'sk-test', invalidate: () => false } },
		),
		model: 'gpt-4o',
		system,
		messages: history(),
		registry: new ToolRegistry([]),
		approve: async () => ({ approved: true }),
		signal: new AbortController().signal,
		...extra,
	});

	it('summarizes the oldest turns with the model when a small window would not hold the conversation', async () => {
		server.push(openaiTurn({ text: 'Refactor a.ts first.' }));
		await runAgentLoop(options({}));
		const uncompacted = server.requests[0].body.length;

		server.push(openaiTurn({ text: 'SUMMARY: a.ts parses the settings, b.ts writes them.' }), openaiTurn({ text: 'Refactor a.ts first.' }));
		const events: LoopEvent[] = [];
		const result = await runAgentLoop(options({ context: { window: 1200, reserveOutput: 200, summarize: true }, onEvent: (e) => events.push(e) }));

		assert.equal(result.error, null);
		assert.equal(server.requests.length, 3);
		const summaryRequest = server.requests[1].json;
		assert.equal(summaryRequest?.tools, undefined, 'the summary request offers no tools');
		assert.equal(openaiMessages(summaryRequest)[0].content, summaryInstructions);
		assert.match(contents(summaryRequest)[1], /a\.ts parses the settings/);
		assert.doesNotMatch(contents(summaryRequest)[1], /Tell me about src\/a\.ts/, 'the first user message is not summarized');

		const sent = server.requests[2];
		assert.ok(sent.body.length < uncompacted / 2, `${sent.body.length} bytes sent, ${uncompacted} without compaction`);
		const sentContents = contents(sent.json);
		assert.deepEqual(sentContents.slice(0, 2), [system, 'Tell me about src/a.ts']);
		assert.match(sentContents[2], /^\[Summary of the earlier conversation \(3 messages\)/);
		assert.match(sentContents[2], /SUMMARY: a\.ts parses the settings, b\.ts writes them\./);
		assert.deepEqual(sentContents.slice(3), ['Is c.ts related?', 'No, c.ts only formats dates.', 'Which file should I refactor first?']);

		const context = events.filter((e) => e.type === 'context');
		assert.equal(context.length, 1);
		const meter = context[0];
		assert.ok(meter.type === 'context' && meter.windowTokens === 1200 && meter.usedTokens <= 1000 && meter.usedTokens > 0);
		assert.equal(meter.type === 'context' ? meter.compaction?.summary?.replacedCount : undefined, 3);
		assert.deepEqual(result.messages, [assistant('Refactor a.ts first.')], 'the history keeps the original messages');
	});

	it('reports the context size before each request without compacting when it fits', async () => {
		server.push(openaiTurn({ text: 'a.ts.' }));
		const events: LoopEvent[] = [];
		await runAgentLoop(options({ context: { window: 128_000, reserveOutput: 4096, summarize: true }, onEvent: (e) => events.push(e) }));
		assert.equal(server.requests.length, 1);
		const raw = estimatePromptTokens({ system, messages: history(), tools: [] });
		assert.deepEqual(events.filter((e) => e.type === 'context'), [{ type: 'context', step: 1, usedTokens: raw, windowTokens: 128_000 }]);
	});

	it('compacts and retries once after a 400 context_length_exceeded, and the retry succeeds', async () => {
		const raw = estimatePromptTokens({ system, messages: history(), tools: [] });
		server.push(
			contextLengthExceeded(Math.floor(raw * 0.7), raw),
			openaiTurn({ text: 'SUMMARY: settings are parsed in a.ts and written in b.ts.' }),
			openaiTurn({ text: 'Refactor a.ts first.' }),
		);
		const events: LoopEvent[] = [];
		const result = await runAgentLoop(options({ context: { window: 128_000, reserveOutput: 200, summarize: true }, onEvent: (e) => events.push(e) }));

		assert.equal(result.error, null);
		assert.equal(server.requests.length, 3);
		assert.deepEqual(result.steps.map((s) => [s.text, s.finish]), [['Refactor a.ts first.', 'stop']]);
		const [refused, , retried] = server.requests;
		assert.ok(retried.body.length < refused.body.length / 2);
		assert.match(contents(retried.json)[2], /SUMMARY: settings are parsed in a\.ts and written in b\.ts\./);
		const meters = events.flatMap((e) => e.type === 'context' ? [e] : []);
		assert.equal(meters.length, 2);
		assert.equal(meters[1].windowTokens, Math.floor(raw * 0.7), 'the limit the provider named replaces the setting');
		assert.equal(meters[1].compaction?.summary?.byModel, true);
	});

	it('surfaces a second context_length_exceeded instead of retrying again', async () => {
		const raw = estimatePromptTokens({ system, messages: history(), tools: [] });
		server.push(
			contextLengthExceeded(Math.floor(raw * 0.7), raw),
			openaiTurn({ text: 'SUMMARY: settings.' }),
			contextLengthExceeded(Math.floor(raw * 0.7), raw),
			openaiTurn({ text: 'never requested' }),
		);
		const result = await runAgentLoop(options({ context: { window: 128_000, reserveOutput: 200, summarize: true } }));
		assert.equal(server.requests.length, 3);
		assert.equal(result.error?.kind, 'context-length');
		assert.equal(result.error?.status, 400);
		assert.deepEqual(result.steps.map((s) => s.finish), ['error']);
		assert.deepEqual(result.messages, []);
	});

	it('does the same over Anthropic, reading its "prompt is too long: N tokens > M maximum"', async () => {
		const raw = estimatePromptTokens({ system, messages: history(), tools: [] });
		const message = `prompt is too long: ${raw} tokens > ${Math.floor(raw * 0.7)} maximum`;
		server.push(
			{ status: 400, body: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message } }) },
			anthropicTurn({ text: 'SUMMARY: a.ts parses, b.ts writes.' }),
			anthropicTurn({ text: 'Refactor a.ts first.' }),
		);
		const provider = createProvider(
			{ id: 'test', protocol: 'anthropic', baseUrl: server.url, maxRetries: 0 },
			{ credentials: { get: async () => 'sk-test', invalidate: () => false } },
		);
		const result = await runAgentLoop(options({ provider, model: 'claude-test', context: { window: 200_000, reserveOutput: 200, summarize: true } }));
		assert.equal(result.error, null);
		assert.equal(server.requests.length, 3);
		const sent = server.requests[2].json?.messages as Array<{ role: string; content: unknown }>;
		assert.deepEqual(sent.map((m) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
		assert.match(JSON.stringify(sent[1].content), /SUMMARY: a\.ts parses, b\.ts writes\./);
	});

	it('does not resend a request that compaction could not shrink', async () => {
		server.push(contextLengthExceeded(100, 400), openaiTurn({ text: 'never requested' }));
		const result = await runAgentLoop(options({ messages: [user('A question that alone is too long for the model.')], context: { window: 128_000, reserveOutput: 50, summarize: true } }));
		assert.equal(server.requests.length, 1);
		assert.equal(result.error?.kind, 'context-length');
	});

	it('without context management a 400 context_length_exceeded ends the turn at once', async () => {
		server.push(contextLengthExceeded(1000, 2000), openaiTurn({ text: 'never requested' }));
		const result = await runAgentLoop(options({}));
		assert.equal(server.requests.length, 1);
		assert.equal(result.error?.kind, 'context-length');
	});

	it('calibrates the estimate from the usage the provider reports, across turns through a shared calibration', async () => {
		const raw = estimatePromptTokens({ system, messages: history(), tools: [] });
		const chunk = { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o' };
		server.push(openaiSse([
			{ ...chunk, choices: [{ index: 0, delta: { role: 'assistant', content: 'a.ts.' }, finish_reason: null }] },
			{ ...chunk, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
			{ ...chunk, choices: [], usage: { prompt_tokens: raw * 2, completion_tokens: 3, total_tokens: raw * 2 + 3 } },
		]));
		const calibration = new TokenCalibration();
		await runAgentLoop(options({ context: { window: 128_000, reserveOutput: 4096, summarize: true, calibration } }));
		assert.equal(calibration.factor, 2);

		server.push(openaiTurn({ text: 'Still a.ts.' }));
		const events: LoopEvent[] = [];
		await runAgentLoop(options({ context: { window: 128_000, reserveOutput: 4096, summarize: true, calibration }, onEvent: (e) => events.push(e) }));
		const meter = events.find((e) => e.type === 'context');
		assert.equal(meter?.type === 'context' ? meter.usedTokens : 0, raw * 2);
	});
});
