// When the host compacts the conversation to fit the model's window, the transcript shows the summary collapsed at
// the point where it happened (not only beside the meter), once per summary, and a saved one renders on reload.
/* global document */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { defaultInit, hostPost, openPanel, screenshot, startHarness } from './support.mjs';

const summary = { text: 'SUMMARY: a.ts parses the settings, b.ts writes them back.', replacedCount: 3, byModel: true };
const context = (extra) => ({ type: 'context', context: { usedTokens: 900, windowTokens: 1200, summary, ...extra } });

function earlierTurns() {
	return [
		{ role: 'user', turnId: 't1', text: 'Tell me about src/a.ts' },
		{ role: 'assistant', turnId: 't1', segments: [{ kind: 'text', text: 'a.ts parses the settings.' }], finish: 'stop' },
	];
}

/** The classes of turn `index`'s body children, in order: what is shown where. */
function bodyOrder(page, turnIndex) {
	return page.evaluate((index) => [...document.querySelectorAll('.turn.assistant')[index].querySelector('.turn-body').children]
		.map((child) => child.classList.contains('compaction') ? 'compaction' : child.textContent.trim()), turnIndex);
}

describe('webview (standalone Chromium): compaction in the transcript', function () {
	let harness;
	before(async () => { harness = await startHarness(); });
	after(async () => { await harness?.close(); });

	it('shows the summary collapsed where the running turn was compacted, once, and not beside the meter', async () => {
		const init = defaultInit();
		init.conversation.turns = earlierTurns();
		const panel = await openPanel(harness, { init });
		const { page } = panel;
		await hostPost(page,
			{ type: 'user-message', turnId: 't2', text: 'And src/b.ts?' },
			{ type: 'turn-start', turnId: 't2', model: { provider: 'demo', model: 'scripted-1' } },
			{ type: 'text-delta', turnId: 't2', text: 'Let me look at b.ts.' },
			{ ...context(), turnId: 't2' },
			{ type: 'text-delta', turnId: 't2', text: 'b.ts writes the settings back.' });

		const block = page.locator('.turn.assistant details.compaction');
		assert.equal(await block.count(), 1);
		assert.equal(await block.locator('summary').textContent(), 'Earlier messages summarized (3)');
		assert.equal(await block.evaluate((details) => details.open), false, 'collapsed');
		assert.equal(await block.getByText(summary.text).isVisible(), false);
		assert.deepEqual(await bodyOrder(page, 1), ['Let me look at b.ts.', 'compaction', 'b.ts writes the settings back.'], 'at the point of compaction');
		await page.locator('.context-bar').waitFor();
		assert.equal(await page.locator('.context details').count(), 0, 'the meter does not repeat it');

		await block.locator('summary').click();
		await block.getByText(summary.text).waitFor();
		await screenshot(page, 'compaction-inline');

		// The next request of the turn (and the next turn) reuse the same summary: nothing new to show.
		await hostPost(page, { ...context({ usedTokens: 950 }), turnId: 't2' }, { type: 'turn-end', turnId: 't2', reason: 'stop' },
			{ type: 'user-message', turnId: 't3', text: 'Then?' }, { type: 'turn-start', turnId: 't3' }, { ...context(), turnId: 't3' });
		assert.equal(await block.count(), 1);

		// A later compaction condenses more: its own block, in the turn where it happened.
		const later = { text: 'SUMMARY TWO: and b.ts writes them back.', replacedCount: 5, byModel: true };
		await hostPost(page, { ...context({ summary: later }), turnId: 't3' }, { type: 'text-delta', turnId: 't3', text: 'Done.' }, { type: 'turn-end', turnId: 't3', reason: 'stop' });
		assert.equal(await block.count(), 2);
		assert.equal(await page.locator('.turn.assistant').nth(2).locator('details.compaction summary').textContent(), 'Earlier messages summarized (5)');
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('places it in the running turn when the host names none, and says when the turns were left out instead', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'user-message', turnId: 't1', text: 'Go on' }, { type: 'turn-start', turnId: 't1' },
			context({ summary: { text: '3 earlier messages were left out to fit the context window.', replacedCount: 3, byModel: false } }));
		assert.equal(await page.locator('.turn.assistant details.compaction summary').textContent(), 'Earlier messages left out (3)');
		assert.equal(await page.locator('.turn.assistant.pending').count(), 1, 'still waiting on the model after the block');
		await panel.close();
	});

	it('renders a saved compaction of a reopened conversation, and keeps the meter\'s summary when no turn can take it', async () => {
		const init = defaultInit();
		init.conversation.turns = [...earlierTurns(), { role: 'user', turnId: 't2', text: 'And b.ts?' },
			{ role: 'assistant', turnId: 't2', segments: [{ kind: 'compaction', summary }, { kind: 'text', text: 'b.ts writes.' }], finish: 'stop' }];
		const panel = await openPanel(harness, { init });
		const { page } = panel;
		assert.deepEqual(await bodyOrder(page, 1), ['compaction', 'b.ts writes.']);
		// The host knows a summary the transcript already shows: not repeated by the meter.
		await hostPost(page, context());
		assert.equal(await page.locator('details.compaction').count(), 1);
		assert.equal(await page.locator('.context details').count(), 0);

		// A conversation without it and no running turn: the meter is the only place left.
		init.conversation.turns = earlierTurns();
		await hostPost(page, { type: 'conversation', conversation: init.conversation }, context());
		assert.equal(await page.locator('details.compaction').count(), 0);
		assert.equal(await page.locator('.context details summary').textContent(), 'Earlier messages summarized (3)');
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('shows the heading in the display language the host sends', async () => {
		const init = defaultInit();
		init.state.l10n = { contextSummarized: '较早的消息已总结（{0}）' };
		const panel = await openPanel(harness, { init });
		const { page } = panel;
		await hostPost(page, { type: 'user-message', turnId: 't1', text: '继续' }, { type: 'turn-start', turnId: 't1' }, { ...context(), turnId: 't1' });
		assert.equal(await page.locator('details.compaction summary').textContent(), '较早的消息已总结（3）');
		await panel.close();
	});
});
