import * as assert from 'node:assert/strict';
import { SummaryCache } from '../../../../src/chat/context/summaryCache';
import type { LoopEvent } from '../../../../src/chat/loopEvents';
import type { ChatMessage } from '../../../../src/shared/chat';
import { ContextTracker } from '../../../../src/vscode/conversation/contextTracker';

type ContextEvent = Extract<LoopEvent, { type: 'context' }>;

const summarized = (text: string): ContextEvent => ({
	type: 'context', step: 1, usedTokens: 900, windowTokens: 1200,
	compaction: { elidedToolResults: 0, summary: { text, replacedCount: 3, byModel: true } },
});
const plain: ContextEvent = { type: 'context', step: 2, usedTokens: 950, windowTokens: 1200 };
const messages: ChatMessage[] = [{ role: 'assistant', content: [{ type: 'text', text: 'old answer' }] }];

describe('context tracker', () => {
	it('keeps one calibration and one summary cache per conversation', () => {
		const tracker = new ContextTracker();
		const calibration = tracker.calibration('c1');
		assert.equal(tracker.calibration('c1'), calibration);
		assert.ok(tracker.summaries('c1') instanceof SummaryCache);
		assert.notEqual(tracker.summaries('c2'), tracker.summaries('c1'));
		tracker.summaries('c1').remember(messages, 'SUMMARY');
		assert.equal(tracker.summaries('c1').exact(messages), 'SUMMARY');
	});

	it('forgets a deleted conversation\'s summaries with it', () => {
		const tracker = new ContextTracker();
		tracker.summaries('c1').remember(messages, 'SUMMARY');
		tracker.forget('c1');
		assert.equal(tracker.summaries('c1').exact(messages), undefined);
	});

	it('reports a summary as new once; the same one reused by a later turn is not new', () => {
		const tracker = new ContextTracker();
		assert.deepEqual(tracker.newSummary('c1', summarized('SUMMARY ONE')), { text: 'SUMMARY ONE', replacedCount: 3, byModel: true });
		assert.equal(tracker.newSummary('c1', summarized('SUMMARY ONE')), undefined);
		assert.equal(tracker.newSummary('c1', plain), undefined);
		assert.equal(tracker.newSummary('c1', summarized('SUMMARY TWO'))?.text, 'SUMMARY TWO');
		assert.equal(tracker.newSummary('c2', summarized('SUMMARY ONE'))?.text, 'SUMMARY ONE', 'per conversation');
	});

	it('keeps the latest summary on the meter until a later compaction replaces it', () => {
		const tracker = new ContextTracker();
		tracker.update('c1', summarized('SUMMARY ONE'));
		assert.equal(tracker.update('c1', plain).summary?.text, 'SUMMARY ONE');
		assert.equal(tracker.update('c1', summarized('SUMMARY TWO')).summary?.text, 'SUMMARY TWO');
	});
});
