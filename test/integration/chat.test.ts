// The chat host in a real extension host: the controller driven through its message API as the webview drives it,
// against a scripted OpenAI-compatible server on loopback.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
import { ChatController } from '../../src/vscode/chat/chatController';
import { HistoryStore } from '../../src/vscode/conversation/historyStore';
import { buildToolset } from '../../src/vscode/workspace/toolset';
import { VscodeWorkspace } from '../../src/vscode/workspace/workspaceAdapter';
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from '../support/scriptedServer';
import { clearSettings, configureProviders, endChat, freshChat, MemoryMemento, MODEL, Recorder, textAnswer, toolCallAnswer } from './chatSupport';
import { activate, drive, logText, waitFor } from './support';

interface WireMessage {
	role: string;
	content?: unknown;
	tool_call_id?: string;
}

function messagesOf(request: RecordedRequest): WireMessage[] {
	return (request.json?.messages ?? []) as WireMessage[];
}

function toolNames(request: RecordedRequest): string[] {
	return ((request.json?.tools ?? []) as Array<{ function: { name: string } }>).map((tool) => tool.function.name);
}

describe('chat host', function () {
	this.timeout(60000);
	let api: SwitchboardTestApi;
	let server: ScriptedServer;
	let chat: Recorder;

	before(async () => {
		api = await activate();
		server = await startScriptedServer();
		await configureProviders([
			{ id: 'scripted', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL], auth: 'none' },
			{ id: 'keyed', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL] },
			{ id: 'keyless', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL] },
		], `scripted/${MODEL}`);
	});

	beforeEach(async () => {
		chat = await freshChat(api);
		server.requests.length = 0;
	});

	afterEach(async () => {
		await endChat(chat);
		await chat.controller.receive({ type: 'select-model', provider: 'scripted', model: MODEL });
	});

	after(async () => {
		await clearSettings();
		await api.keys.delete('keyed');
		await server.close();
	});

	it('streams text, asks before a tool call, runs it when approved and streams the final answer', async () => {
		const pieces = Array.from({ length: 40 }, (_, index) => `w${index} `);
		server.push(toolCallAnswer('Let me look. ', [{ id: 'call_1', name: 'read_file', args: { path: 'README.md' } }]), textAnswer(...pieces));
		await chat.controller.receive({ type: 'send-prompt', text: 'What is in the README?' });
		await chat.next('user-message', (message) => message.text === 'What is in the README?');
		const start = await chat.next('turn-start');
		assert.deepEqual(start.model, { provider: 'scripted', model: MODEL });

		const asking = await chat.call('awaiting-approval', 'read_file');
		assert.equal(asking.state, 'awaiting-approval');
		assert.match(asking.summary, /README\.md/);
		assert.equal(asking.risk, 'read');
		assert.equal(asking.state === 'awaiting-approval' && asking.approval.offerAlwaysAllow, true);
		assert.equal(chat.text(), 'Let me look. ', 'the text before the call is on screen while it waits');

		await chat.controller.receive({ type: 'approve', callId: asking.callId });
		await chat.call('running', 'read_file');
		const done = await chat.call('done', 'read_file');
		assert.ok(done.state === 'done' && done.result.text.length > 0);
		const end = await chat.next('turn-end');
		assert.equal(end.reason, 'stop');
		assert.equal(chat.text(), `Let me look. ${pieces.join('')}`);
		// Deltas are batched: far fewer messages than the 40 chunks the server sent.
		assert.ok(chat.all('text-delta').length < pieces.length, `${chat.all('text-delta').length} text messages for ${pieces.length} chunks`);
		// Every message is about one turn: the history is never sent again while streaming.
		assert.equal(chat.all('conversation').length, 0);

		const order = chat.messages.filter((message) => message.type === 'tool-call').map((message) => message.type === 'tool-call' ? message.call.state : '');
		// A call whose arguments all arrive within one batch window is sent once, already waiting; a slower one shows
		// its streaming state first.
		const states = [...new Set(order)];
		assert.deepEqual(states.filter((state) => state !== 'streaming'), ['awaiting-approval', 'running', 'done']);
		assert.ok(!states.includes('streaming') || states[0] === 'streaming', `card states in order: ${states.join(', ')}`);
		const followUp = messagesOf(server.requests[1]);
		const toolMessage = followUp.find((message) => message.role === 'tool');
		assert.equal(toolMessage?.tool_call_id, 'call_1');
		assert.match(String(toolMessage?.content), /README|#/);
		assert.ok(/request scripted\/scripted-model: ok/.test(await logText(api)), 'one log line per request');
	});

	it('sends a denial with its reason to the model as the tool result', async () => {
		server.push(toolCallAnswer('', [{ id: 'call_d', name: 'read_file', args: { path: 'notes.txt' } }]), textAnswer('Understood.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Read my notes' });
		const asking = await chat.call('awaiting-approval', 'read_file');
		await chat.controller.receive({ type: 'deny', callId: asking.callId, reason: 'those are private' });
		const denied = await chat.call('denied');
		assert.equal(denied.state === 'denied' && denied.reason, 'those are private');
		await chat.next('turn-end', (message) => message.reason === 'stop');
		const toolMessage = messagesOf(server.requests[1]).find((message) => message.role === 'tool');
		assert.match(String(toolMessage?.content), /those are private/);
	});

	it('shows a Set API key banner for a 401 and keeps the prompt', async () => {
		const secret = `sk-chat-${Date.now().toString(36)}abcdef`;
		await api.keys.set('keyed', secret, `${server.url}/v1`);
		await chat.controller.receive({ type: 'select-model', provider: 'keyed', model: MODEL });
		server.push({ status: 401, body: JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }) });
		await chat.controller.receive({ type: 'send-prompt', text: 'Hello with a bad key' });
		const banner = await chat.next('error');
		assert.equal(banner.error.action, 'set-api-key');
		assert.equal(banner.error.kind, 'auth');
		assert.equal(banner.error.provider, 'keyed');
		await chat.next('turn-end', (message) => message.reason === 'error');
		assert.equal(server.requests[0].headers.authorization, `Bearer ${secret}`);
		const turns = chat.controller.conversationView.turns;
		assert.deepEqual(turns[0], { role: 'user', turnId: turns[0].turnId, text: 'Hello with a bad key' });
		const log = await waitFor('the failed request in the log', async () => {
			const text = await logText(api);
			return /request keyed\/scripted-model: failed \(auth 401\)/.test(text) ? text : undefined;
		});
		assert.ok(!log.includes(secret), 'the key reached the log');
		assert.ok(!JSON.stringify(chat.messages).includes(secret), 'the key reached the panel');

		// The banner's Set API key: a new key typed in the password box, and the refused prompt goes again by itself.
		const fixed = `sk-fixed-${Date.now().toString(36)}xyz`;
		server.push(textAnswer('The new key works.'));
		try {
			const done = chat.controller.receive({ type: 'set-api-key', provider: 'keyed' });
			await drive({ waitFor: '.quick-input-widget input[type="password"]', type: fixed });
			await drive({ press: 'Enter' });
			await done;
			await chat.next('turn-end', (message) => message.reason === 'stop');
			assert.equal(server.requests.length, 2);
			assert.equal(server.requests[1].headers.authorization, `Bearer ${fixed}`);
			assert.match(JSON.stringify(server.requests[1].json?.messages), /Hello with a bad key/);
			assert.equal(chat.controller.conversationView.turns.filter((turn) => turn.role === 'user').length, 1, 'the prompt was not typed twice');
		} finally {
			await api.keys.delete('keyed');
		}
	});

	it('asks for a missing key before sending anything, naming the provider, and sends the prompt once it is set', async () => {
		await chat.controller.receive({ type: 'select-model', provider: 'keyless', model: MODEL });
		await chat.controller.receive({ type: 'send-prompt', text: 'Hello without a key' });
		const banner = await chat.next('error');
		assert.equal(banner.error.action, 'set-api-key');
		assert.equal(banner.error.provider, 'keyless');
		assert.match(banner.error.message, /keyless/);
		assert.equal(server.requests.length, 0);
		assert.equal(chat.controller.conversationView.turns[0]?.role, 'user');

		// The banner's button: the host asks in a password box, typed into with real keys.
		const secret = `sk-typed-${Date.now().toString(36)}qrs`;
		server.push(textAnswer('Now I can answer.'));
		try {
			const done = chat.controller.receive({ type: 'set-api-key', provider: 'keyless' });
			await drive({ waitFor: '.quick-input-widget input[type="password"]', type: secret });
			await drive({ press: 'Enter' });
			await done;
			await chat.next('turn-end', (message) => message.reason === 'stop');
			assert.equal(chat.text(), 'Now I can answer.');
			assert.equal(server.requests[0].headers.authorization, `Bearer ${secret}`);
			assert.match(JSON.stringify(server.requests[0].json?.messages), /Hello without a key/);
		} finally {
			await api.keys.delete('keyless');
		}
	});

	it('offers Open settings when the provider answers 404, and Retry runs the prompt again', async () => {
		server.push({ status: 404, body: JSON.stringify({ error: { message: 'The model does not exist' } }) }, textAnswer('Second time lucky.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Try a missing model' });
		const banner = await chat.next('error');
		assert.equal(banner.error.action, 'open-settings');
		assert.equal(banner.error.setting, 'switchboard.providers');
		await chat.next('turn-end');
		await chat.controller.receive({ type: 'retry' });
		await chat.next('turn-end', (message) => message.reason === 'stop');
		assert.equal(chat.text(), 'Second time lucky.');
		const userMessages = messagesOf(server.requests[1]).filter((message) => message.role === 'user');
		assert.equal(userMessages.length, 1, 'the retried request carries the prompt once');
	});

	it('shows the wait before retrying a rate-limited request, then streams the answer', async () => {
		server.push({ status: 429, headers: { 'retry-after': '1' }, body: JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests' } }) }, textAnswer('After the wait.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Busy provider' });
		const wait = await chat.next('retry-wait');
		assert.equal(wait.attempt, 1);
		assert.ok(wait.delayMs >= 900 && wait.delayMs <= 1100, `waited ${wait.delayMs} ms`);
		assert.match(wait.message, /rate-limit|429/i);
		await chat.next('turn-end', (message) => message.reason === 'stop');
		assert.equal(chat.text(), 'After the wait.');
		assert.equal(chat.all('error').length, 0);
	});

	it('copies code to the clipboard and inserts it at the cursor of the active editor', async () => {
		await chat.controller.receive({ type: 'copy-code', code: 'const copied = 1;' });
		assert.equal(await vscode.env.clipboard.readText(), 'const copied = 1;');
		const document = await vscode.workspace.openTextDocument({ content: 'before\n' });
		const editor = await vscode.window.showTextDocument(document);
		editor.selection = new vscode.Selection(1, 0, 1, 0);
		await chat.controller.receive({ type: 'insert-code', code: 'inserted();' });
		assert.equal(document.getText(), 'before\ninserted();');
		await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
	});

	it('stops mid-stream and keeps the partial answer, marked interrupted', async () => {
		const stalled = textAnswer('The beginning of ', 'an answer');
		server.push({ chunks: (stalled.chunks ?? []).slice(0, 3), stall: true });
		await chat.controller.receive({ type: 'send-prompt', text: 'Tell me a long story' });
		await waitFor('the partial text', () => chat.text() === 'The beginning of an answer' || undefined);
		await chat.controller.receive({ type: 'stop' });
		const end = await chat.next('turn-end');
		assert.equal(end.reason, 'interrupted');
		assert.equal(chat.all('error').length, 0, 'a Stop is not an error');
		const turn = chat.controller.conversationView.turns[1];
		assert.ok(turn.role === 'assistant' && turn.finish === 'interrupted');
		assert.deepEqual(turn.segments, [{ kind: 'text', text: 'The beginning of an answer' }]);
	});

	it('runs a read tool without asking when read is auto, but still asks for .vscode/settings.json', async () => {
		await vscode.workspace.getConfiguration('switchboard').update('approval.read', 'auto', vscode.ConfigurationTarget.Global);
		try {
			server.push(
				toolCallAnswer('', [{ id: 'call_a', name: 'read_file', args: { path: 'README.md' } }]),
				toolCallAnswer('', [{ id: 'call_b', name: 'read_file', args: { path: '.vscode/settings.json' } }]),
				textAnswer('Done.'),
			);
			await chat.controller.receive({ type: 'send-prompt', text: 'Read two files' });
			const protectedCall = await chat.call('awaiting-approval');
			assert.match(protectedCall.summary, /\.vscode\/settings\.json/);
			assert.ok(protectedCall.state === 'awaiting-approval' && protectedCall.approval.forcedReason, 'the card says why it asks');
			assert.equal(protectedCall.state === 'awaiting-approval' && protectedCall.approval.offerAlwaysAllow, false);
			const readmeStates = chat.all('tool-call').filter((message) => message.call.summary.includes('README')).map((message) => message.call.state);
			assert.deepEqual(readmeStates, ['running', 'done']);
			await chat.controller.receive({ type: 'deny', callId: protectedCall.callId });
			await chat.next('turn-end', (message) => message.reason === 'stop');
		} finally {
			await vscode.workspace.getConfiguration('switchboard').update('approval.read', undefined, vscode.ConfigurationTarget.Global);
		}
	});

	it('remembers "Always allow" for a read tool in this workspace', async () => {
		server.push(
			toolCallAnswer('', [{ id: 'call_1', name: 'list_directory', args: { path: '.' } }]),
			toolCallAnswer('', [{ id: 'call_2', name: 'list_directory', args: { path: 'src' } }]),
			textAnswer('Listed.'),
		);
		try {
			await chat.controller.receive({ type: 'send-prompt', text: 'List things' });
			const first = await chat.call('awaiting-approval', 'list_directory');
			await chat.controller.receive({ type: 'approve', callId: first.callId, alwaysAllow: true });
			await chat.next('turn-end', (message) => message.reason === 'stop');
			assert.equal(chat.all('tool-call').filter((message) => message.call.state === 'awaiting-approval').length, 1, 'the second call did not ask');
			assert.deepEqual(api.context.workspaceState.get('switchboard.alwaysAllow'), ['list_directory']);
		} finally {
			await api.context.workspaceState.update('switchboard.alwaysAllow', undefined);
		}
	});

	it('approves every waiting call of a step with Approve all', async () => {
		server.push(
			toolCallAnswer('', [{ id: 'p1', name: 'read_file', args: { path: 'README.md' } }, { id: 'p2', name: 'read_file', args: { path: 'notes.txt' } }]),
			textAnswer('Both read.'),
		);
		await chat.controller.receive({ type: 'send-prompt', text: 'Read both' });
		await waitFor('two waiting calls', () => chat.all('tool-call').filter((message) => message.call.state === 'awaiting-approval').length === 2 || undefined);
		const ids = chat.all('tool-call').map((message) => message.call.callId);
		await chat.controller.receive({ type: 'approve-all', callIds: [...new Set(ids)] });
		await chat.next('turn-end', (message) => message.reason === 'stop');
		assert.equal(chat.all('tool-call').filter((message) => message.call.state === 'done').length, 2);
	});

	it('does not offer run_task to the model in Restricted Mode', async () => {
		const workspace = new VscodeWorkspace();
		const state = new MemoryMemento();
		const history = new HistoryStore(state, vscode.Uri.joinPath(api.context.globalStorageUri, 'restricted-test'));
		const log = { info: () => undefined, warn: () => undefined, error: () => undefined, addSecret: () => undefined, show: () => undefined };
		const build = (isTrusted: boolean) => new ChatController({ keys: api.keys, log, history, state, workspace, tools: () => buildToolset({ isTrusted }) });
		try {
			for (const trusted of [true, false]) {
				const controller = build(trusted);
				server.push(textAnswer('ok'));
				await controller.receive({ type: 'send-prompt', text: 'Which tools?' });
				await controller.whenIdle();
				await controller.shutdown();
			}
			assert.ok(toolNames(server.requests[0]).includes('run_task'));
			assert.ok(!toolNames(server.requests[1]).includes('run_task'));
			assert.ok(toolNames(server.requests[1]).includes('read_file'));
		} finally {
			workspace.dispose();
		}
	});
});
