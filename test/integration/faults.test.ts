// The provider faults of test/reliability/faults.test.ts, this time through the extension's own chat in a real
// extension host: each prompt goes through the ChatController as the panel sends it, against the fault server
// (which runs in this same host process), for both protocols. For each fault: a classified banner with the action
// that fixes it, the partial answer and every earlier message kept in the conversation and in the saved history
// file, no tool run from a cut call (the calls write files, so "ran" is visible on disk), Retry works, and no
// unhandled rejection reaches the host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
import { defaultMaxRetries } from '../../src/providers/retry';
import type { Protocol } from '../../src/providers/types';
import type { ErrorBannerView, HostToWebview, TurnView } from '../../src/shared/protocol';
import { exists } from '../../src/vscode/conversation/checkpoints';
import { HistoryStore, type StoredConversation } from '../../src/vscode/conversation/historyStore';
import { answer, modelFor, protocols, type Call } from '../reliability/support';
import { Tally } from '../reliability/tally';
import { startFaultServer, type FaultName, type FaultServer } from '../support/faultServer';
import type { ScriptedResponse } from '../support/scriptedServer';
import { clearSettings, configureProviders, freshChat, type Recorder } from './chatSupport';
import { activate, waitFor } from './support';

type Scenario =
	| Extract<FaultName, 'reset-mid-stream' | 'no-finish-event' | 'stall' | '429-retry-after' | '429-quota-body' | '500' | '502-html' | '529' | 'error-event-in-200' | 'garbage-10mb' | 'tiny-chunks'>
	| 'huge-tool-args' | 'huge-tool-args-cut';

interface Expectation {
	/** Banner kinds accepted; null: the turn succeeds. */
	kinds: readonly string[] | null;
	/** Some text reached the panel before the fault, and stays. */
	partial: boolean;
	/** Retryable before any content: the adapter tries 1 + defaultMaxRetries times, announcing each wait. */
	retried?: { delayMs?: number };
}

const expectations: Record<Scenario, Expectation> = {
	'reset-mid-stream': { kinds: ['interrupted'], partial: true },
	'no-finish-event': { kinds: ['interrupted'], partial: true },
	// No byte for longer than the provider's timeoutSeconds (2 s here; switchboard.requestTimeoutSeconds by default).
	stall: { kinds: ['interrupted'], partial: true },
	'429-retry-after': { kinds: ['rate-limit'], partial: false, retried: { delayMs: 2000 } },
	// Not retried by the adapter (waiting does not add credit); Retry once the plan is topped up.
	'429-quota-body': { kinds: ['quota'], partial: false },
	500: { kinds: ['server'], partial: false, retried: {} },
	'502-html': { kinds: ['server'], partial: false, retried: {} },
	529: { kinds: ['overloaded'], partial: false, retried: {} },
	'error-event-in-200': { kinds: ['overloaded'], partial: true },
	'garbage-10mb': { kinds: ['interrupted', 'invalid-response'], partial: true },
	'tiny-chunks': { kinds: null, partial: true },
	'huge-tool-args': { kinds: null, partial: true },
	'huge-tool-args-cut': { kinds: ['interrupted'], partial: true },
};

/** The button each kind must offer (src/vscode/providers/chatProviderSetup.ts errorBanner). */
const actionFor: Record<string, ErrorBannerView['action']> = {
	interrupted: 'retry', network: 'retry', quota: 'retry', server: 'retry', overloaded: 'retry', 'rate-limit': 'retry', 'invalid-response': 'open-settings',
};

const scenarios: readonly Scenario[] = [
	'reset-mid-stream', 'no-finish-event', 'stall', '429-retry-after', '429-quota-body', '500', '502-html', '529', 'error-event-in-200', 'garbage-10mb',
	'tiny-chunks', 'huge-tool-args', 'huge-tool-args-cut',
];
const partialText = 'Here is the partial answer about the weather in Boston. ';
const firstQuestion = 'First question: what is a gateway?';
const firstAnswer = 'First answer: a server in front of models.';
const faultPrompt = 'Write the Boston weather notes.';
const retryText = 'It is 22 degrees in Boston.';
const closingText = 'Notes written.';
/** 5 MiB of text lines: a whole generated file as one create_file argument. */
const hugeContent = 'a line of a large generated file, written by the model\n'.repeat(Math.ceil((5 * 1024 * 1024) / 56));

function filesOf(protocol: Protocol, scenario: Scenario): string[] {
	return scenario.startsWith('huge') ? [`faults/${protocol}-${scenario}.txt`] : ['a', 'b'].map((name) => `faults/${protocol}-${scenario}-${name}.txt`);
}

/**
 * The good answer a fault spoils: text, then create_file calls. Two calls, so that the first half of the stream
 * (where reset, stall, error event and garbage strike) ends inside the first call's arguments.
 */
function goodTurn(protocol: Protocol, scenario: Scenario): ScriptedResponse {
	const [first, second] = filesOf(protocol, scenario);
	if (scenario.startsWith('huge')) {
		return answer(protocol, { text: partialText, calls: [{ id: 'call_huge', name: 'create_file', args: JSON.stringify({ path: first, content: hugeContent }) }], pieces: 80 });
	}
	const calls: Call[] = [
		{ id: 'call_1', name: 'create_file', args: JSON.stringify({ path: first, content: 'Boston is 22 degrees and sunny today.\n' }) },
		{ id: 'call_2', name: 'create_file', args: JSON.stringify({ path: second, content: 'Tomorrow: rain.\n' }) },
	];
	return answer(protocol, { text: partialText, calls });
}

function textOf(turn: TurnView | undefined): string {
	return turn?.role === 'assistant' ? turn.segments.flatMap((segment) => segment.kind === 'text' ? [segment.text] : []).join('') : '';
}

function callStates(turn: TurnView | undefined): string[] {
	return turn?.role === 'assistant' ? turn.segments.flatMap((segment) => segment.kind === 'tool' ? [segment.call.state] : []) : [];
}


describe('faults through the chat and history in the extension host, both protocols', function () {
	this.timeout(120_000);
	const tally = new Tally('faults in the extension host (chat + history)', () => `${scenarios.length} scenarios × ${protocols.length} protocols`);
	const retried = new Tally('faults in the extension host, retried by the adapter with each wait announced');
	let api: SwitchboardTestApi;
	let server: FaultServer;
	let chat: Recorder;
	/** The chat of the running test, for afterEach (unset when a test failed before opening one). */
	let current: Recorder | undefined;
	/** What reached the host unhandled while the suite ran. */
	const rejected: string[] = [];
	const uncaught: string[] = [];
	const onRejection = (reason: unknown): void => {
		rejected.push(reason instanceof Error ? reason.stack ?? reason.message : String(reason));
	};
	const onUncaught = (error: Error): void => {
		uncaught.push(error.stack ?? error.message);
	};
	const probeMessage = 'faults suite: one deliberate unhandled rejection, to prove the listener hears them';
	/** Each banner's kind and action, printed with the counts. */
	const shown: string[] = [];
	const root = (): vscode.Uri => {
		const folder = vscode.workspace.workspaceFolders?.[0];
		if (!folder) throw new Error('the extension-host tests run with a workspace folder');
		return folder.uri;
	};

	before(async () => {
		api = await activate();
		server = await startFaultServer();
		process.on('unhandledRejection', onRejection);
		process.on('uncaughtException', onUncaught);
		// The host has its own handler for these; prove ours still hears one before counting on it.
		void Promise.reject(new Error(probeMessage));
		await waitFor('the deliberate unhandled rejection to be heard', () => rejected.some((reason) => reason.includes(probeMessage)) || undefined, 5000);
		rejected.length = 0;
		await configureProviders([
			{ id: 'fault-openai', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [modelFor('openai')], auth: 'none', timeoutSeconds: 2 },
			{ id: 'fault-anthropic', protocol: 'anthropic', baseUrl: server.url, models: [modelFor('anthropic')], auth: 'none', timeoutSeconds: 2 },
		], `fault-openai/${modelFor('openai')}`);
		// Complete calls run without a click, so a call that was cut and did not run is the product's doing.
		await vscode.workspace.getConfiguration('switchboard').update('approval.write', 'auto', vscode.ConfigurationTarget.Global);
	});

	afterEach(async () => {
		if (!current) return;
		const { controller } = current;
		controller.receive({ type: 'stop' }).catch(() => undefined);
		await controller.whenIdle();
		// The chat leaves the history (some hold 5 MB), so the list stays as the other suites expect it.
		await controller.receive({ type: 'history-delete', id: controller.conversationView.id });
		current.dispose();
		current = undefined;
	});

	after(async () => {
		process.off('uncaughtException', onUncaught);
		process.off('unhandledRejection', onRejection);
		tally.print(`${rejected.length} unhandled rejections, ${uncaught.length} uncaught exceptions`);
		for (const reason of [...rejected, ...uncaught]) console.log(`      unhandled: ${reason}`);
		retried.print();
		console.log(`      banners shown: ${shown.join(', ')}`);
		await clearSettings();
		await server.close();
		await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), 'faults'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
	});

	/** The turns of the saved history file, read back through a second store over the same storage. */
	async function stored(id: string): Promise<StoredConversation> {
		const conversation = await HistoryStore.forContext(api.context).load(id);
		assert.ok(conversation, `the history file of ${id} reads back`);
		return conversation;
	}

	async function send(text: string): Promise<Extract<HostToWebview, { type: 'turn-end' }>> {
		const before = chat.all('turn-end').length;
		await chat.controller.receive({ type: 'send-prompt', text });
		await chat.controller.whenIdle();
		const end = chat.all('turn-end')[before];
		assert.ok(end, `a turn-end for "${text}"`);
		return end;
	}

	function queue(protocol: Protocol, scenario: Scenario): void {
		const good = goodTurn(protocol, scenario);
		if (scenario === 'huge-tool-args' || scenario === 'tiny-chunks') {
			if (scenario === 'huge-tool-args') server.push(good);
			else server.inject(scenario, protocol, good);
			// The calls ran; the loop sends their results and the model closes the turn.
			server.push(answer(protocol, { text: closingText }));
			return;
		}
		if (scenario === 'huge-tool-args-cut') {
			server.push({ chunks: (good.chunks ?? []).slice(0, -12), reset: true });
			return;
		}
		const copies = expectations[scenario].retried ? 1 + defaultMaxRetries : 1;
		for (let i = 0; i < copies; i++) server.inject(scenario, protocol, good);
	}

	for (const protocol of protocols) {
		for (const scenario of scenarios) {
			const expected = expectations[scenario];
			const title = expected.kinds
					? `banner ${expected.kinds.join('/')} with its action; partial answer and earlier messages kept in chat and history; no cut call runs; Retry works`
					: 'the answer and its calls arrive whole: each call runs once, chat and history keep everything';
			it(`${protocol} ${scenario}: ${title}`, () => tally.check(`${protocol} ${scenario}`, async () => {
				chat = await freshChat(api);
				current = chat;
				await chat.controller.receive({ type: 'select-model', provider: `fault-${protocol}`, model: modelFor(protocol) });
				const rejectionsBefore = rejected.length;
				const uncaughtBefore = uncaught.length;
				const id = chat.controller.conversationView.id;

				server.push(answer(protocol, { text: firstAnswer }));
				const first = await send(firstQuestion);
				assert.equal(first.reason, 'stop');

				server.requests.length = 0;
				queue(protocol, scenario);
				const start = chat.messages.length;
				await send(faultPrompt);
				const during = chat.messages.slice(start);
				const end = during.find((m) => m.type === 'turn-end');
				const banners = during.flatMap((m) => m.type === 'error' ? [m.error] : []);
				const turns = chat.controller.conversationView.turns;
				const faultTurn = turns.at(-1);

				// The banner: classified, says what to do, offers the button that fixes it.
				if (expected.kinds === null) {
					assert.deepEqual(banners, [], 'no banner');
					assert.equal(end?.type === 'turn-end' && end.reason, 'stop');
				} else {
					assert.equal(banners.length, 1, `one banner: ${JSON.stringify(banners)}`);
					const [banner] = banners;
					shown.push(`${protocol} ${scenario} ${banner.kind}→${banner.action ?? 'none'}`);
					assert.ok(expected.kinds.includes(banner.kind), `kind ${banner.kind}: ${banner.message}`);
					assert.equal(banner.action, actionFor[banner.kind], `the action for ${banner.kind}`);
					assert.match(banner.message, /try again|check|wait|retry|raise the timeout/i, `the message says what to do: ${banner.message}`);
					assert.equal(end?.type === 'turn-end' && end.reason, expected.partial ? 'interrupted' : 'error');
				}
				if (expected.retried) {
					await retried.check(`${protocol} ${scenario}`, () => {
						const waits = during.flatMap((m) => m.type === 'retry-wait' ? [m] : []);
						assert.equal(waits.length, defaultMaxRetries, 'each retry is announced in the panel');
						if (expected.retried?.delayMs !== undefined) for (const wait of waits) assert.equal(wait.delayMs, expected.retried.delayMs, 'the wait the server asked for');
						assert.equal(server.requests.length, 1 + defaultMaxRetries);
					});
				}

				// The conversation: earlier turns untouched, the partial answer on screen.
				assert.deepEqual(turns.slice(0, 3).map((turn) => turn.role === 'user' ? turn.text : textOf(turn)), [firstQuestion, firstAnswer, faultPrompt]);
				assert.equal(faultTurn?.role, 'assistant');
				const succeeds = expected.kinds === null;
				if (expected.partial) assert.equal(textOf(faultTurn), succeeds ? `${partialText}${closingText}` : partialText, 'the partial answer stays');

				// Tools: a complete call ran once (its file is there, whole); a cut one did not run at all.
				const files = filesOf(protocol, scenario).map((file) => vscode.Uri.joinPath(root(), file));
				const states = callStates(faultTurn);
				if (succeeds) {
					const results = faultTurn?.role === 'assistant' ? faultTurn.segments.flatMap((segment) => segment.kind === 'tool' && segment.call.state === 'error' ? [segment.call.result.text] : []) : [];
					assert.deepEqual(states, files.map(() => 'done'), `every call ran: ${results.join('; ')}`);
					for (const file of files) assert.ok(await exists(file), `${file.path} written`);
					if (scenario === 'huge-tool-args') assert.equal((await vscode.workspace.fs.stat(files[0])).size, hugeContent.length);
				} else {
					assert.ok(!during.some((m) => m.type === 'tool-call' && (m.call.state === 'running' || m.call.state === 'done')), `no call ran: ${states.join(', ')}`);
					for (const file of files) assert.equal(await exists(file), false, `${file.path} must not be written by a cut call`);
				}

				// The saved history: the same turns, and the model history with the partial answer.
				const saved = await stored(id);
				assert.deepEqual(saved.turns.map((turn) => turn.turnId), turns.map((turn) => turn.turnId));
				assert.equal(textOf(saved.turns.at(-1)), textOf(faultTurn));
				const savedLast = saved.turns.at(-1);
				assert.equal(savedLast?.role === 'assistant' ? savedLast.finish : undefined, end?.type === 'turn-end' ? end.reason : undefined, 'saved with how it ended');
				const model = JSON.stringify(saved.messages);
				for (const text of [firstQuestion, firstAnswer, faultPrompt]) assert.ok(model.includes(text), `history keeps "${text}"`);
				if (expected.partial) assert.ok(model.includes(partialText.trim()), 'history keeps the partial answer');
				assert.equal(saved.title, firstQuestion);
				assert.ok(HistoryStore.forContext(api.context).list().some((entry) => entry.id === id), 'listed in the history');
				const sent = JSON.stringify(server.requests[0]?.json?.messages ?? []);
				for (const text of [firstQuestion, firstAnswer, faultPrompt]) assert.ok(sent.includes(text), `the faulty request carried "${text}"`);

				// Retry: the request goes again from the history before the failed attempt, and succeeds.
				if (expected.kinds !== null) {
					const retryStart = chat.messages.length;
					const before = server.requests.length;
					server.push(answer(protocol, { text: retryText }));
					await chat.controller.receive({ type: 'retry' });
					await chat.controller.whenIdle();
					const after = chat.messages.slice(retryStart);
					assert.ok(after.some((m) => m.type === 'clear-error'), 'the banner is cleared');
					assert.ok(after.some((m) => m.type === 'turn-end' && m.reason === 'stop'), 'the retry finished');
					assert.ok(!after.some((m) => m.type === 'error'), 'no banner after the retry');
					assert.equal(server.requests.length, before + 1);
					const resent = JSON.stringify(server.requests.at(-1)?.json?.messages ?? []);
					for (const text of [firstQuestion, firstAnswer]) assert.ok(resent.includes(text), `the retry carried "${text}"`);
					assert.equal(resent.split(faultPrompt).length - 1, 1, 'the retry carried the prompt once');
					const retriedTurns = chat.controller.conversationView.turns;
					assert.equal(textOf(retriedTurns.at(-1)), retryText);
					assert.equal(textOf(retriedTurns.at(-2)), textOf(faultTurn), 'the failed attempt stays on screen');
					const savedAfter = await stored(id);
					assert.deepEqual(savedAfter.turns.map((turn) => turn.role), ['user', 'assistant', 'user', 'assistant', 'assistant']);
					assert.equal(textOf(savedAfter.turns.at(-1)), retryText);
					assert.ok(JSON.stringify(savedAfter.messages).includes(retryText), 'the retried answer is in the model history');
				}

				await new Promise((resolve) => setTimeout(resolve, 50));
				assert.deepEqual(rejected.slice(rejectionsBefore), [], 'no unhandled rejection in the extension host');
				assert.deepEqual(uncaught.slice(uncaughtBefore), [], 'no uncaught exception in the extension host');
			}));
		}
	}
});
