// MCP servers in the real extension host: the echo fixture server (a real MCP server over stdio, started by the
// extension from the switchboard.mcpServers setting) called from a chat with a scripted model.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
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
