import * as assert from 'node:assert/strict';
import { runAgentLoop } from '../../../src/chat/agentLoop';
import { defaultApprovalPolicy, type ApprovalHook, type ApprovalPolicy, type ApprovalRequest } from '../../../src/chat/approvals';
import { McpHub } from '../../../src/mcp/mcpHub';
import { createProvider } from '../../../src/providers/registry';
import type { Protocol } from '../../../src/providers/types';
import { workspaceTools, ToolRegistry } from '../../../src/tools/registry';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { anthropicTurn, openaiMessages, openaiTurn } from '../chat/scripts';
import { echoServerConfig, MemoryLog } from './support';

describe('MCP tools in the agent loop (real adapters, real echo server over stdio)', function () {
	this.timeout(60_000);
	let model: ScriptedServer;
	let hub: McpHub;
	beforeEach(async () => {
		model = await startScriptedServer();
		hub = new McpHub({ servers: { echo: echoServerConfig() } }, { log: new MemoryLog() });
	});
	afterEach(async () => {
		await hub.dispose();
		await model.close();
	});

	const run = async (protocol: Protocol, approve: ApprovalHook, policy?: ApprovalPolicy) => {
		// As the chat host does: the built-in tools, then the MCP servers' tools.
		const registry = new ToolRegistry([...workspaceTools, ...(await hub.tools())]);
		return runAgentLoop({
			provider: createProvider(
				{ id: 'test', protocol, baseUrl: protocol === 'openai' ? `${model.url}/v1` : model.url, maxRetries: 0 },
				{ credentials: { get: async () => 'sk-test', invalidate: () => false } },
			),
			model: protocol === 'openai' ? 'gpt-4o' : 'claude-test',
			messages: [{ role: 'user', content: [{ type: 'text', text: 'Echo hi, please.' }] }],
			registry,
			...(policy ? { policy: () => policy } : {}),
			approve,
			signal: new AbortController().signal,
		});
	};

	it('offers echo__echo to the model, asks approval as execute-class, runs it and sends the result back', async () => {
		model.push(
			openaiTurn({ calls: [{ id: 'call_1', name: 'echo__echo', args: '{"text":"hi"}' }] }),
			openaiTurn({ text: 'The server said: echo: hi' }),
		);
		const asked: ApprovalRequest[] = [];
		const result = await run('openai', async (request) => {
			asked.push(request);
			return { approved: true };
		});
		assert.equal(result.error, null);
		const offered = (model.requests[0].json?.tools as Array<{ function: { name: string; parameters: unknown } }>).map((t) => t.function);
		assert.ok(offered.some((f) => f.name === 'read_file'));
		assert.deepEqual(offered.find((f) => f.name === 'echo__echo')?.parameters, {
			type: 'object', properties: { text: { type: 'string', description: 'The text to send back' } }, required: ['text'],
		});
		assert.deepEqual(asked.map((a) => [a.toolName, a.info]), [['echo__echo', { risk: 'execute', summary: 'MCP echo: echo', summaryPhrase: { key: 'mcpTool', args: ['echo', 'echo'] } }]]);
		assert.deepEqual(result.steps[0].toolCalls.map((c) => [c.name, c.status, c.result]), [['echo__echo', 'done', 'echo: hi']]);
		assert.deepEqual(openaiMessages(model.requests[1].json).at(-1), { role: 'tool', content: 'echo: hi', tool_call_id: 'call_1' });
	});

	it('asks for MCP tools under the default policy and skips the question once the tool is always allowed', async () => {
		const script = () => [
			openaiTurn({ calls: [{ id: 'call_1', name: 'echo__add', args: '{"a":2,"b":3}' }] }),
			openaiTurn({ text: '5' }),
		];
		const questions: string[] = [];
		const ask: ApprovalHook = async (request) => {
			questions.push(request.toolName);
			return { approved: false, reason: 'not now' };
		};
		model.push(...script());
		const denied = await run('openai', ask, { ...defaultApprovalPolicy, risks: { read: 'auto', write: 'ask', execute: 'ask' } });
		assert.deepEqual(questions, ['echo__add']);
		assert.equal(denied.steps[0].toolCalls[0].status, 'denied');

		model.push(...script());
		const allowed = await run('openai', ask, { ...defaultApprovalPolicy, alwaysAllow: new Set(['echo__add']) });
		assert.deepEqual(questions, ['echo__add'], 'no second question');
		assert.deepEqual(allowed.steps[0].toolCalls.map((c) => [c.status, c.result]), [['done', '5']]);
	});

	it('sends an MCP error result back to the model over Anthropic as an error it can act on', async () => {
		model.push(
			anthropicTurn({ calls: [{ id: 'toolu_1', name: 'echo__fail', args: '{}' }] }),
			anthropicTurn({ text: 'It failed.' }),
		);
		const result = await run('anthropic', async () => ({ approved: true }));
		assert.deepEqual(result.steps[0].toolCalls.map((c) => [c.status, c.result]), [['error', 'the fail tool always fails']]);
		const messages = model.requests[1].json?.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
		const block = messages.at(-1)?.content[0];
		assert.equal(block?.tool_use_id, 'toolu_1');
		assert.equal(block?.is_error, true);
	});
});
