import * as assert from 'node:assert/strict';
import type { ApprovalPolicy, ApprovalRequest } from '../../../src/chat/approvals';
import { runCalls } from '../../../src/chat/toolRunner';
import { maxResultChars, type ToolCall } from '../../../src/shared/toolCall';
import { noWorkspace } from '../../../src/tools/noWorkspace';
import { ToolRegistry } from '../../../src/tools/registry';
import { defineTool } from '../../../src/tools/types';

const lookup = defineTool<{ key: string }>({
	name: 'lookup',
	description: 'Looks a key up.',
	inputSchema: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] },
	risk: 'read',
	parse: (raw) => raw as { key: string },
	approval: async (input) => ({ risk: 'read', summary: `Look up ${input.key}`, detail: `key=${input.key}` }),
	invoke: async (input) => ({ type: 'text', value: input.key === 'huge' ? 'x'.repeat(maxResultChars + 5) : `value of ${input.key}` }),
});

async function run(key: string, policy: ApprovalPolicy, answer: { approved: boolean }) {
	const cards: ToolCall[] = [];
	const asked: ApprovalRequest[] = [];
	const [outcome] = await runCalls([{ callId: 'c1', providerId: 'p1', toolName: 'lookup', rawInput: '', state: 'parsed', input: { key } }], {
		registry: new ToolRegistry([lookup]),
		context: { workspace: noWorkspace, signal: new AbortController().signal },
		policy: () => policy,
		approve: async (request) => (asked.push(request), answer.approved ? { approved: true } : { approved: false, reason: 'no' }),
		emit: (card) => cards.push(card),
	});
	return { outcome, cards, asked };
}

const readAuto: ApprovalPolicy = { risks: { read: 'auto', write: 'ask', execute: 'ask' }, alwaysAllow: new Set() };
const askAll: ApprovalPolicy = { risks: { read: 'ask', write: 'ask', execute: 'ask' }, alwaysAllow: new Set() };

describe('tool runner: one ToolCall record per change of a call', () => {
	it('runs an auto-approved call without asking or showing a waiting card, its summary and risk on every card', async () => {
		const { outcome, cards, asked } = await run('a', readAuto, { approved: false });
		assert.equal(asked.length, 0);
		assert.deepEqual(cards.map((card) => card.state), ['running', 'done']);
		for (const card of cards) assert.deepEqual([card.summary, card.risk, card.detail], ['Look up a', 'read', 'key=a']);
		assert.equal(outcome.record.status, 'done');
	});

	it('asks with the decided approval on the card, and keeps the summary and risk on the denied card', async () => {
		const { outcome, cards, asked } = await run('a', askAll, { approved: false });
		assert.deepEqual(asked[0].approval, { mode: 'ask', offerAlwaysAllow: true, inApproveAll: true });
		const [waiting, denied] = cards;
		assert.ok(waiting.state === 'awaiting-approval');
		assert.deepEqual(waiting.approval, asked[0].approval, 'the UI shows the decision the hook was given');
		assert.deepEqual(denied, { callId: 'c1', toolName: 'lookup', summary: 'Look up a', detail: 'key=a', risk: 'read', argumentsText: '{\n  "key": "a"\n}', state: 'denied', reason: 'no' });
		assert.deepEqual([outcome.record.status, outcome.record.result], ['denied', 'Denied: no']);
	});

	it('cuts a huge result for the card and says how long it was; the record keeps all of it', async () => {
		const { outcome, cards } = await run('huge', readAuto, { approved: true });
		const done = cards.at(-1);
		assert.ok(done?.state === 'done');
		assert.deepEqual([done.result.text.length, done.result.truncated, done.result.totalChars], [maxResultChars, true, maxResultChars + 5]);
		assert.equal(String(outcome.record.result).length, maxResultChars + 5);
	});

	it('reports an unknown tool as invalid, with its arguments as text', async () => {
		const cards: ToolCall[] = [];
		const [outcome] = await runCalls([{ callId: 'c2', providerId: 'p2', toolName: 'nope', rawInput: '', state: 'parsed', input: { a: 1 } }], {
			registry: new ToolRegistry([lookup]), context: { workspace: noWorkspace, signal: new AbortController().signal },
			approve: async () => ({ approved: true }), emit: (card) => cards.push(card),
		});
		assert.equal(outcome.record.status, 'invalid');
		assert.ok(cards[0].state === 'invalid' && /There is no tool named 'nope'/.test(cards[0].message));
		assert.equal(cards[0].argumentsText, '{\n  "a": 1\n}');
	});
});
