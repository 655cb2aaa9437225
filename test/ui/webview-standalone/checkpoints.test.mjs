// The row under a turn that changed files: "Changed: … · Undo this turn's changes", live and after loading a long
// conversation whose older turns are built later.
/* global document */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { clearPosted, defaultInit, hostPost, openPanel, posted, screenshot, startHarness } from './support.mjs';

describe('webview (standalone Chromium): changed files and undo per turn', function () {
	let harness;
	before(async () => { harness = await startHarness(); });
	after(async () => { await harness?.close(); });

	it('shows the files a running turn changed, posts undo-turn once, and marks the turn undone', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page,
			{ type: 'user-message', turnId: 'u1', text: 'Fix it' },
			{ type: 'turn-start', turnId: 't1' },
			{ type: 'text-delta', turnId: 't1', text: 'Editing two files.' },
			{ type: 'turn-files', turnId: 't1', changes: { files: ['src/a.ts'], undone: false } },
			{ type: 'turn-files', turnId: 't1', changes: { files: ['src/a.ts', 'lib/b.ts'], undone: false } },
			{ type: 'turn-end', turnId: 't1', reason: 'stop' });
		const turn = page.locator('article.turn.assistant');
		const row = turn.getByRole('group', { name: /Changed/ });
		await row.getByText('Changed: a.ts, b.ts').waitFor({ timeout: 10000 });
		assert.equal(await page.locator('.turn-changes').count(), 1, 'one row per turn, replaced on update');
		await screenshot(page, 'turn-changed-files');

		await clearPosted(page);
		const undo = row.getByRole('button', { name: 'Undo this turn\'s changes' });
		await undo.click();
		assert.deepEqual(await posted(page), [{ type: 'undo-turn', turnId: 't1' }]);
		assert.equal(await undo.isDisabled(), true, 'a second click cannot undo twice');
		await hostPost(page, { type: 'turn-files', turnId: 't1', changes: { files: ['src/a.ts', 'lib/b.ts'], undone: true } });
		await row.getByText('Changes undone').waitFor({ timeout: 10000 });
		assert.equal(await row.getByRole('button').count(), 0);
		await panel.close();
	});

	it('puts each row under its own turn in a long conversation, the lazily built older turns included', async () => {
		const init = defaultInit();
		const turns = [];
		for (let index = 0; index < 150; index++) {
			turns.push({ role: 'user', turnId: `u${index}`, text: `question ${index}` });
			const changes = index % 50 === 0 ? { files: [`src/file${index}.ts`], undone: index === 100 } : undefined;
			turns.push({ role: 'assistant', turnId: `t${index}`, segments: [{ kind: 'text', text: `answer ${index}` }], finish: 'stop', ...(changes ? { changes } : {}) });
		}
		init.conversation = { id: 'long', turns };
		const panel = await openPanel(harness, { init });
		const { page } = panel;
		// The oldest turn is built last: idle slices draw the newest 80 turns, the reader scrolling up the rest.
		await page.waitForFunction(() => {
			document.querySelector('.scroller').scrollTop = 0;
			return document.querySelectorAll('article.turn').length === 300;
		}, undefined, { timeout: 20000, polling: 50 });
		await page.locator('article.turn.assistant', { hasText: 'answer 0' }).locator('.turn-changes').waitFor({ state: 'attached', timeout: 20000 });
		const rows = await page.locator('article.turn.assistant').evaluateAll((articles) => articles
			.filter((article) => article.querySelector('.turn-changes'))
			.map((article) => [article.querySelector('.markdown')?.textContent?.trim(), article.querySelector('.changed-files')?.textContent, article.querySelector('.turn-changes').classList.contains('undone')]));
		assert.deepEqual(rows, [
			['answer 0', 'Changed: file0.ts', false],
			['answer 50', 'Changed: file50.ts', false],
			['answer 100', 'Changed: file100.ts', true],
		]);
		await panel.close();
	});
});
