// Faults of a misbehaving provider, over both protocols, through the real SDK adapters and the agent loop: each
// ends in a classified error that says what to do, keeps the partial answer and every earlier message, runs no
// tool from a cut or unparseable call, leaves no unhandled rejection, and the next request succeeds.
import * as assert from 'node:assert/strict';
import { runAgentLoop, type AgentLoopResult } from '../../src/chat/agentLoop';
import type { Protocol } from '../../src/providers/types';
import type { ChatMessage } from '../../src/shared/chat';
import { ToolRegistry } from '../../src/tools/registry';
import { faultNames, startFaultServer, type FaultName, type FaultServer } from '../support/faultServer';
import { answer, approveAll, modelFor, protocols, providerFor, recorderTool, requestText, user } from './support';
import { Tally, unhandledRejections } from './tally';

type Scenario = FaultName | 'huge-tool-args' | 'huge-tool-args-cut';

interface Expectation {
	/** Error kinds accepted (null: the turn succeeds). */
	kinds: readonly string[] | null;
	/** The partial text reached the user and stays in the turn's messages. */
	partial: boolean;
	/** How often the recording tool runs. */
	runs: number;
	/** A retry inside the adapter (maxRetries 2) gets past it, waiting this long first (undefined: backoff). */
	builtInRetry?: { delayMs?: number };
}

const expectations: Record<Scenario, Expectation> = {
	'reset-mid-stream': { kinds: ['interrupted'], partial: true, runs: 0 },
	'no-finish-event': { kinds: ['interrupted'], partial: true, runs: 0 },
	stall: { kinds: ['interrupted'], partial: true, runs: 0 },
	'429-retry-after': { kinds: ['rate-limit'], partial: false, runs: 0, builtInRetry: { delayMs: 2000 } },
	'429-retry-after-ms': { kinds: ['rate-limit'], partial: false, runs: 0, builtInRetry: { delayMs: 150 } },
	'429-no-header': { kinds: ['rate-limit'], partial: false, runs: 0, builtInRetry: {} },
	'429-quota-body': { kinds: ['quota'], partial: false, runs: 0 },
	500: { kinds: ['server'], partial: false, runs: 0, builtInRetry: {} },
	'502-html': { kinds: ['server'], partial: false, runs: 0, builtInRetry: {} },
	529: { kinds: ['overloaded'], partial: false, runs: 0, builtInRetry: {} },
	'json-array-error': { kinds: ['rate-limit'], partial: false, runs: 0, builtInRetry: {} },
	'error-event-in-200': { kinds: ['overloaded'], partial: true, runs: 0 },
	'garbage-10mb': { kinds: ['interrupted', 'invalid-response'], partial: true, runs: 0 },
	'tiny-chunks': { kinds: null, partial: true, runs: 1 },
	'huge-tool-args': { kinds: null, partial: true, runs: 1 },
	'huge-tool-args-cut': { kinds: ['interrupted'], partial: true, runs: 0 },
};

/** Words of an instruction: every classified message says what to do next. */
const actionable = /try again|check|wait|set |start a new|retry|pick another|raise the timeout|billing/i;
const partialText = 'Here is the partial answer about the weather in Boston. ';
const hugeNote = 'x'.repeat(5 * 1024 * 1024);
const history: ChatMessage[] = [
	user('First question: what is a gateway?'),
	{ role: 'assistant', content: [{ type: 'text', text: 'First answer: a server in front of models.' }] },
	user('What is the weather in Boston?'),
];

function goodTurn(protocol: Protocol, scenario: Scenario) {
	if (scenario.startsWith('huge')) {
		return answer(protocol, { text: partialText, calls: [{ id: 'call_huge', name: 'record_note', args: JSON.stringify({ note: hugeNote }) }], pieces: 80 });
	}
	return answer(protocol, { text: partialText, calls: [{ id: 'call_1', name: 'record_note', args: '{"note":"Boston is 22 degrees and sunny today"}' }] });
}

describe('faults: a misbehaving provider, both protocols, through the adapters and the agent loop', function () {
	this.timeout(60_000);
	const scenarios: Scenario[] = [...faultNames, 'huge-tool-args', 'huge-tool-args-cut'];
	const tally = new Tally('faults', () => `${scenarios.length} scenarios × ${protocols.length} protocols`);
	const retries = new Tally('faults, retried inside the adapter');
	let server: FaultServer;
	let rejections: ReturnType<typeof unhandledRejections>;
	before(() => {
		rejections = unhandledRejections();
	});
	after(() => {
		rejections.dispose();
		tally.print();
		retries.print();
	});
	beforeEach(async () => {
		server = await startFaultServer();
	});
	afterEach(() => server.close());

	function queue(protocol: Protocol, scenario: Scenario): void {
		const good = goodTurn(protocol, scenario);
		if (scenario === 'huge-tool-args') server.push(good);
		else if (scenario === 'huge-tool-args-cut') server.push({ chunks: (good.chunks ?? []).slice(0, -12), reset: true });
		else server.inject(scenario, protocol, good);
	}

	/** Short only where the stall is the point: 10 MB must flow through without tripping it. */
	let scenarioTimeout = 5000;

	async function turn(protocol: Protocol, messages: readonly ChatMessage[], recorder: ReturnType<typeof recorderTool>, settings = {}, sleep?: (ms: number) => Promise<void>): Promise<AgentLoopResult> {
		return runAgentLoop({
			provider: providerFor(protocol, server.url, { timeoutMs: scenarioTimeout, ...settings }, sleep),
			model: modelFor(protocol),
			messages,
			registry: new ToolRegistry([recorder.tool]),
			approve: approveAll,
			signal: new AbortController().signal,
			maxSteps: 1,
		});
	}

	for (const protocol of protocols) {
		for (const scenario of scenarios) {
			const expected = expectations[scenario];
			it(`${protocol} ${scenario}: ${expected.kinds ? `an error (${expected.kinds.join('/')}) that says what to do` : 'succeeds'}, history kept, ${expected.runs} tool runs, next request OK`, () => tally.check(`${protocol} ${scenario}`, async () => {
				const recorder = recorderTool();
				const before = JSON.stringify(history);
				const rejectionsBefore = rejections.count;
				scenarioTimeout = scenario === 'stall' ? 400 : 5000;
				queue(protocol, scenario);
				const result = await turn(protocol, history, recorder);

				if (expected.kinds === null) {
					// The answer ends with a tool call; with maxSteps 1 the loop runs it and stops at the step cap.
					assert.equal(result.error?.kind, 'step-cap', result.error?.message);
				} else {
					assert.ok(result.error, 'the turn must end in an error');
					assert.ok(expected.kinds.includes(result.error.kind), `kind ${result.error.kind}: ${result.error.message}`);
					assert.match(result.error.message, actionable, `the message says what to do: ${result.error.message}`);
				}
				assert.equal(recorder.invocations.length, expected.runs, 'tool invocations');
				if (scenario === 'huge-tool-args') assert.equal((recorder.invocations[0] as { note: string }).note.length, hugeNote.length);
				// The partial answer reached the step record and the messages the turn adds to the history.
				const step = result.steps.at(-1);
				assert.ok(step, 'the step is recorded');
				if (expected.partial) {
					assert.equal(step.text, partialText);
					assert.ok(result.messages.some((m) => m.role === 'assistant' && JSON.stringify(m).includes(partialText.trim())), 'partial text kept in messages');
				}
				for (const call of step.toolCalls) if (call.status !== 'done') assert.notEqual(call.status, 'denied');
				assert.equal(JSON.stringify(history), before, 'earlier messages untouched');
				const sent = requestText(server.requests[0].json);
				for (const text of ['First question', 'First answer', 'weather in Boston?']) assert.ok(sent.includes(text), `request carried "${text}"`);

				// The user retries: the whole history, the partial answer and a new message go out, and it works.
				const retryMessages = [...history, ...result.messages, user('Please try again.')];
				if (retryMessages.at(-2)?.role === 'user') retryMessages.splice(-1, 0, { role: 'assistant', content: [{ type: 'text', text: '(no answer)' }] });
				server.push(answer(protocol, { text: 'It is 22 degrees in Boston.' }));
				const retry = await turn(protocol, retryMessages, recorder);
				assert.equal(retry.error, null, retry.error?.message);
				assert.equal(retry.steps[0].text, 'It is 22 degrees in Boston.');
				const resent = requestText(server.requests.at(-1)?.json);
				for (const text of ['First question', 'First answer', 'Please try again.']) assert.ok(resent.includes(text), `retry carried "${text}"`);
				if (expected.partial) assert.ok(resent.includes(partialText.trim()), 'retry carried the partial answer');
				await new Promise((resolve) => setImmediate(resolve));
				assert.equal(rejections.count, rejectionsBefore, 'no unhandled rejection');
			}));

			if (expected.builtInRetry) {
				it(`${protocol} ${scenario}: the adapter's own retry gets past it${expected.builtInRetry.delayMs !== undefined ? ` after the ${expected.builtInRetry.delayMs} ms the server asked for` : ''}`, () => retries.check(`${protocol} ${scenario}`, async () => {
					const recorder = recorderTool();
					const waits: number[] = [];
					queue(protocol, scenario);
					server.push(answer(protocol, { text: 'Fine after a retry.' }));
					const result = await turn(protocol, history, recorder, { maxRetries: 2 }, async (ms) => {
						waits.push(ms);
					});
					assert.equal(result.error, null, result.error?.message);
					assert.equal(result.steps[0].text, 'Fine after a retry.');
					assert.equal(waits.length, 1);
					if (expected.builtInRetry?.delayMs !== undefined) assert.equal(waits[0], expected.builtInRetry.delayMs);
					assert.equal(server.requests.length, 2);
				}));
			}
		}
	}

	it('does not retry a quota error inside the adapter: retrying cannot help', async () => {
		for (const protocol of protocols) {
			const recorder = recorderTool();
			const waits: number[] = [];
			const before = server.requests.length;
			queue(protocol, '429-quota-body');
			const result = await turn(protocol, history, recorder, { maxRetries: 3 }, async (ms) => {
				waits.push(ms);
			});
			assert.equal(result.error?.kind, 'quota');
			assert.deepEqual(waits, []);
			assert.equal(server.requests.length - before, 1);
		}
	});
});
