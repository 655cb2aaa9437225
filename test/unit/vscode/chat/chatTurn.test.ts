// ChatTurn in plain Node: how the agent loop's events become panel messages (batched text, one card per state,
// order kept), how the host's copy of the turn follows them, and how a call waits for its answer with its preview.
import * as assert from 'node:assert/strict';
import type { ApprovalRequest } from '../../../../src/chat/approvals';
import type { LoopErrorInfo } from '../../../../src/chat/loopEvents';
import type { HostToWebview } from '../../../../src/shared/protocol';
import type { ToolCall } from '../../../../src/shared/toolCall';
import type { AssistantTurn } from '../../../../src/shared/transcript';
import { ChatTurn, deltaFlushMs, finishReason, statusHoldMs, sumUsage } from '../../../../src/vscode/chat/chatTurn';

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function harness() {
	const posted: HostToWebview[] = [];
	const saves: boolean[] = [];
	const warnings: string[] = [];
	const errors: string[] = [];
	const view: AssistantTurn = { role: 'assistant', turnId: 't1', segments: [] };
	const turn = new ChatTurn(view, {
		post: (message) => posted.push(structuredClone(message)),
		changed: (soon) => saves.push(soon),
		policy: () => ({ risks: { read: 'auto', write: 'ask', execute: 'ask' }, alwaysAllow: new Set() }),
		warn: (message) => warnings.push(message),
		error: (message) => errors.push(message),
	});
	return { turn, view, posted, saves, warnings, errors };
}

const base = { callId: 'c1', toolName: 'read_file', summary: 'read_file', argumentsText: '' };
const streaming = (argumentsText: string): ToolCall => ({ ...base, argumentsText, state: 'streaming' });
const asking: ToolCall = { ...base, summary: 'Read a.ts', argumentsText: '{"path":"a.ts"}', state: 'awaiting-approval', approval: { mode: 'ask', offerAlwaysAllow: true, inApproveAll: true } };
const done: ToolCall = { ...base, summary: 'Read a.ts', argumentsText: '{"path":"a.ts"}', state: 'done', result: { text: 'hello', truncated: false } };

describe('ChatTurn', () => {
	it('posts the first delta at once, batches what follows within the window, and keeps the host copy in step', async () => {
		const { turn, view, posted, saves } = harness();
		turn.onEvent({ type: 'text-delta', step: 0, delta: 'Hel' });
		assert.deepEqual(posted, [{ type: 'text-delta', turnId: 't1', text: 'Hel' }], 'the first token is not held back');
		for (const delta of ['lo', ', world']) turn.onEvent({ type: 'text-delta', step: 0, delta });
		assert.equal(posted.length, 1, 'nothing is sent per token within the window');
		await wait(deltaFlushMs * 3);
		assert.deepEqual(posted, [{ type: 'text-delta', turnId: 't1', text: 'Hel' }, { type: 'text-delta', turnId: 't1', text: 'lo, world' }]);
		assert.deepEqual(view.segments, [{ kind: 'text', text: 'Hello, world' }]);
		assert.deepEqual(saves, [false, false], 'text asks for a later save');
		turn.onEvent({ type: 'text-delta', step: 0, delta: '!' });
		assert.equal(posted.length, 3, 'after a quiet window a delta goes at once again');
		turn.dispose();
	});

	it('a steady stream of deltas is sent at most once per window, in order and complete', async () => {
		const { turn, view, posted } = harness();
		const started = performance.now();
		let sent = '';
		for (let n = 0; performance.now() - started < deltaFlushMs * 5; n++) {
			turn.onEvent({ type: 'text-delta', step: 0, delta: `t${n} ` });
			sent += `t${n} `;
			await wait(1);
		}
		const elapsed = performance.now() - started;
		turn.flush();
		const texts = posted.map((message) => (message.type === 'text-delta' ? message.text : ''));
		assert.equal(texts.join(''), sent);
		assert.equal(view.segments[0]?.kind === 'text' && view.segments[0].text, sent);
		// One at the leading edge, then one per window at most (and the final flush).
		assert.ok(posted.length <= Math.ceil(elapsed / deltaFlushMs) + 2, `${posted.length} messages in ${elapsed.toFixed(0)} ms`);
		assert.ok(posted.length >= 3, 'the stream still went out as it came');
		turn.dispose();
	});

	it('a status message goes out with the next message of the turn, in the same task and before it', () => {
		const { turn, posted } = harness();
		const context: HostToWebview = { type: 'context', turnId: 't1', context: { usedTokens: 1200, windowTokens: 32000 } };
		turn.postWithNext(context);
		assert.equal(posted.length, 0, 'held for the next message');
		turn.onEvent({ type: 'text-delta', step: 0, delta: 'Hi' });
		assert.deepEqual(posted, [context, { type: 'text-delta', turnId: 't1', text: 'Hi' }]);
		turn.postWithNext(context);
		turn.onEvent({ type: 'call-update', step: 0, call: asking });
		assert.deepEqual(posted.slice(2).map((message) => message.type), ['context', 'tool-call'], 'a card takes it along too');
		turn.postWithNext(context);
		turn.flush();
		assert.deepEqual(posted.slice(4).map((message) => message.type), ['context'], 'the turn\'s end (a flush) sends it');
		turn.dispose();
	});

	it('a status message with nothing to travel with goes out on its own after a short hold; one disposed of first never does', async () => {
		const { turn, posted } = harness();
		const context: HostToWebview = { type: 'context', turnId: 't1', context: { usedTokens: 1200, windowTokens: 32000 } };
		turn.postWithNext(context);
		await wait(statusHoldMs * 2);
		assert.deepEqual(posted, [context]);
		turn.postWithNext(context);
		turn.dispose();
		await wait(statusHoldMs * 2);
		assert.equal(posted.length, 1, 'a closed panel gets nothing after the turn is gone');
	});

	it('reasoning and text stay separate segments, in the order they arrived', () => {
		const { turn, view, posted } = harness();
		turn.onEvent({ type: 'reasoning-delta', step: 0, delta: 'thinking' });
		turn.onEvent({ type: 'text-delta', step: 0, delta: 'answer' });
		turn.onEvent({ type: 'step-end', step: 0, record: { text: 'answer', reasoning: 'thinking', toolCalls: [], finish: 'stop', usage: null, warnings: [] } });
		assert.deepEqual(posted.map((message) => message.type), ['reasoning-delta', 'text-delta']);
		assert.deepEqual(view.segments.map((segment) => segment.kind), ['reasoning', 'text']);
		turn.dispose();
	});

	it('a streaming card is sent once per batch with its latest arguments; its next state flushes first', async () => {
		const { turn, view, posted, saves } = harness();
		turn.onEvent({ type: 'text-delta', step: 0, delta: 'Let me look.' });
		for (const text of ['{"pa', '{"path":"a', '{"path":"a.ts"}']) turn.onEvent({ type: 'call-update', step: 0, call: streaming(text) });
		await wait(deltaFlushMs * 3);
		assert.deepEqual(posted.map((message) => message.type), ['text-delta', 'tool-call']);
		const card = posted[1];
		assert.ok(card.type === 'tool-call' && card.call.state === 'streaming' && card.call.argumentsText === '{"path":"a.ts"}');
		turn.onEvent({ type: 'call-update', step: 0, call: asking });
		assert.equal(posted.length, 3);
		assert.deepEqual(turn.waitingCalls.map((call) => call.callId), ['c1']);
		turn.onEvent({ type: 'call-update', step: 0, call: done });
		assert.deepEqual(turn.waitingCalls, []);
		assert.deepEqual(view.segments.map((segment) => segment.kind === 'tool' ? segment.call.state : segment.kind), ['text', 'done'], 'one card, updated in place');
		assert.deepEqual(saves.slice(-2), [true, true], 'call states ask for a save soon');
		turn.dispose();
	});

	it('a call complete within the window is posted once, in its final state, after the text before it', () => {
		const { turn, view, posted } = harness();
		turn.onEvent({ type: 'text-delta', step: 0, delta: 'Let me ' });
		turn.onEvent({ type: 'text-delta', step: 0, delta: 'look.' });
		for (const text of ['{"pa', '{"path":"a.ts"}']) turn.onEvent({ type: 'call-update', step: 0, call: streaming(text) });
		turn.onEvent({ type: 'call-update', step: 0, call: asking });
		assert.deepEqual(posted.map((message) => (message.type === 'tool-call' ? `card:${message.call.state}` : message.type)), ['text-delta', 'text-delta', 'card:awaiting-approval']);
		assert.deepEqual(view.segments.map((segment) => segment.kind === 'tool' ? segment.call.state : segment.kind), ['text', 'awaiting-approval']);
		assert.equal(view.segments[0]?.kind === 'text' && view.segments[0].text, 'Let me look.');
		turn.dispose();
	});

	it('parallel calls keep their order when a later one completes first or an earlier one does', () => {
		const { turn, posted } = harness();
		const second: ToolCall = { ...asking, callId: 'c2' };
		turn.onEvent({ type: 'call-update', step: 0, call: streaming('{') });
		turn.onEvent({ type: 'call-update', step: 0, call: { ...streaming('{'), callId: 'c2' } });
		turn.onEvent({ type: 'call-update', step: 0, call: asking });
		turn.onEvent({ type: 'call-update', step: 0, call: second });
		assert.deepEqual(posted.map((message) => (message.type === 'tool-call' ? `${message.call.callId}:${message.call.state}` : message.type)),
			['c1:awaiting-approval', 'c2:streaming', 'c2:awaiting-approval']);

		const other = harness();
		other.turn.onEvent({ type: 'call-update', step: 0, call: streaming('{') });
		other.turn.onEvent({ type: 'call-update', step: 0, call: { ...streaming('{'), callId: 'c2' } });
		other.turn.onEvent({ type: 'call-update', step: 0, call: second });
		assert.deepEqual(other.posted.map((message) => (message.type === 'tool-call' ? `${message.call.callId}:${message.call.state}` : message.type)),
			['c1:streaming', 'c2:awaiting-approval'], 'the earlier card keeps its place above');
		turn.dispose();
		other.turn.dispose();
	});

	it('text after a streaming card goes after it on screen', () => {
		const { turn, posted } = harness();
		turn.onEvent({ type: 'call-update', step: 0, call: streaming('{') });
		turn.onEvent({ type: 'text-delta', step: 0, delta: 'more' });
		turn.flush();
		assert.deepEqual(posted.map((message) => message.type), ['tool-call', 'text-delta']);
		turn.dispose();
	});

	it('sums usage over steps (a step reported twice counts once) and posts the total', () => {
		const { turn, view, posted } = harness();
		turn.onEvent({ type: 'usage', step: 0, usage: { inputTokens: 10, outputTokens: 2 } });
		turn.onEvent({ type: 'usage', step: 1, usage: { inputTokens: 30, outputTokens: 5, cachedInputTokens: 8 } });
		turn.onEvent({ type: 'usage', step: 1, usage: { inputTokens: 31, outputTokens: 6, cachedInputTokens: 8 } });
		assert.deepEqual(view.usage, { inputTokens: 41, outputTokens: 8, cachedInputTokens: 8 });
		assert.deepEqual(posted.at(-1), { type: 'usage', turnId: 't1', usage: { inputTokens: 41, outputTokens: 8, cachedInputTokens: 8 } });
		assert.deepEqual(sumUsage([]), { inputTokens: 0, outputTokens: 0 });
	});

	it('a retry flushes pending text, then says how long it waits; warnings go to the log only', () => {
		const { turn, posted, warnings } = harness();
		turn.onEvent({ type: 'text-delta', step: 0, delta: 'partial' });
		turn.onEvent({ type: 'retry', step: 0, attempt: 2, delayMs: 500, error: { kind: 'rate-limit', message: 'slow down', retryable: true } });
		turn.onEvent({ type: 'warning', step: 0, message: 'quirk applied' });
		assert.deepEqual(posted.map((message) => message.type), ['text-delta', 'retry-wait']);
		assert.deepEqual(posted[1], { type: 'retry-wait', turnId: 't1', attempt: 2, delayMs: 500, message: 'slow down' });
		assert.deepEqual(warnings, ['quirk applied']);
	});

	it('a call waits for the answer with its preview open, and the preview closes before the call goes on', async () => {
		const { turn } = harness();
		const events: string[] = [];
		const request: ApprovalRequest = {
			callId: 'c9', providerId: 'p9', toolName: 'edit_file', input: {}, info: { risk: 'write', summary: 'Edit a.ts' },
			approval: { mode: 'ask', offerAlwaysAllow: false, inApproveAll: true },
			preview: async () => {
				events.push('opened');
				return { close: async () => void events.push('closed') };
			},
		};
		const answer = turn.approve(request, new AbortController().signal);
		await wait(1);
		assert.deepEqual(turn.approvals.approveAll(['c9']), ['c9']);
		assert.deepEqual(await answer, { approved: true });
		assert.deepEqual(events, ['opened', 'closed']);
	});

	it('a preview that fails to open is logged and the call still gets its answer', async () => {
		const { turn, errors } = harness();
		const request: ApprovalRequest = {
			callId: 'c8', providerId: 'p8', toolName: 'edit_file', input: {}, info: { risk: 'write', summary: 'Edit b.ts' },
			approval: { mode: 'ask', offerAlwaysAllow: false, inApproveAll: false },
			preview: () => Promise.reject(new Error('no diff editor')),
		};
		const answer = turn.approve(request, new AbortController().signal);
		assert.equal(turn.approvals.resolve('c8', { approved: false, reason: 'not now' }), true);
		assert.deepEqual(await answer, { approved: false, reason: 'not now' });
		assert.deepEqual(errors, ['Could not show the proposed edit_file call']);
	});
});

describe('finishReason', () => {
	const failure = (kind: LoopErrorInfo['kind']): LoopErrorInfo => ({ kind, message: kind, retryable: false });
	const empty: AssistantTurn = { role: 'assistant', turnId: 't', segments: [] };
	const shown: AssistantTurn = { role: 'assistant', turnId: 't', segments: [{ kind: 'text', text: 'half an answer' }] };

	it('no error: the last step\'s reason, else stop', () => {
		assert.equal(finishReason(null, empty, 'length'), 'length');
		assert.equal(finishReason(null, empty, undefined), 'stop');
	});

	it('a refusal or content filter keeps the provider\'s own reason', () => {
		assert.equal(finishReason(failure('refusal'), shown, 'refusal'), 'refusal');
		assert.equal(finishReason(failure('content-filter'), empty, 'content_filter'), 'content_filter');
	});

	it('a stop or a failure after something was shown is "interrupted"; a failure before anything is "error"', () => {
		assert.equal(finishReason(failure('aborted'), empty, undefined), 'interrupted');
		assert.equal(finishReason(failure('network'), shown, undefined), 'interrupted');
		assert.equal(finishReason(failure('network'), empty, undefined), 'error');
	});
});
