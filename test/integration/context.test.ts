// Context-window management in the real extension host: a small switchboard.contextWindows entry makes the chat
// summarize its oldest turns, the panel gets the meter and the summary, and a provider's "context length exceeded"
// makes it compact and retry once.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
import type { ContextView } from '../../src/shared/protocol';
import { ChatController } from '../../src/vscode/chat/chatController';
import { HistoryStore } from '../../src/vscode/conversation/historyStore';
import { VscodeWorkspace } from '../../src/vscode/workspace/workspaceAdapter';
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from '../support/scriptedServer';
import { clearSettings, configureProviders, MemoryMemento, MODEL, Recorder, textAnswer } from './chatSupport';
import { activate } from './support';

/** 40 numbered words: about 60-100 estimated tokens a message. */
function words(tag: string): string {
	return Array.from({ length: 40 }, (_, index) => `${tag}${index}`).join(' ');
}

function bodyOf(request: RecordedRequest): string {
	return JSON.stringify(request.json?.messages ?? []);
}

async function setContextSettings(windows: Record<string, number> | undefined, reserve: number | undefined): Promise<void> {
	const config = vscode.workspace.getConfiguration('switchboard');
	await config.update('contextWindows', windows, vscode.ConfigurationTarget.Global);
	await config.update('reserveOutputTokens', reserve, vscode.ConfigurationTarget.Global);
}

describe('context window in the chat', function () {
	this.timeout(60000);
	let api: SwitchboardTestApi;
	let server: ScriptedServer;
	let workspace: VscodeWorkspace;
	let controller: ChatController;
	let chat: Recorder;

	/** One prompt answered by `answers` (a summary request, when compaction happens, takes the first). */
	async function turn(prompt: string, ...answers: Array<ReturnType<typeof textAnswer> | { status: number; body: string }>): Promise<void> {
		server.push(...answers);
		await controller.receive({ type: 'send-prompt', text: prompt });
		await controller.whenIdle();
	}

	before(async () => {
		api = await activate();
		server = await startScriptedServer();
		await configureProviders([{ id: 'scripted', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL], auth: 'none' }], `scripted/${MODEL}`);
	});

	beforeEach(() => {
		workspace = new VscodeWorkspace();
		const state = new MemoryMemento();
		const history = new HistoryStore(state, vscode.Uri.joinPath(api.context.globalStorageUri, `context-test-${Date.now()}`));
		// No tools: the prompt's fixed part is the system prompt alone, so a few hundred tokens make a small window.
		controller = new ChatController({ keys: api.keys, log: { info: () => undefined, warn: () => undefined, error: () => undefined, addSecret: () => undefined, show: () => undefined }, history, state, workspace, tools: () => [] });
		chat = new Recorder(controller);
		server.requests.length = 0;
	});

	afterEach(async () => {
		chat.dispose();
		await controller.shutdown();
		workspace.dispose();
		await setContextSettings(undefined, undefined);
	});

	after(async () => {
		await clearSettings();
		await server.close();
	});

	it('summarizes the oldest turns when the next request would not fit, and shows the meter and the summary', async () => {
		await setContextSettings({ '^scripted-model$': 100_000 }, 100);
		for (const tag of ['one', 'two', 'three']) await turn(`${tag}: ${words(tag)}`, textAnswer(words(`${tag}answer`)));
		assert.equal(server.requests.length, 3, 'three turns fit without compaction');
		const before = chat.all('context').at(-1)?.context;
		assert.ok(before && before.windowTokens === 100_000 && !before.summary, 'the meter reads the window before any compaction');
		// Sized from what was measured (the built-in tools' share varies): room for about half another turn.
		const window = before.usedTokens + 100 + 100;
		await setContextSettings({ '^scripted-model$': window }, 100);

		await turn(`four: ${words('four')}`, textAnswer('SUMMARY: the user sent numbered word lists.'), textAnswer('Noted.'));
		assert.equal(server.requests.length, 5, 'a summary request, then the turn\'s request');
		const summaryRequest = bodyOf(server.requests[3]);
		assert.match(summaryRequest, /Summarize this conversation/);
		assert.match(summaryRequest, /oneanswer0/, 'the summarized turns go to the summarizer (the middle may be cut to fit)');

		const sent = bodyOf(server.requests[4]);
		assert.match(sent, /Summary of the earlier conversation \(3 messages\)/);
		assert.match(sent, /SUMMARY: the user sent numbered word lists\./);
		assert.match(sent, /one0/, 'the first user message stays');
		assert.match(sent, /three0/, 'the last turns stay');
		assert.match(sent, /four0/);
		assert.doesNotMatch(sent, /two0 /, 'the summarized user message is not sent again');

		const meter = chat.all('context').at(-1)?.context as ContextView;
		assert.equal(meter.windowTokens, window);
		assert.ok(meter.usedTokens > 0 && meter.usedTokens + 100 <= window, `used ${meter.usedTokens} of ${window} with 100 reserved`);
		assert.deepEqual(meter.summary, { text: 'SUMMARY: the user sent numbered word lists.', replacedCount: 3, byModel: true });
		assert.equal(chat.all('turn-end').at(-1)?.reason, 'stop');
		// The history keeps every original message: only what is sent is condensed.
		assert.ok(controller.conversationView.turns.some((view) => view.role === 'user' && view.text.startsWith('two:')));
		// The summary sits in the turn where it happened, in the saved conversation too (a reload shows it inline).
		const last = controller.conversationView.turns.at(-1);
		assert.ok(last?.role === 'assistant');
		const blocks = last.segments.filter((segment) => segment.kind === 'compaction');
		assert.equal(blocks.length, 1, JSON.stringify(last.segments));
		assert.match(JSON.stringify(blocks[0]), /SUMMARY: the user sent numbered word lists\./);
		assert.equal(chat.all('context').at(-1)?.turnId, last.turnId);
	});

	it('compacts and retries once when the provider answers 400 context_length_exceeded', async () => {
		// Our window says it fits; the deployment's real limit is smaller.
		await setContextSettings({ '^scripted-model$': 4000 }, 100);
		for (const tag of ['one', 'two', 'three']) await turn(`${tag}: ${words(tag)}`, textAnswer(words(`${tag}answer`)));
		// The stated limit leaves room for about half another turn, as measured (the built-in tools' share varies).
		const used = chat.all('context').at(-1)?.context.usedTokens ?? 0;
		const limit = used + 150;
		const refusal = {
			status: 400,
			body: JSON.stringify({ error: { message: `This model's maximum context length is ${limit} tokens. However, your messages resulted in ${used + 250} tokens. Please reduce the length of the messages.`, type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }),
		};
		server.requests.length = 0;
		await turn(`four: ${words('four')}`, refusal, textAnswer('SUMMARY of turns one to three.'), textAnswer('Fits now.'));

		assert.equal(server.requests.length, 3, 'the refused request, the summary request, one retry');
		assert.doesNotMatch(bodyOf(server.requests[0]), /Summary of the earlier conversation/);
		assert.match(bodyOf(server.requests[1]), /Summarize this conversation/);
		assert.match(bodyOf(server.requests[2]), /SUMMARY of turns one to three\./);
		assert.equal(chat.all('turn-end').at(-1)?.reason, 'stop');
		assert.equal(chat.all('error').length, 0, 'no error banner: the retry answered');
		assert.match(chat.text(), /Fits now\./);
		const meter = chat.all('context').at(-1)?.context as ContextView;
		assert.equal(meter.windowTokens, limit, 'the meter uses the limit the provider stated');
	});

	it('sends the meter\'s last reading to a panel that connects later', async () => {
		await turn('hello', textAnswer('hi'));
		const posted: unknown[] = [];
		await controller.receive({ type: 'ready' }, { post: (message) => posted.push(message) });
		const types = posted.map((message) => (message as { type: string }).type);
		assert.deepEqual(types, ['init', 'context']);
		assert.ok(((posted[1] as { context: ContextView }).context.usedTokens) > 0);
	});
});
