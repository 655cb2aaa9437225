import * as assert from 'node:assert/strict';
import type { ChatMessage } from '../../../../src/shared/chat';
import type { ToolCallView, TurnView } from '../../../../src/shared/protocol';
import { maxResultChars, reloadedMessage, settleAfterReload, toMarkdown, toToolCallView } from '../../../../src/vscode/conversation/conversationMapper';

const identity = { callId: 'c1', providerId: 'call_1', toolName: 'read_file' };

describe('conversationMapper', () => {
	it('offers "Always allow" per tool on an MCP tool, which is execute-class', () => {
		const mcp = toToolCallView({ ...identity, toolName: 'echo__echo', state: 'awaiting-approval', input: { text: 'hi' }, approval: { risk: 'execute', summary: 'MCP echo: echo' } });
		assert.ok(mcp.state === 'awaiting-approval' && mcp.offerAlwaysAllow);
	});

	it('offers "Always allow" only on a read call that is not a forced ask', () => {
		const plain = toToolCallView({ ...identity, state: 'awaiting-approval', input: { path: 'a.ts' }, approval: { risk: 'read', summary: 'Read a.ts' } });
		const forced = toToolCallView({ ...identity, state: 'awaiting-approval', input: { path: '.git/config' }, approval: { risk: 'read', summary: 'Read .git/config', forcedReason: 'inside .git/' } });
		const execute = toToolCallView({ ...identity, toolName: 'run_task', state: 'awaiting-approval', input: { label: 'build' }, approval: { risk: 'execute', summary: "Run task 'build'" } });
		assert.ok(plain.state === 'awaiting-approval' && plain.offerAlwaysAllow);
		assert.ok(forced.state === 'awaiting-approval' && !forced.offerAlwaysAllow && forced.forcedReason === 'inside .git/');
		assert.ok(execute.state === 'awaiting-approval' && !execute.offerAlwaysAllow);
		assert.equal(plain.argumentsText, '{\n  "path": "a.ts"\n}');
	});

	it('cuts a huge result for the card and says how long it was', () => {
		const long = 'x'.repeat(maxResultChars + 5);
		const view = toToolCallView({ ...identity, state: 'done', input: {}, summary: 'Read a.ts', output: { type: 'text', value: long } });
		assert.ok(view.state === 'done');
		assert.equal(view.result.text.length, maxResultChars);
		assert.equal(view.result.truncated, true);
		assert.equal(view.result.totalChars, long.length);
	});

	it('keeps the summary learnt when the call asked on its later states', () => {
		const view = toToolCallView({ ...identity, state: 'denied', input: {}, reason: 'no' }, { risk: 'read', summary: 'Read a.ts' });
		assert.equal(view.summary, 'Read a.ts');
		assert.equal(view.risk, 'read');
	});

	it('settles a turn cut by a reload: interrupted, waiting and running calls not run, partial text kept for the model', () => {
		const waiting: ToolCallView = { callId: 'c1', toolName: 'read_file', summary: 'Read a.ts', argumentsText: '{}', state: 'awaiting-approval', offerAlwaysAllow: true };
		const done: ToolCallView = { callId: 'c0', toolName: 'read_file', summary: 'Read b.ts', argumentsText: '{}', state: 'done', result: { text: 'b', truncated: false } };
		const turns: TurnView[] = [
			{ role: 'user', turnId: 'u1', text: 'Read a.ts' },
			{ role: 'assistant', turnId: 'a1', segments: [{ kind: 'text', text: 'Reading. ' }, { kind: 'tool', call: done }, { kind: 'tool', call: waiting }] },
		];
		const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Read a.ts' }] }];
		const settled = settleAfterReload(turns, messages);
		const turn = settled.turns[1];
		assert.ok(turn.role === 'assistant' && turn.finish === 'interrupted');
		assert.deepEqual(turn.segments[1], { kind: 'tool', call: done });
		assert.deepEqual(turn.segments[2], { kind: 'tool', call: { callId: 'c1', toolName: 'read_file', summary: 'Read a.ts', risk: undefined, argumentsText: '{}', state: 'incomplete', message: reloadedMessage } });
		assert.deepEqual(settled.messages.at(-1), { role: 'assistant', content: [{ type: 'text', text: 'Reading. ' }] });
		assert.equal(messages.length, 1, 'the input is not modified');
	});

	it('after a reload, keeps the completed steps saved in the history and adds only the cut step\'s text', () => {
		const done: ToolCallView = { callId: 'c0', toolName: 'read_file', summary: 'Read b.ts', argumentsText: '{"path":"b.ts"}', state: 'done', result: { text: 'b', truncated: false } };
		const running: ToolCallView = { callId: 'c1', toolName: 'run_task', summary: "Run task 'build'", argumentsText: '{}', state: 'running' };
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
	});

	it('leaves a finished conversation as it was', () => {
		const turns: TurnView[] = [{ role: 'user', turnId: 'u1', text: 'Hi' }, { role: 'assistant', turnId: 'a1', segments: [{ kind: 'text', text: 'Hello' }], finish: 'stop' }];
		const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }, { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] }];
		assert.deepEqual(settleAfterReload(turns, messages), { turns, messages });
	});

	it('exports fenced arguments and results that cannot be closed by backticks inside them', () => {
		const call: ToolCallView = { callId: 'c1', toolName: 'read_file', summary: 'Read a.md', argumentsText: '{"path":"a.md"}', state: 'done', result: { text: 'before\n```\nafter', truncated: false } };
		const markdown = toMarkdown({ id: 'x', title: 'T', turns: [{ role: 'user', turnId: 'u', text: 'Q' }, { role: 'assistant', turnId: 'a', segments: [{ kind: 'tool', call }], finish: 'interrupted' }] });
		assert.match(markdown, /^# T\n\n## You\n\nQ\n\n## Assistant/);
		assert.match(markdown, /````\nbefore\n```\nafter\n````/);
		assert.match(markdown, /\*\(interrupted\)\*/);
	});
});
