import * as assert from 'node:assert/strict';
import { runAgentLoop } from '../../../src/chat/agentLoop';
import type { ToolCall } from '../../../src/shared/toolCall';
import { parseMcpConfig, readMcpConfig } from '../../../src/mcp/mcpConfig';
import { resolveSecrets, secretNames } from '../../../src/mcp/mcpSecrets';
import { createMcpTools, toToolProgress } from '../../../src/mcp/mcpTools';
import { createProvider } from '../../../src/providers/registry';
import { ToolRegistry } from '../../../src/tools/registry';
import { startScriptedServer } from '../../support/scriptedServer';
import { openaiTurn } from '../chat/scripts';

describe('MCP secret references, call timeouts and progress', () => {
	const config = parseMcpConfig({ servers: {
		github: { command: 'npx', env: { GITHUB_TOKEN: '${secret:github-token}', PLAIN: 'x' } },
		docs: { url: 'https://example.com/mcp', headers: { Authorization: 'Bearer ${secret:docs.key} ${secret:github-token}' } },
		open: { url: 'https://example.com/open' },
	} });

	it('finds the secret names an env or a header refers to', () => {
		assert.deepEqual(secretNames(config.servers.github), ['github-token']);
		assert.deepEqual(secretNames(config.servers.docs), ['docs.key', 'github-token']);
		assert.deepEqual(secretNames(config.servers.open), []);
	});

	it('replaces the references with the stored values and lists them for redaction', async () => {
		const store: Record<string, string> = { 'github-token': 'ghp_secret', 'docs.key': 'dk_123' };
		const resolved = await resolveSecrets(config, async (name) => store[name], 'Set MCP Secret');
		assert.deepEqual(resolved.problems, []);
		assert.deepEqual(resolved.config.servers.github, { type: 'stdio', command: 'npx', env: { GITHUB_TOKEN: 'ghp_secret', PLAIN: 'x' } });
		assert.deepEqual(resolved.config.servers.docs, { type: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer dk_123 ghp_secret' } });
		assert.deepEqual(resolved.values.sort(), ['dk_123', 'ghp_secret']);
	});

	it('leaves out a server whose secret is not set, naming the secret and the command, and keeps the others', async () => {
		const resolved = await resolveSecrets(config, async (name) => (name === 'docs.key' ? 'dk_123' : undefined), 'Switchboard: Set MCP Secret');
		assert.deepEqual(Object.keys(resolved.config.servers).sort(), ['open']);
		assert.deepEqual(resolved.problems, [
			'MCP server \'github\' is not started: the secret \'github-token\' is not set. Set it with the command "Switchboard: Set MCP Secret".',
			'MCP server \'docs\' is not started: the secret \'github-token\' is not set. Set it with the command "Switchboard: Set MCP Secret".',
		]);
		assert.ok(!JSON.stringify(resolved.problems).includes('dk_123'));
	});

	it('reads callTimeoutSeconds and rejects a value that is not whole seconds', () => {
		assert.equal(parseMcpConfig({ servers: { a: { command: 'node', callTimeoutSeconds: 30 } } }).servers.a.callTimeoutSeconds, 30);
		assert.deepEqual(readMcpConfig({ servers: { a: { url: 'http://127.0.0.1/mcp', callTimeoutSeconds: 1.5 } } }).problems, [
			'MCP server \'a\': "callTimeoutSeconds" must be a whole number of seconds from 1 to 86400, got 1.5.',
		]);
	});

	it('turns a progress report into a fraction when the server gave a total', () => {
		assert.deepEqual(toToolProgress({ progress: 2, total: 8, message: 'step 2' }), { message: 'step 2', fraction: 0.25 });
		assert.deepEqual(toToolProgress({ progress: 3 }), { message: undefined, fraction: undefined });
		assert.deepEqual(toToolProgress({ progress: 9, total: 8 }), { message: undefined, fraction: 1 });
	});

	it('shows the server\'s progress on the running card, and never after the result', async () => {
		const model = await startScriptedServer();
		try {
			let late: (() => void) | undefined;
			const caller = {
				async callTool(_name: string, _args: Record<string, unknown>, _signal: AbortSignal, onProgress?: (p: { progress: number; total?: number; message?: string }) => void) {
					onProgress?.({ progress: 1, total: 4, message: 'Indexing' });
					onProgress?.({ progress: 3, total: 4 });
					late = () => onProgress?.({ progress: 4, total: 4, message: 'late' });
					return { content: [{ type: 'text', text: 'indexed' }], isError: false };
				},
			};
			const tools = createMcpTools('idx', caller, [{ name: 'index', inputSchema: { type: 'object' } }]);
			model.push(openaiTurn({ calls: [{ id: 'c1', name: 'idx__index', args: '{}' }] }), openaiTurn({ text: 'ok' }));
			const cards: ToolCall[] = [];
			const result = await runAgentLoop({
				provider: createProvider({ id: 't', protocol: 'openai', baseUrl: `${model.url}/v1`, maxRetries: 0 }, { credentials: { get: async () => 'k', invalidate: () => false } }),
				model: 'gpt-4o',
				messages: [{ role: 'user', content: [{ type: 'text', text: 'index' }] }],
				registry: new ToolRegistry(tools),
				approve: async () => ({ approved: true }),
				onEvent: (event) => {
					if (event.type === 'call-update') cards.push(event.call);
				},
				signal: new AbortController().signal,
			});
			late?.();
			assert.equal(result.error, null);
			const states = cards.map((card) => (card.state === 'running' ? `running ${JSON.stringify(card.progress ?? null)}` : card.state));
			assert.deepEqual(states.slice(-4), ['running null', 'running {"message":"Indexing","fraction":0.25}', 'running {"fraction":0.75}', 'done']);
		} finally {
			await model.close();
		}
	});
});
