// Tool call cards: the state machine on screen and the approval answers posted to the host.
/* global document */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { asks, clearPosted, hostPost, openPanel, posted, readCall, screenshot, startHarness } from './support.mjs';

const turnStart = [{ type: 'user-message', turnId: 'u1', text: 'What does app.ts do?' }, { type: 'turn-start', turnId: 't1', model: { provider: 'demo', model: 'scripted-1' } }];
const call = (value) => ({ type: 'tool-call', turnId: 't1', call: value });

describe('webview (standalone Chromium): tool call cards', function () {
	let harness;
	before(async () => { harness = await startHarness(); });
	after(async () => { await harness?.close(); });

	it('goes streaming → awaiting-approval → Approve posts approve → running → done with the result', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, ...turnStart, { type: 'text-delta', turnId: 't1', text: 'Let me read the file.' },
			call({ ...readCall('a', 'streaming'), summary: 'read_file', argumentsText: '{"path": "src/a' }));
		const card = page.getByRole('group', { name: 'Tool call: read_file' });
		assert.equal(await card.locator('.tool-state').textContent(), 'Preparing');
		assert.equal(await card.getByRole('button', { name: 'Approve' }).count(), 0);

		await hostPost(page, call(readCall('a', 'awaiting-approval', { approval: asks({ offerAlwaysAllow: true }) })));
		assert.equal(await card.count(), 1, 'updated in place, keyed by callId');
		assert.equal(await card.locator('.tool-summary').textContent(), 'Read src/a.ts lines 1–80');
		await card.getByText('Arguments').click();
		assert.deepEqual(JSON.parse(await card.locator('.section-arguments pre').textContent()), { path: 'src/a.ts', startLine: 1, endLine: 80 });
		await screenshot(page, 'card-awaiting-approval');

		await clearPosted(page);
		await card.getByRole('button', { name: 'Approve' }).click();
		// A second click before the host answers posts nothing more.
		await card.getByRole('button', { name: 'Approve' }).click({ force: true });
		assert.deepEqual(await posted(page), [{ type: 'approve', callId: 'a' }]);

		await hostPost(page, call(readCall('a', 'running')));
		assert.equal(await card.locator('.tool-state').textContent(), 'Running');
		assert.equal(await card.getByRole('button', { name: 'Approve' }).count(), 0);
		await hostPost(page, call(readCall('a', 'done', { result: { text: 'export const app = 1;\n', truncated: false } })),
			{ type: 'text-delta', turnId: 't1', text: 'It exports `app`.' },
			{ type: 'usage', turnId: 't1', usage: { inputTokens: 320, outputTokens: 41 } },
			{ type: 'turn-end', turnId: 't1', reason: 'stop' });
		assert.equal(await card.locator('.tool-state').textContent(), 'Done');
		assert.equal(await card.locator('.section-result pre').textContent(), 'export const app = 1;\n');
		assert.equal(await card.locator('.section-arguments').getAttribute('open'), '', 'what the user opened stays open');
		// Text after the card is a new segment below it.
		assert.equal(await page.locator('.turn-body > *').count(), 3);
		await screenshot(page, 'card-done');
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('offers "Always allow" on read tools and posts alwaysAllow when it is ticked', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, ...turnStart, call(readCall('a', 'awaiting-approval', { approval: asks({ offerAlwaysAllow: true }) })),
			call({ ...readCall('b', 'awaiting-approval', { approval: asks({ forcedReason: 'Outside the workspace folders: /etc/hosts' }) }), toolName: 'write_file', risk: 'write' }));
		const read = page.getByRole('group', { name: 'Tool call: read_file' });
		const write = page.getByRole('group', { name: 'Tool call: write_file' });
		assert.equal(await write.getByRole('checkbox').count(), 0);
		await write.getByText('Outside the workspace folders: /etc/hosts').waitFor();
		await read.getByRole('checkbox', { name: 'Always allow read_file in this workspace' }).check();
		await clearPosted(page);
		await read.getByRole('button', { name: 'Approve' }).click();
		assert.deepEqual(await posted(page), [{ type: 'approve', callId: 'a', alwaysAllow: true }]);
		await panel.close();
	});

	it('Deny reveals a reason box; confirming posts deny with the reason, and the card shows it', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, ...turnStart, call(readCall('a', 'awaiting-approval', { approval: asks({ offerAlwaysAllow: true }) })));
		const card = page.getByRole('group', { name: 'Tool call: read_file' });
		await clearPosted(page);
		await card.getByRole('button', { name: 'Deny' }).click();
		const reason = card.getByRole('textbox', { name: /Reason for denying/ });
		assert.equal(await reason.evaluate((element) => element === document.activeElement), true, 'the keyboard moves to the reason');
		await reason.pressSequentially('Read README.md instead');
		await screenshot(page, 'card-deny-reason');
		assert.deepEqual(await posted(page), [], 'nothing is posted before confirming');
		await card.getByRole('button', { name: 'Confirm deny' }).click();
		assert.deepEqual(await posted(page), [{ type: 'deny', callId: 'a', reason: 'Read README.md instead' }]);
		await hostPost(page, call(readCall('a', 'denied', { reason: 'Read README.md instead' })));
		assert.equal(await card.locator('.tool-state').textContent(), 'Denied');
		await card.getByText('Reason: Read README.md instead').waitFor();
		await panel.close();
	});

	it('Deny without a reason posts deny alone; Enter in the reason box confirms', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, ...turnStart, call(readCall('a', 'awaiting-approval', { approval: asks({ offerAlwaysAllow: false }) })));
		await clearPosted(page);
		await page.getByRole('button', { name: 'Deny' }).click();
		await page.keyboard.press('Enter');
		assert.deepEqual(await posted(page), [{ type: 'deny', callId: 'a' }]);
		await panel.close();
	});

	it('two parallel calls awaiting approval show "Approve all", which posts both callIds', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, ...turnStart, call(readCall('a', 'awaiting-approval', { approval: asks({ offerAlwaysAllow: true }) })));
		assert.equal(await page.getByRole('button', { name: 'Approve all' }).count(), 0, 'one call needs no batch button');
		await hostPost(page, call(readCall('b', 'awaiting-approval', { approval: asks({ offerAlwaysAllow: true }) })));
		assert.equal(await page.getByRole('group', { name: 'Tool call: read_file' }).count(), 2);
		await screenshot(page, 'cards-approve-all');
		await clearPosted(page);
		await page.getByRole('button', { name: 'Approve all' }).click();
		assert.deepEqual(await posted(page), [{ type: 'approve-all', callIds: ['a', 'b'] }]);
		assert.equal(await page.getByRole('button', { name: 'Approve', exact: true }).first().isDisabled(), true);
		await hostPost(page, call(readCall('a', 'running')), call(readCall('b', 'running')));
		assert.equal(await page.getByRole('button', { name: 'Approve all' }).count(), 0);
		await panel.close();
	});

	it('shows a long result truncated with "Show all", and says when the host cut it', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		const lines = Array.from({ length: 60 }, (_, index) => `line ${index + 1}`).join('\n');
		await hostPost(page, ...turnStart, call(readCall('a', 'done', { result: { text: lines, truncated: true, totalChars: 90000 } })));
		const card = page.getByRole('group', { name: 'Tool call: read_file' });
		const result = card.locator('.section-result pre');
		assert.equal((await result.textContent()).split('\n').length, 20);
		await card.getByText(/Output was cut at .* of 90000 characters/).waitFor();
		await card.getByRole('button', { name: 'Show all' }).click();
		assert.equal(await result.textContent(), lines);
		assert.equal(await card.getByRole('button', { name: 'Show all' }).count(), 0);
		await panel.close();
	});

	it('shows invalid and errored calls with their messages', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, ...turnStart,
			call({ ...readCall('a', 'invalid', { message: 'Arguments are not valid JSON: Unexpected end of input' }), argumentsText: '{"path": "src/a' }),
			call(readCall('b', 'error', { result: { text: 'ENOENT: no such file src/b.ts', truncated: false } })));
		const cards = page.getByRole('group', { name: 'Tool call: read_file' });
		assert.equal(await cards.nth(0).locator('.tool-state').textContent(), 'Invalid arguments');
		await cards.nth(0).getByText('Arguments are not valid JSON').waitFor();
		assert.equal(await cards.nth(1).locator('.tool-state').textContent(), 'Failed');
		assert.equal(await cards.nth(1).locator('.section-result pre').textContent(), 'ENOENT: no such file src/b.ts');
		await screenshot(page, 'cards-invalid-error');
		await panel.close();
	});
});
