import * as assert from 'node:assert/strict';
import { decideApproval, defaultApprovalPolicy, PendingApprovals, type ApprovalPolicy, type ApprovalRequest } from '../../../src/chat/approvals';
import { RepeatDetector } from '../../../src/chat/repeatDetector';
import type { ApprovalInfo } from '../../../src/tools/types';

const readFile = { name: 'read_file' };

const request = (callId: string, extra: Partial<ApprovalInfo> = {}): ApprovalRequest => {
	const info: ApprovalInfo = { risk: 'read', summary: 'Read a', ...extra };
	return { callId, providerId: 'get_current_weather', toolName: 'read_file', input: {}, info, approval: decideApproval(defaultApprovalPolicy, readFile, info) };
};

describe('approval policy: decideApproval', () => {
	const readAuto: ApprovalPolicy = { risks: { read: 'auto', write: 'ask', execute: 'ask' }, alwaysAllow: new Set(['run_thing']) };

	it('asks for everything by default', () => {
		assert.equal(decideApproval(defaultApprovalPolicy, readFile, { risk: 'read', summary: '' }).mode, 'ask');
	});

	it('follows the risk class, and the always-allow set beats it', () => {
		assert.equal(decideApproval(readAuto, readFile, { risk: 'read', summary: '' }).mode, 'auto');
		assert.equal(decideApproval(readAuto, { name: 'write_file' }, { risk: 'write', summary: '' }).mode, 'ask');
		assert.equal(decideApproval(readAuto, { name: 'run_thing' }, { risk: 'execute', summary: '' }).mode, 'auto');
	});

	it('always asks for a forced reason, whatever the policy or always-allow set, and keeps it out of "Approve all"', () => {
		const forced = decideApproval(readAuto, { name: 'run_thing' }, { risk: 'execute', summary: '', forcedReason: 'outside' });
		assert.deepEqual(forced, { mode: 'ask', forcedReason: 'outside', offerAlwaysAllow: false, inApproveAll: false });
		assert.deepEqual(decideApproval(readAuto, readFile, { risk: 'read', summary: '', forcedReason: 'inside .git/' }),
			{ mode: 'ask', forcedReason: 'inside .git/', offerAlwaysAllow: false, inApproveAll: false });
	});

	it('offers "Always allow" on read tools and on MCP tools (per tool, whatever their risk), never on other tools', () => {
		assert.equal(decideApproval(defaultApprovalPolicy, readFile, { risk: 'read', summary: '' }).offerAlwaysAllow, true);
		assert.equal(decideApproval(defaultApprovalPolicy, { name: 'echo__echo', origin: 'mcp' }, { risk: 'execute', summary: '' }).offerAlwaysAllow, true);
		assert.equal(decideApproval(defaultApprovalPolicy, { name: 'run_task' }, { risk: 'execute', summary: '' }).offerAlwaysAllow, false);
		assert.equal(decideApproval(defaultApprovalPolicy, { name: 'a__b', origin: 'vscode' }, { risk: 'execute', summary: '' }).offerAlwaysAllow, false);
		assert.equal(decideApproval(defaultApprovalPolicy, { name: 'edit_file' }, { risk: 'write', summary: '' }).inApproveAll, true);
	});

	it('"Approve all" answers only the calls that may be batched: forced ones keep waiting for their own answer', async () => {
		const pending = new PendingApprovals();
		const signal = new AbortController().signal;
		const plain = pending.hook(request('a'), signal);
		const forced = pending.hook(request('b', { forcedReason: '.vscode/tasks.json: it is a .vscode/*.json settings file' }), signal);
		assert.deepEqual(pending.approveAll(['a', 'b']), ['a']);
		assert.deepEqual(await plain, { approved: true });
		assert.deepEqual(pending.waiting, ['b']);
		pending.resolve('b', { approved: false });
		assert.deepEqual(await forced, { approved: false });
	});
});

describe('PendingApprovals', () => {
	it('keeps one Deferred per our call id even when the provider ids are the same (seed 004)', async () => {
		const pending = new PendingApprovals();
		const signal = new AbortController().signal;
		const first = pending.hook(request('call-1'), signal);
		const second = pending.hook(request('call-2'), signal);
		assert.deepEqual(pending.waiting, ['call-1', 'call-2']);
		assert.equal(pending.resolve('call-2', { approved: false, reason: 'not that one' }), true);
		assert.equal(pending.resolve('call-2', { approved: true }), false);
		pending.resolve('call-1', { approved: true });
		assert.deepEqual(await first, { approved: true });
		assert.deepEqual(await second, { approved: false, reason: 'not that one' });
	});

	it('resolves all waiting calls at once (Approve all) and denies on abort', async () => {
		const pending = new PendingApprovals();
		const controller = new AbortController();
		const a = pending.wait('a', new AbortController().signal);
		const b = pending.wait('b', new AbortController().signal);
		assert.equal(pending.resolveAll({ approved: true }), 2);
		assert.deepEqual(await Promise.all([a, b]), [{ approved: true }, { approved: true }]);
		const c = pending.wait('c', controller.signal);
		controller.abort();
		assert.deepEqual(await c, { approved: false, reason: 'The turn was cancelled.' });
		assert.deepEqual(pending.waiting, []);
	});
});

describe('RepeatDetector', () => {
	it('fires on the third consecutive step with the same call, ignoring key order', () => {
		const detector = new RepeatDetector(3);
		assert.equal(detector.record([{ toolName: 'f', input: { a: 1, b: 2 } }]), undefined);
		assert.equal(detector.record([{ toolName: 'f', input: { b: 2, a: 1 } }]), undefined);
		assert.equal(detector.record([{ toolName: 'f', input: { a: 1, b: 2 } }]), 'f');
	});

	it('resets the streak when a step does not repeat the call', () => {
		const detector = new RepeatDetector(3);
		detector.record([{ toolName: 'f', input: {} }]);
		detector.record([{ toolName: 'f', input: {} }]);
		detector.record([{ toolName: 'g', input: {} }]);
		assert.equal(detector.record([{ toolName: 'f', input: {} }]), undefined);
	});

	it('does not count two identical parallel calls in one step as a repeat', () => {
		const detector = new RepeatDetector(2);
		assert.equal(detector.record([{ toolName: 'f', input: {} }, { toolName: 'f', input: {} }]), undefined);
	});
});
