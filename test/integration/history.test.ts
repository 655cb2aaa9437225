// Chat history in a real extension host: conversations survive a reload of the chat (the controller is dropped and
// rebuilt from the store), mid-turn state included, and the history list reopens and deletes chats.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
import type { HostToWebview } from '../../src/shared/protocol';
import type { ToolCall } from '../../src/shared/toolCall';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { clearSettings, configureProviders, freshChat, MODEL, Recorder, textAnswer, toolCallAnswer } from './chatSupport';
import { activate, waitFor } from './support';

type Init = Extract<HostToWebview, { type: 'init' }>;

/** Reloads the chat as a window reload would and returns the `init` a new webview gets. */
async function reload(api: SwitchboardTestApi): Promise<{ init: Init; chat: Recorder }> {
	const controller = await api.chatHost.reloadController();
	const chat = new Recorder(controller);
	await controller.receive({ type: 'ready' });
	return { init: await chat.next('init'), chat };
}

/** The first `type` message posted after the first `from` messages (Recorder.next also finds older ones). */
function postedAfter<T extends HostToWebview['type']>(chat: Recorder, from: number, type: T, predicate: (message: Extract<HostToWebview, { type: T }>) => boolean = () => true): Promise<Extract<HostToWebview, { type: T }>> {
	return waitFor(`a '${type}' message`, () => chat.messages.slice(from).find((message): message is Extract<HostToWebview, { type: T }> => message.type === type && predicate(message as Extract<HostToWebview, { type: T }>)));
}

function calls(init: Init): ToolCall[] {
	return init.conversation.turns.flatMap((turn) => turn.role === 'assistant' ? turn.segments.flatMap((segment) => segment.kind === 'tool' ? [segment.call] : []) : []);
}

describe('chat history', function () {
	this.timeout(60000);
	let api: SwitchboardTestApi;
	let server: ScriptedServer;
	let chat: Recorder;

	before(async () => {
		api = await activate();
		server = await startScriptedServer();
		await configureProviders([{ id: 'scripted', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL], auth: 'none' }], `scripted/${MODEL}`);
	});

	beforeEach(async () => {
		chat = await freshChat(api);
	});

	afterEach(async () => {
		chat.dispose();
		await api.chatHost.controller.receive({ type: 'stop' });
		await api.chatHost.controller.whenIdle();
	});

	after(async () => {
		await clearSettings();
		await server.close();
	});

	it('restores a finished conversation and a pending approval (as not run) after a reload', async () => {
		server.push(textAnswer('First answer.'), toolCallAnswer('Checking. ', [{ id: 'call_h', name: 'read_file', args: { path: 'README.md' } }]));
		await chat.controller.receive({ type: 'send-prompt', text: 'First question' });
		await chat.next('turn-end');
		await chat.controller.receive({ type: 'send-prompt', text: 'Second question' });
		await chat.call('awaiting-approval');

		const { init, chat: reloaded } = await reload(api);
		chat.dispose();
		chat = reloaded;
		const turns = init.conversation.turns;
		assert.deepEqual(turns.map((turn) => turn.role), ['user', 'assistant', 'user', 'assistant']);
		const [, first, , second] = turns;
		assert.ok(first.role === 'assistant' && first.finish === 'stop');
		assert.deepEqual(first.segments, [{ kind: 'text', text: 'First answer.' }]);
		assert.ok(second.role === 'assistant' && second.finish === 'interrupted');
		const [pending] = calls(init);
		assert.equal(pending.state, 'incomplete');
		assert.equal(pending.state === 'incomplete' && pending.message, 'Not run: the window was reloaded');
		assert.equal(init.history[0]?.title, 'First question');

		// The restored conversation goes on: the next request carries both earlier prompts.
		const before = server.requests.length;
		server.push(textAnswer('Third answer.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Third question' });
		await chat.next('turn-end', (message) => message.reason === 'stop');
		const sent = JSON.stringify(server.requests[before].json?.messages);
		assert.match(sent, /First question/);
		assert.match(sent, /Second question/);
	});

	it('replays the completed steps of a turn cut by a reload to the model: their tool calls and results', async () => {
		server.push(
			toolCallAnswer('Step one. ', [{ id: 'call_r1', name: 'read_file', args: { path: 'README.md' } }]),
			toolCallAnswer('Step two. ', [{ id: 'call_r2', name: 'list_directory', args: { path: '.' } }]),
		);
		await chat.controller.receive({ type: 'send-prompt', text: 'Look around' });
		const first = await chat.call('awaiting-approval', 'read_file');
		await chat.controller.receive({ type: 'approve', callId: first.callId });
		await chat.call('awaiting-approval', 'list_directory');

		const { chat: reloaded } = await reload(api);
		chat.dispose();
		chat = reloaded;
		const before = server.requests.length;
		server.push(textAnswer('Carrying on.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Go on' });
		await chat.next('turn-end', (message) => message.reason === 'stop');
		const sent = server.requests[before].json?.messages as Array<{ role: string; content?: unknown; tool_calls?: Array<{ function: { name: string } }> }>;
		const roles = sent.map((message) => message.role);
		assert.deepEqual(roles.slice(-5), ['user', 'assistant', 'tool', 'assistant', 'user'], JSON.stringify(roles));
		const [, step, result, cut] = sent.slice(-5);
		assert.equal(step.tool_calls?.[0]?.function.name, 'read_file');
		assert.match(JSON.stringify(result.content), /Sample workspace/, 'the read result is replayed');
		assert.match(JSON.stringify(cut.content), /Step two\./);
		assert.doesNotMatch(JSON.stringify(cut.content), /Step one/, 'only the cut step\'s text');
		assert.equal(cut.tool_calls, undefined, 'the call that never ran is left out');
	});

	it('keeps a partial answer that was streaming during a reload, marked interrupted', async () => {
		const answer = textAnswer('Half of ', 'the answer');
		server.push({ chunks: (answer.chunks ?? []).slice(0, 3), stall: true });
		await chat.controller.receive({ type: 'send-prompt', text: 'Stream something' });
		await waitFor('the partial text', () => chat.text() === 'Half of the answer' || undefined);
		const { init, chat: reloaded } = await reload(api);
		chat.dispose();
		chat = reloaded;
		const last = init.conversation.turns.at(-1);
		assert.ok(last?.role === 'assistant' && last.finish === 'interrupted');
		assert.deepEqual(last.segments, [{ kind: 'text', text: 'Half of the answer' }]);
	});

	it('lists chats, reopens one and deletes one', async () => {
		server.push(textAnswer('About apples.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Tell me about apples' });
		await chat.next('turn-end');
		const appleId = chat.controller.conversationView.id;
		await chat.controller.receive({ type: 'new-chat' });
		const cleared = await chat.next('conversation');
		assert.equal(cleared.conversation.turns.length, 0);
		const listed = await chat.next('history', (message) => message.entries.some((entry) => entry.id === appleId));
		assert.equal(listed.entries.find((entry) => entry.id === appleId)?.title, 'Tell me about apples');

		await chat.controller.receive({ type: 'history-open', id: appleId });
		const reopened = await chat.next('conversation', (message) => message.conversation.id === appleId);
		assert.equal(reopened.conversation.turns.length, 2);

		await chat.controller.receive({ type: 'history-delete', id: appleId });
		await chat.next('history', (message) => !message.entries.some((entry) => entry.id === appleId));
		const deleted = await chat.next('history-deleted');
		assert.deepEqual([deleted.id, deleted.title], [appleId, 'Tell me about apples']);
		assert.notEqual(chat.controller.conversationView.id, appleId, 'deleting the open chat starts a new one');
		// Undo brings it back, file and all.
		let mark = chat.messages.length;
		await chat.controller.receive({ type: 'history-undo-delete', id: appleId });
		await postedAfter(chat, mark, 'history', (message) => message.entries.some((entry) => entry.id === appleId));
		const file = vscode.Uri.joinPath(api.context.storageUri ?? api.context.globalStorageUri, 'chats', `${appleId}.json`);
		await vscode.workspace.fs.stat(file);
		// Deleted again, its file goes once Undo can no longer happen (here: the window closes).
		mark = chat.messages.length;
		await chat.controller.receive({ type: 'history-delete', id: appleId });
		await postedAfter(chat, mark, 'history', (message) => !message.entries.some((entry) => entry.id === appleId));
		chat = (await reload(api)).chat;
		await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(file)));
	});

	it('searches titles and message text, renames a chat without moving it', async () => {
		server.push(textAnswer('Bananas are berries.'), textAnswer('Cherries are drupes.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Fruit one' });
		await chat.controller.whenIdle();
		const bananaId = chat.controller.conversationView.id;
		await chat.controller.receive({ type: 'new-chat' });
		await chat.controller.receive({ type: 'send-prompt', text: 'Fruit two' });
		await chat.controller.whenIdle();
		await chat.controller.receive({ type: 'history-search', query: 'berries' });
		const found = await chat.next('history-results', (message) => message.query === 'berries');
		assert.deepEqual(found.entries.map((entry) => entry.id), [bananaId]);
		assert.match(found.entries[0].snippet ?? '', /Bananas are berries/);
		const order = chat.messages.filter((message) => message.type === 'history').at(-1);
		assert.ok(order?.type === 'history');
		await chat.controller.receive({ type: 'history-rename', id: bananaId, title: 'Banana facts' });
		const renamed = await chat.next('history', (message) => message.entries.some((entry) => entry.title === 'Banana facts'));
		assert.deepEqual(renamed.entries.map((entry) => entry.id), order.entries.map((entry) => entry.id), 'renaming does not move a chat');
		await chat.controller.receive({ type: 'history-search', query: 'banana' });
		assert.deepEqual((await chat.next('history-results', (message) => message.query === 'banana')).entries.map((entry) => entry.id), [bananaId]);
	});

	it('exports the conversation as Markdown without any key', async () => {
		const secret = `sk-export-${Date.now().toString(36)}xyz`;
		await api.keys.set('scripted', secret);
		try {
			server.push(toolCallAnswer('Reading. ', [{ id: 'call_e', name: 'read_file', args: { path: 'notes.txt' } }]), textAnswer('All done.'));
			await chat.controller.receive({ type: 'send-prompt', text: 'Export me' });
			const asking = await chat.call('awaiting-approval');
			await chat.controller.receive({ type: 'approve', callId: asking.callId });
			await chat.next('turn-end', (message) => message.reason === 'stop');
			const markdown = api.chat.exportMarkdown() ?? '';
			assert.match(markdown, /## You\n\nExport me/);
			assert.match(markdown, /Tool call: read_file/);
			assert.match(markdown, /All done\./);
			assert.ok(!markdown.includes(secret));
			const stored = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(api.context.storageUri ?? api.context.globalStorageUri, 'chats', `${chat.controller.conversationView.id}.json`));
			assert.ok(!new TextDecoder().decode(stored).includes(secret), 'the key reached the history file');
		} finally {
			await api.keys.delete('scripted');
		}
	});
});
