import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChatMessage } from '../../../src/shared/chat';
import type { TurnView } from '../../../src/shared/protocol';
import type { ToolCall } from '../../../src/shared/toolCall';
import { awaitingCalls, Conversation, reloadedMessage, settleAfterReload } from '../../../src/shared/transcript';

const asks = { mode: 'ask', offerAlwaysAllow: true, inApproveAll: true } as const;

describe('transcript reducer (host and webview)', () => {
	it('appends deltas to the last segment of the same kind and starts a new one otherwise', () => {
		const conversation = new Conversation();
		conversation.addUser('u1', 'Hi');
		assert.deepEqual(conversation.appendDelta('a1', 'reasoning', 'Think'), { turn: conversation.assistant('a1'), index: 0, created: true });
		assert.equal(conversation.appendDelta('a1', 'reasoning', 'ing').created, false);
		assert.equal(conversation.appendDelta('a1', 'text', 'Hello').index, 1);
		conversation.appendDelta('a1', 'text', ' there');
		assert.deepEqual(conversation.assistant('a1')?.segments, [{ kind: 'reasoning', text: 'Thinking' }, { kind: 'text', text: 'Hello there' }]);
		assert.equal(conversation.busy, true);
	});

	it('replaces a card in place by its callId, so text after it stays after it', () => {
		const conversation = new Conversation();
		const streaming: ToolCall = { callId: 'c1', toolName: 'read_file', summary: 'read_file', argumentsText: '{"pa', state: 'streaming' };
		conversation.upsertCall('a1', streaming);
		conversation.appendDelta('a1', 'text', 'After.');
		const waiting: ToolCall = { ...streaming, summary: 'Read a.ts', risk: 'read', argumentsText: '{}', state: 'awaiting-approval', approval: asks };
		assert.deepEqual(conversation.upsertCall('a1', waiting).index, 0);
		const turn = conversation.assistant('a1');
		assert.ok(turn);
		assert.deepEqual(awaitingCalls(turn), [waiting]);
		assert.deepEqual(turn.segments[1], { kind: 'text', text: 'After.' });
	});

	it('knows a compaction it shows, and ends a turn with its reason and usage', () => {
		const conversation = new Conversation();
		conversation.load({ id: 'x', turns: [{ role: 'assistant', turnId: 'a0', segments: [{ kind: 'compaction', summary: { text: 'Earlier', replacedCount: 4, byModel: true } }], finish: 'stop' }] });
		assert.equal(conversation.hasCompaction({ text: 'Earlier', replacedCount: 4, byModel: true }), true);
		assert.equal(conversation.running, undefined);
		conversation.setUsage('a1', { inputTokens: 3, outputTokens: 2 });
		const ended = conversation.end('a1', 'stop');
		assert.deepEqual([ended.usage, ended.finish, conversation.busy], [{ inputTokens: 3, outputTokens: 2 }, 'stop', false]);
	});
});

describe('settleAfterReload', () => {
	it('settles a turn cut by a reload: interrupted, waiting and running calls not run, partial text kept for the model', () => {
		const waiting: ToolCall = { callId: 'c1', toolName: 'read_file', summary: 'Read a.ts', argumentsText: '{}', state: 'awaiting-approval', approval: asks };
		const done: ToolCall = { callId: 'c0', toolName: 'read_file', summary: 'Read b.ts', argumentsText: '{}', state: 'done', result: { text: 'b', truncated: false } };
		const turns: TurnView[] = [
			{ role: 'user', turnId: 'u1', text: 'Read a.ts' },
			{ role: 'assistant', turnId: 'a1', segments: [{ kind: 'text', text: 'Reading. ' }, { kind: 'tool', call: done }, { kind: 'tool', call: waiting }] },
		];
		const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Read a.ts' }] }];
		const settled = settleAfterReload(turns, messages);
		const turn = settled.turns[1];
		assert.ok(turn.role === 'assistant' && turn.finish === 'interrupted');
		assert.deepEqual(turn.segments[1], { kind: 'tool', call: done });
		assert.deepEqual(turn.segments[2], { kind: 'tool', call: { callId: 'c1', toolName: 'read_file', summary: 'Read a.ts', argumentsText: '{}', state: 'incomplete', message: reloadedMessage } });
		assert.deepEqual(settled.messages.at(-1), { role: 'assistant', content: [{ type: 'text', text: 'Reading. ' }] });
		assert.equal(messages.length, 1, 'the input is not modified');
	});

	it('after a reload, keeps the completed steps saved in the history and adds only the cut step\'s text', () => {
		const done: ToolCall = { callId: 'c0', toolName: 'read_file', summary: 'Read b.ts', argumentsText: '{"path":"b.ts"}', state: 'done', result: { text: 'b', truncated: false } };
		const running: ToolCall = { callId: 'c1', toolName: 'run_task', summary: "Run task 'build'", risk: 'execute', argumentsText: '{}', state: 'running' };
		const turns: TurnView[] = [
			{ role: 'user', turnId: 'u1', text: 'Build it' },
			{ role: 'assistant', turnId: 'a1', segments: [{ kind: 'text', text: 'Step one. ' }, { kind: 'tool', call: done }, { kind: 'text', text: 'Now building. ' }, { kind: 'tool', call: running }] },
		];
		const messages: ChatMessage[] = [
			{ role: 'user', content: [{ type: 'text', text: 'Build it' }] },
			{ role: 'assistant', content: [{ type: 'text', text: 'Step one. ' }, { type: 'tool-call', id: 'c0', providerId: 'p0', toolName: 'read_file', input: { path: 'b.ts' } }] },
			{ role: 'tool', content: [{ type: 'tool-result', callId: 'c0', toolName: 'read_file', output: { type: 'text', value: 'b' } }] },
		];
		const settled = settleAfterReload(turns, messages);
		assert.equal(settled.messages.length, 4);
		assert.deepEqual(settled.messages.slice(0, 3), messages, 'the completed step and its result are replayed to the model');
		assert.deepEqual(settled.messages[3], { role: 'assistant', content: [{ type: 'text', text: 'Now building. ' }] }, 'only the cut step\'s text, not step one\'s again');
		const turn = settled.turns[1];
		assert.ok(turn.role === 'assistant');
		assert.deepEqual(turn.segments[3], { kind: 'tool', call: { callId: 'c1', toolName: 'run_task', summary: "Run task 'build'", risk: 'execute', argumentsText: '{}', state: 'incomplete', message: reloadedMessage } });
	});

	it('leaves a finished conversation as it was', () => {
		const turns: TurnView[] = [{ role: 'user', turnId: 'u1', text: 'Hi' }, { role: 'assistant', turnId: 'a1', segments: [{ kind: 'text', text: 'Hello' }], finish: 'stop' }];
		const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }, { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] }];
		assert.deepEqual(settleAfterReload(turns, messages), { turns, messages });
	});

	it('opens a chat saved by an earlier version: its state names and approval fields read in today\'s words', () => {
		const saved = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/history/saved-before-toolcall-record.json'), 'utf8')) as { turns: TurnView[]; messages: ChatMessage[] };
		const { turns, messages } = settleAfterReload(saved.turns, saved.messages);
		const [, finished, , cut] = turns;
		assert.deepEqual(finished, saved.turns[1], 'a finished turn in the current words is left alone');
		assert.ok(cut.role === 'assistant' && cut.finish === 'interrupted');
		const calls = cut.segments.flatMap((segment) => segment.kind === 'tool' ? [segment.call] : []);
		assert.deepEqual(calls.map((call) => [call.callId, call.state, call.summary]), [
			['c1', 'incomplete', 'Edit .vscode/tasks.json (1 block, +1 −1 lines)'],
			['c2', 'incomplete', 'run_task'],
		]);
		for (const call of calls) assert.deepEqual(Object.keys(call).filter((key) => ['forcedReason', 'offerAlwaysAllow', 'inApproveAll'].includes(key)), []);
		assert.deepEqual(messages.at(-1), { role: 'assistant', content: [{ type: 'text', text: 'Editing. ' }] });
	});
});
