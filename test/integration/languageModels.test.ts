// Switchboard inside VS Code's language-model API, in a real extension host with a second extension beside it
// (test/fixtures/lm-peer, loaded as another development extension by test/run.mjs):
// - the peer calls Switchboard's models (vendor 'switchboard') as any extension would, against the scripted server;
// - Switchboard's panel talks to the peer's own model through a vscode-lm provider, and offers the peer's tool
//   once the user opted it in.
import * as assert from 'node:assert/strict';
import type * as vscodeTypes from 'vscode';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
import { openaiSse, startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { clearSettings, configureProviders, endChat, freshChat, MODEL, textAnswer, toolCallAnswer, type Recorder } from './chatSupport';
import { activate, waitFor } from './support';

interface PeerApi {
	vscode: typeof vscodeTypes;
	requests: Array<{ messages: Array<{ role: number; content: Array<{ type: string; text?: string; name?: string }> }>; tools: string[] }>;
	invocations: unknown[];
}

const PEER_ID = 'switchboard-test.lm-peer';

async function peer(): Promise<PeerApi> {
	const extension = vscode.extensions.getExtension<PeerApi>(PEER_ID);
	if (!extension) throw new Error(`${PEER_ID} is not loaded: test/run.mjs passes it as a second extensionDevelopmentPath`);
	return extension.activate();
}

async function switchboardModels(api: PeerApi): Promise<vscodeTypes.LanguageModelChat[]> {
	return api.vscode.lm.selectChatModels({ vendor: 'switchboard' });
}

/** Waits until `id` is among Switchboard's models (present: true) or gone (present: false). */
async function modelPresence(api: PeerApi, id: string, present: boolean): Promise<vscodeTypes.LanguageModelChat | true> {
	return waitFor(`model ${id} ${present ? 'to appear' : 'to disappear'}`, async () => {
		const found = (await switchboardModels(api)).find((model) => model.id === id);
		return present ? found : found ? undefined : true;
	});
}

/** The parts of a response, read to the end (a rejection is the provider's error). */
async function readAll(response: vscodeTypes.LanguageModelChatResponse): Promise<unknown[]> {
	const parts: unknown[] = [];
	for await (const part of response.stream) parts.push(part);
	return parts;
}

describe('VS Code language models', function () {
	this.timeout(90000);
	let api: SwitchboardTestApi;
	let server: ScriptedServer;
	let lm: PeerApi;
	const scriptedId = `lmscripted/${MODEL}`;

	before(async () => {
		api = await activate();
		lm = await peer();
		server = await startScriptedServer();
		await configureProviders([
			{ id: 'lmscripted', label: 'Scripted for VS Code', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL], auth: 'none' },
			{ id: 'lmkeyed', protocol: 'openai', baseUrl: `${server.url}/v1`, models: ['keyed-model'] },
		], `lmscripted/${MODEL}`);
	});

	after(async () => {
		await api.keys.delete('lmkeyed');
		await vscode.workspace.getConfiguration('switchboard').update('vscodeTools', undefined, vscode.ConfigurationTarget.Global);
		await clearSettings();
		await server.close();
	});

	describe("Switchboard's models for other extensions", () => {
		beforeEach(() => {
			server.requests.length = 0;
		});

		it('lists every configured model with its label, context window and output limit', async () => {
			const model = await modelPresence(lm, scriptedId, true) as vscodeTypes.LanguageModelChat;
			assert.equal(model.vendor, 'switchboard');
			assert.equal(model.name, MODEL);
			assert.ok(model.maxInputTokens > 1000, `maxInputTokens ${model.maxInputTokens}`);
			const counted = await model.countTokens('Hello there, how are you?');
			assert.ok(counted > 0 && counted < 20, `countTokens ${counted}`);
		});

		it('streams a tool call with parsed input, takes the result back and answers', async () => {
			const model = await modelPresence(lm, scriptedId, true) as vscodeTypes.LanguageModelChat;
			const L = lm.vscode;
			const tools = [{ name: 'get_weather', description: 'The weather in a city.', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
			server.push(toolCallAnswer('Let me check. ', [{ id: 'call_w1', name: 'get_weather', args: { city: 'Paris' } }]));
			const first = await readAll(await model.sendRequest([L.LanguageModelChatMessage.User('Weather in Paris?')], { tools }, new L.CancellationTokenSource().token));
			const call = first.find((part): part is vscodeTypes.LanguageModelToolCallPart => part instanceof L.LanguageModelToolCallPart);
			assert.ok(call, `a tool-call part among ${JSON.stringify(first)}`);
			assert.equal(call.name, 'get_weather');
			assert.deepEqual(call.input, { city: 'Paris' });
			assert.equal(call.callId, 'call_w1');
			const sent = server.requests[0].json as { tools?: Array<{ function: { name: string } }>; messages: Array<{ role: string; content: unknown }> };
			assert.deepEqual(sent.tools?.map((tool) => tool.function.name), ['get_weather']);

			server.push(textAnswer('It is sunny ', 'in Paris.'));
			const second = await readAll(await model.sendRequest([
				L.LanguageModelChatMessage.User('Weather in Paris?'),
				L.LanguageModelChatMessage.Assistant([new L.LanguageModelTextPart('Let me check. '), call]),
				L.LanguageModelChatMessage.User([new L.LanguageModelToolResultPart(call.callId, [new L.LanguageModelTextPart('sunny, 21 °C')])]),
			], { tools }, new L.CancellationTokenSource().token));
			const text = second.filter((part): part is vscodeTypes.LanguageModelTextPart => part instanceof L.LanguageModelTextPart).map((part) => part.value).join('');
			assert.equal(text, 'It is sunny in Paris.');
			const replay = server.requests[1].json as { messages: Array<{ role: string; content: unknown; tool_call_id?: string; tool_calls?: Array<{ id: string }> }> };
			const assistant = replay.messages.find((message) => message.role === 'assistant');
			assert.equal(assistant?.tool_calls?.[0]?.id, 'call_w1');
			const result = replay.messages.find((message) => message.role === 'tool');
			assert.equal(result?.tool_call_id, 'call_w1');
			assert.match(String(result?.content), /sunny, 21 °C/);
		});

		it('stops the request when the caller cancels mid-stream', async () => {
			const model = await modelPresence(lm, scriptedId, true) as vscodeTypes.LanguageModelChat;
			const L = lm.vscode;
			const pieces = Array.from({ length: 60 }, (_, index) => `piece${index} `);
			const chunks = openaiSse([{ id: 'c', object: 'chat.completion.chunk', created: 1, model: MODEL, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
				...pieces.map((piece) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: MODEL, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] }))]);
			server.push({ ...chunks, delayMs: 200 });
			const source = new L.CancellationTokenSource();
			const started = Date.now();
			const response = await model.sendRequest([L.LanguageModelChatMessage.User('Talk for a long time.')], {}, source.token);
			let received = '';
			let failure: unknown;
			try {
				for await (const piece of response.text) {
					received += piece;
					if (received.includes('piece1 ')) source.cancel();
				}
			} catch (error) {
				failure = error;
			}
			assert.ok(received.includes('piece0'), received);
			assert.ok(!received.includes('piece20'), `kept streaming after the cancel: ${received}`);
			assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
			assert.ok(failure === undefined || failure instanceof Error, String(failure));
		});

		it("surfaces a 401 as an error with the provider's words", async () => {
			const model = await modelPresence(lm, scriptedId, true) as vscodeTypes.LanguageModelChat;
			const L = lm.vscode;
			server.push({ status: 401, body: JSON.stringify({ error: { message: 'Incorrect API key provided: the scripted server refuses you', type: 'invalid_request_error', code: 'invalid_api_key' } }) });
			let failure: unknown;
			try {
				await readAll(await model.sendRequest([L.LanguageModelChatMessage.User('Hello?')], {}, new L.CancellationTokenSource().token));
			} catch (error) {
				failure = error;
			}
			assert.ok(failure instanceof Error, `expected an error, got ${String(failure)}`);
			assert.match(failure.message, /Incorrect API key provided: the scripted server refuses you/);
		});

		it('adds and removes models as the settings and keys change', async () => {
			const config = vscode.workspace.getConfiguration('switchboard');
			const providers = config.inspect<unknown[]>('providers')?.globalValue ?? [];
			// A provider that needs a key shows its models only once the key is stored.
			assert.ok(!(await switchboardModels(lm)).some((model) => model.id === 'lmkeyed/keyed-model'));
			await api.keys.set('lmkeyed', 'sk-lmtest-0123456789abcdef', `${server.url}/v1`);
			await modelPresence(lm, 'lmkeyed/keyed-model', true);
			await api.keys.delete('lmkeyed');
			await modelPresence(lm, 'lmkeyed/keyed-model', false);

			await config.update('providers', [...providers, { id: 'lmadded', protocol: 'openai', baseUrl: `${server.url}/v1`, models: ['added-model'], auth: 'none' }], vscode.ConfigurationTarget.Global);
			await modelPresence(lm, 'lmadded/added-model', true);
			await config.update('providers', providers, vscode.ConfigurationTarget.Global);
			await modelPresence(lm, 'lmadded/added-model', false);
		});
	});

	describe("VS Code's models and tools in Switchboard", () => {
		let chat: Recorder;

		beforeEach(async () => {
			chat = await freshChat(api);
			server.requests.length = 0;
			lm.requests.length = 0;
			lm.invocations.length = 0;
		});

		afterEach(async () => {
			await endChat(chat);
		});

		async function useVscodeModels(): Promise<void> {
			await configureProviders([
				{ id: 'lmscripted', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL], auth: 'none' },
				{ id: 'editor', label: 'VS Code models', preset: 'vscode-lm' },
			], 'editor/peer-echo');
		}

		it("lists the other extension's model (never Switchboard's own) and completes a conversation with it", async () => {
			await useVscodeModels();
			const editor = await waitFor('the peer model in the panel', async () => {
				await chat.controller.receive({ type: 'ready' });
				const state = chat.all('init').at(-1)?.state;
				const entry = state?.providers.find((provider) => provider.id === 'editor');
				return entry?.models.includes('peer-echo') ? entry : undefined;
			});
			assert.equal(editor.auth, 'none');
			assert.ok(!editor.models.some((model) => model.startsWith('lmscripted/')), `Switchboard's own models are offered back: ${editor.models.join(', ')}`);

			await chat.controller.receive({ type: 'send-prompt', text: 'hello from the panel' });
			const end = await chat.next('turn-end');
			assert.equal(end.reason, 'stop');
			assert.match(chat.text(), /^Peer says: [\s\S]*hello from the panel$/);
			assert.equal(server.requests.length, 0, 'nothing went to the HTTP provider');
			// Without an opt-in, the peer's tool is not offered; ours are.
			assert.ok(lm.requests[0].tools.includes('read_file'), lm.requests[0].tools.join(', '));
			assert.ok(!lm.requests[0].tools.includes('peer_lookup'), lm.requests[0].tools.join(', '));
		});

		it("offers the other extension's tool once opted in, asks with a card, and returns its result to the model", async () => {
			await useVscodeModels();
			await vscode.workspace.getConfiguration('switchboard').update('vscodeTools', { [PEER_ID]: true }, vscode.ConfigurationTarget.Global);
			await chat.controller.receive({ type: 'send-prompt', text: 'Please use the tool.' });
			const asking = await chat.call('awaiting-approval', 'peer_lookup');
			assert.equal(asking.state === 'awaiting-approval' && asking.approval.offerAlwaysAllow, false, 'an execute-class tool offers no "always allow"');
			assert.equal(lm.invocations.length, 0, 'nothing ran before the approval');
			await chat.controller.receive({ type: 'approve', callId: asking.callId });
			const done = await chat.call('done', 'peer_lookup');
			assert.equal(done.state === 'done' && done.result.text, 'switchboard: a panel that connects callers');
			await chat.next('turn-end');
			assert.deepEqual(lm.invocations, [{ word: 'switchboard' }]);
			assert.match(chat.text(), /Peer read: switchboard: a panel that connects callers/);
			assert.ok(lm.requests[0].tools.includes('peer_lookup'));
		});
	});
});
