import * as assert from 'node:assert/strict';
import { argumentsText, isUnsettled, maxResultChars, resultView, upgradeSavedCall, type ToolCall } from '../../../src/shared/toolCall';

describe('ToolCall', () => {
	it('cuts a huge result for the card and says how long it was', () => {
		const long = 'x'.repeat(maxResultChars + 5);
		assert.deepEqual(resultView(long), { text: long.slice(0, maxResultChars), truncated: true, totalChars: long.length });
		assert.deepEqual(resultView('short'), { text: 'short', truncated: false });
	});

	it('shows parsed arguments as formatted JSON and raw text as it came', () => {
		assert.equal(argumentsText({ path: 'a.ts' }), '{\n  "path": "a.ts"\n}');
		assert.equal(argumentsText('{"path": "a'), '{"path": "a');
	});

	it('shows arguments too deep for JSON without throwing (the card of a refused call still appears)', () => {
		let deep: unknown[] = [];
		for (let depth = 0; depth < 200_000; depth++) deep = [deep];
		assert.equal(typeof argumentsText(deep), 'string');
	});

	it('reads a call saved under the earlier state names in today\'s', () => {
		const streaming = upgradeSavedCall({ callId: 'c', toolName: 't', summary: 't', argumentsText: '{', state: 'streaming-arguments' } as unknown as ToolCall);
		assert.deepEqual(streaming, { callId: 'c', toolName: 't', summary: 't', argumentsText: '{', state: 'streaming' });
		assert.equal(isUnsettled(streaming), true);
		const waiting = upgradeSavedCall({ callId: 'c', toolName: 't', summary: 'Read .git/config', argumentsText: '{}', state: 'awaiting-approval', forcedReason: 'inside .git/', offerAlwaysAllow: false } as unknown as ToolCall);
		assert.deepEqual(waiting, { callId: 'c', toolName: 't', summary: 'Read .git/config', argumentsText: '{}', state: 'awaiting-approval', approval: { mode: 'ask', forcedReason: 'inside .git/', offerAlwaysAllow: false, inApproveAll: true } });
		const done: ToolCall = { callId: 'c', toolName: 't', summary: 's', argumentsText: '{}', state: 'done', result: { text: 'ok', truncated: false } };
		assert.equal(upgradeSavedCall(done), done);
	});
});
