// MCP servers in the real extension host: the echo fixture server (a real MCP server over stdio, started by the
// extension from the switchboard.mcpServers setting) called from a chat with a scripted model; the everything
// server from npm with a ${secret:NAME} env value, listed in the MCP Servers status list.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
import type { McpServerRow } from '../../src/vscode/workspace/mcpHost';
import { describeServer } from '../../src/vscode/workspace/mcpStatus';
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from '../support/scriptedServer';
import { clearSettings, configureProviders, endChat, freshChat, MODEL, Recorder, textAnswer, toolCallAnswer } from './chatSupport';
import { activate, extension, logText, waitFor } from './support';

interface WireMessage {
	role: string;
	content?: unknown;
	tool_call_id?: string;
}

function toolNames(request: RecordedRequest): string[] {
	return ((request.json?.tools ?? []) as Array<{ function: { name: string } }>).map((tool) => tool.function.name);
}

function toolResult(request: RecordedRequest, callId: string): string {
	const messages = (request.json?.messages ?? []) as WireMessage[];
	return String(messages.find((message) => message.role === 'tool' && message.tool_call_id === callId)?.content);
}

async function setMcpServers(value: unknown): Promise<void> {
	await vscode.workspace.getConfiguration('switchboard').update('mcpServers', value, vscode.ConfigurationTarget.Global);
}

describe('MCP servers in the chat', function () {
	this.timeout(90000);
	let api: SwitchboardTestApi;
	let server: ScriptedServer;
	let chat: Recorder;
	const secret = `mcp-env-secret-${Date.now().toString(36)}`;

	before(async () => {
		api = await activate();
		server = await startScriptedServer();
		await configureProviders([{ id: 'scripted', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL], auth: 'none' }], `scripted/${MODEL}`);
		const echoServer = path.join(extension().extensionPath, 'test', 'fixtures', 'mcp', 'echoServer.mjs');
		// The extension host's own Node runs the server: no other Node need be installed.
		await setMcpServers({ echo: { command: process.execPath, args: [echoServer], env: { ECHO_TOKEN: secret } } });
	});

	beforeEach(async () => {
		chat = await freshChat(api);
		server.requests.length = 0;
	});

	afterEach(async () => {
		await endChat(chat);
	});

	after(async () => {
		await setMcpServers(undefined);
		await clearSettings();
		await server.close();
	});

	it('offers the server\'s tools, asks before an execute-class call and sends its result to the model', async () => {
		server.push(toolCallAnswer('Echoing. ', [{ id: 'call_echo', name: 'echo__echo', args: { text: 'hello over stdio' } }]), textAnswer('The server said hello.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Echo something' });

		const asking = await chat.call('awaiting-approval', 'echo__echo');
		assert.equal(asking.risk, 'execute');
		assert.match(asking.summary, /echo/);
		const offered = toolNames(server.requests[0]);
		assert.ok(offered.includes('echo__echo') && offered.includes('echo__add'), `tools offered: ${offered.join(', ')}`);
		assert.ok(offered.includes('read_file'), 'the built-in tools stay');

		await chat.controller.receive({ type: 'approve', callId: asking.callId });
		const done = await chat.call('done', 'echo__echo');
		assert.ok(done.state === 'done' && done.result.text.includes('echo: hello over stdio'));
		await chat.next('turn-end', (message) => message.reason === 'stop');
		assert.equal(server.requests.length, 2);
		assert.match(toolResult(server.requests[1], 'call_echo'), /echo: hello over stdio/);
	});

	it('sends the server\'s stderr to the log, with the values of its env setting redacted', async () => {
		server.push(toolCallAnswer('', [{ id: 'call_secret', name: 'echo__echo', args: { text: secret } }]), textAnswer('Done.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Echo the token' });
		const asking = await chat.call('awaiting-approval', 'echo__echo');
		await chat.controller.receive({ type: 'approve', callId: asking.callId });
		await chat.next('turn-end', (message) => message.reason === 'stop');
		// The server writes "echo called with …" to stderr; the log gets it as one line.
		const log = await waitFor('the stderr line in the log', async () => {
			const text = await logText(api);
			return /MCP echo stderr: echo called with "\[redacted\]"/.test(text) ? text : undefined;
		});
		assert.match(log, /MCP echo stderr: echo server ready, pid \d+/);
		assert.ok(!log.includes(secret), 'the env value never reaches the log');
	});

	it('follows a settings change: a removed server\'s tools are no longer offered', async () => {
		const echoServer = path.join(extension().extensionPath, 'test', 'fixtures', 'mcp', 'echoServer.mjs');
		try {
			await setMcpServers({ other: { command: process.execPath, args: [echoServer] } });
			server.push(textAnswer('ok'));
			await chat.controller.receive({ type: 'send-prompt', text: 'Which tools now?' });
			await chat.next('turn-end');
			const offered = toolNames(server.requests[0]);
			assert.ok(offered.includes('other__echo'), `tools offered: ${offered.join(', ')}`);
			assert.ok(!offered.includes('echo__echo'));
		} finally {
			await setMcpServers({ echo: { command: process.execPath, args: [echoServer], env: { ECHO_TOKEN: secret } } });
		}
	});
});

describe('MCP servers from npm: state in the MCP Servers list, secrets from SecretStorage', function () {
	this.timeout(120000);
	let api: SwitchboardTestApi;
	let server: ScriptedServer;
	let chat: Recorder;
	const token = `everything-secret-${Date.now().toString(36)}`;
	const secretKey = 'switchboard.mcpSecret.everything-token';
	const everything = (): Record<string, unknown> => ({
		command: process.execPath,
		args: [path.join(extension().extensionPath, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js'), 'stdio'],
		env: { EVERYTHING_TOKEN: 'Bearer ${secret:everything-token}' },
	});
	const row = async (name: string): Promise<McpServerRow | undefined> => (await api.chatHost.controller.mcp.servers()).find((r) => r.name === name);

	before(async () => {
		api = await activate();
		server = await startScriptedServer();
		await configureProviders([{ id: 'scripted', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL], auth: 'none' }], `scripted/${MODEL}`);
	});

	beforeEach(async () => {
		chat = await freshChat(api);
		server.requests.length = 0;
	});

	afterEach(async () => {
		await endChat(chat);
	});

	after(async () => {
		await setMcpServers(undefined);
		await api.context.secrets.delete(secretKey);
		await clearSettings();
		await server.close();
	});

	it('lists a server whose secret is not set as not started, naming the secret and the command that sets it', async () => {
		await api.context.secrets.delete(secretKey);
		await setMcpServers({ everything: everything() });
		const missing = await waitFor('the server listed as not started', async () => {
			const found = await row('everything');
			return found?.state === 'unavailable' ? found : undefined;
		});
		assert.match(missing.lastError ?? '', /the secret 'everything-token' is not set\. Set it with the command "Switchboard: Set MCP Secret"/);
	});

	it('runs the npm everything server with its secret resolved, and lists it ready with its tool count', async () => {
		await api.context.secrets.store(secretKey, token);
		await setMcpServers({ everything: everything() });
		server.push(toolCallAnswer('', [{ id: 'call_env', name: 'everything__get-env', args: {} }]), textAnswer('Seen.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'What is in the environment?' });
		const asking = await chat.call('awaiting-approval', 'everything__get-env');
		const offered = toolNames(server.requests[0]);
		assert.ok(offered.includes('everything__get-sum') && !offered.includes('everything__simulate-research-query'), `tools offered: ${offered.join(', ')}`);
		await chat.controller.receive({ type: 'approve', callId: asking.callId });
		await chat.next('turn-end', (message) => message.reason === 'stop');
		// The server got the resolved value: its get-env tool reports its own environment.
		assert.match(toolResult(server.requests[1], 'call_env'), new RegExp(`"EVERYTHING_TOKEN": "Bearer ${token}"`));

		const ready = await row('everything');
		assert.ok(ready && ready.state === 'ready' && 'toolCount' in ready, JSON.stringify(ready));
		assert.equal(ready.toolCount, 12);
		const item = describeServer(ready);
		assert.equal(item.label, '$(pass) everything');
		assert.equal(item.description, 'Ready · 12 tools');
		assert.ok(!JSON.stringify(await api.chatHost.controller.mcp.servers()).includes(token), 'the status list never holds a resolved value');
		const log = await logText(api);
		assert.match(log, /MCP everything: tool 'simulate-research-query' is left out: it runs only as an MCP task/);
		assert.ok(!log.includes(token), 'the log never shows the resolved value');

		// The command shows the same list (a quick pick), and closes without an error.
		void vscode.commands.executeCommand('switchboard.mcpServers');
		await new Promise((resolve) => setTimeout(resolve, 500));
		await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
		assert.ok(!(await logText(api)).includes('switchboard.mcpServers failed'));
	});

	it('restarts a server on request and disables it for this workspace', async () => {
		await api.context.secrets.store(secretKey, token);
		await setMcpServers({ everything: everything() });
		const mcp = api.chatHost.controller.mcp;
		await mcp.tools();
		await mcp.restart('everything');
		const restarted = await row('everything');
		assert.ok(restarted && restarted.state === 'ready' && 'restarts' in restarted && restarted.restarts >= 1, JSON.stringify(restarted));
		assert.match(describeServer(restarted).description ?? '', /^Ready · 12 tools · restarted \d+ times$/);
		await mcp.setDisabled('everything', true);
		try {
			assert.equal((await row('everything'))?.state, 'disabled');
			assert.deepEqual((await mcp.tools()).filter((tool) => tool.name.startsWith('everything__')), []);
		} finally {
			await mcp.setDisabled('everything', false);
		}
		assert.ok((await mcp.tools()).some((tool) => tool.name === 'everything__echo'));
	});
});
