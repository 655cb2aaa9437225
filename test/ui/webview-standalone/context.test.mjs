// Attachments in the panel alone (no VS Code): the '@' picker by keyboard with its ARIA wiring, the composer's
// chips (added by the host, removed by keyboard), the attachments a sent message carries, the transcript's chips
// and the rule chips' switches, at 300 px.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { clearPosted, hostPost, openPanel, posted, screenshot, startHarness } from './support.mjs';

const items = [
	{ ref: { kind: 'selection', path: 'src/app.ts', startLine: 3, endLine: 4, text: 'three\nfour' }, label: '@selection', detail: 'Selection: src/app.ts:3-4' },
	{ ref: { kind: 'file', path: 'src/app.ts' }, label: 'app.ts', detail: 'src' },
	{ ref: { kind: 'folder', path: 'src/util' }, label: 'util/', detail: 'src' },
];

describe('webview (standalone Chromium): attachments and rules', function () {
	let harness;
	before(async () => { harness = await startHarness(); });
	after(async () => { await harness?.close(); });

	it('@ opens a list the keyboard drives from the box; Enter attaches, Escape closes without stopping anything', async () => {
		const panel = await openPanel(harness, { width: 300 });
		const { page } = panel;
		const box = page.getByRole('textbox', { name: 'Message' });
		await box.click();
		await clearPosted(page);
		await page.keyboard.type('Look at @');
		assert.deepEqual(await posted(page), [{ type: 'mention-query', query: '' }]);
		assert.equal(await box.getAttribute('aria-expanded'), 'true');
		await page.keyboard.type('ap');
		assert.deepEqual((await posted(page)).map((message) => message.query), ['', 'a', 'ap']);
		// An answer to an older query is dropped.
		await hostPost(page, { type: 'mention-results', query: 'a', items: [items[2]] }, { type: 'mention-results', query: 'ap', items });
		const list = page.getByRole('listbox', { name: 'Files, folders and context to attach' });
		assert.equal(await list.getByRole('option').count(), 3);
		const options = list.getByRole('option');
		assert.equal(await box.getAttribute('aria-activedescendant'), await options.nth(0).getAttribute('id'));
		await page.keyboard.press('ArrowDown');
		assert.equal(await box.getAttribute('aria-activedescendant'), await options.nth(1).getAttribute('id'));
		assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
		await page.keyboard.press('ArrowUp');
		await page.keyboard.press('ArrowUp');
		assert.equal(await box.getAttribute('aria-activedescendant'), await options.nth(2).getAttribute('id'), 'Up from the first row wraps to the last');
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('ArrowDown');
		await screenshot(page, 'context-picker-300');
		await page.keyboard.press('Enter');
		assert.equal(await box.inputValue(), 'Look at ');
		assert.equal(await box.getAttribute('aria-expanded'), 'false');
		const chips = page.getByRole('list', { name: 'Attached context' });
		assert.deepEqual(await chips.getByRole('listitem').allTextContents(), ['src/app.ts']);

		await page.keyboard.type('@');
		await hostPost(page, { type: 'mention-results', query: '', items });
		await page.keyboard.press('Tab');
		assert.deepEqual(await chips.getByRole('listitem').allTextContents(), ['src/app.ts', 'src/app.ts:3-4']);
		await page.keyboard.type('@x');
		await clearPosted(page);
		await page.keyboard.press('Escape');
		assert.equal(await box.getAttribute('aria-expanded'), 'false');
		assert.deepEqual(await posted(page), [], 'Escape only closed the list');
		await box.fill('Look at these');
		await page.keyboard.press('End');
		await page.keyboard.press('Enter');
		const sent = (await posted(page)).filter((message) => message.type === 'send-prompt');
		assert.deepEqual(sent, [{ type: 'send-prompt', text: 'Look at these', attachments: [items[1].ref, items[0].ref] }]);
		assert.equal(await chips.isHidden(), true);
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('a chip from the host can be removed by keyboard; the transcript\'s chips open their file; a cut one says so', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'add-attachment', attachment: { kind: 'folder', path: 'docs' } }, { type: 'add-attachment', attachment: { kind: 'problems' } });
		const chips = page.getByRole('list', { name: 'Attached context' });
		assert.deepEqual(await chips.getByRole('listitem').allTextContents(), ['docs/', 'Problems']);
		const box = page.getByRole('textbox', { name: 'Message' });
		assert.equal(await box.evaluate((element) => element === element.ownerDocument.activeElement), true, 'the box has the keyboard');
		await page.getByRole('button', { name: 'Remove docs/' }).focus();
		await page.keyboard.press('Enter');
		assert.deepEqual(await chips.getByRole('listitem').allTextContents(), ['Problems']);
		assert.equal(await page.getByRole('button', { name: 'Remove Problems' }).evaluate((element) => element === element.ownerDocument.activeElement), true, 'the keyboard moved to the next chip');
		await page.keyboard.press('Enter');
		assert.equal(await chips.isHidden(), true);
		assert.equal(await box.evaluate((element) => element === element.ownerDocument.activeElement), true, 'and back to the box');

		await hostPost(page, { type: 'user-message', turnId: 'u1', text: 'Why?', attachments: [
			{ kind: 'file', label: 'big.log', path: 'big.log', omitted: 12345 },
			{ kind: 'file', label: 'gone.ts', path: 'gone.ts', error: 'gone.ts does not exist.' },
		] });
		const sent = page.locator('article.turn.user').getByRole('list', { name: 'Attached context' });
		assert.deepEqual(await sent.getByRole('listitem').allTextContents(), ['big.logcut', 'gone.tsnot attached']);
		await clearPosted(page);
		await sent.getByRole('button', { name: /^Open big\.log \(Cut to fit: 12,345 characters left out/ }).click();
		assert.deepEqual(await posted(page), [{ type: 'open-file', path: 'big.log' }]);
		assert.equal(await sent.getByRole('button').count(), 1, 'a chip that was not attached opens nothing');
		await panel.close();
	});

	it('rule chips open their file and switch it for this chat; a Restricted Mode one says why it is off', async () => {
		const panel = await openPanel(harness, { width: 300 });
		const { page } = panel;
		await hostPost(page, { type: 'rules', rules: [{ path: 'AGENTS.md', active: true }, { path: '.github/copilot-instructions.md', active: false, restricted: true, omitted: 900 }] });
		const rules = page.getByRole('group', { name: 'Project rule files' });
		const agents = rules.getByRole('switch', { name: 'Use AGENTS.md in this chat' });
		const copilot = rules.getByRole('switch', { name: 'Use .github/copilot-instructions.md in this chat' });
		assert.equal(await agents.getAttribute('aria-checked'), 'true');
		assert.equal(await copilot.getAttribute('aria-checked'), 'false');
		assert.match(await copilot.getAttribute('title'), /Restricted Mode/);
		assert.match(await copilot.getAttribute('title'), /900 characters left out/);
		await clearPosted(page);
		await agents.focus();
		await page.keyboard.press('Space');
		await copilot.click();
		await rules.getByRole('button', { name: /^Open AGENTS\.md/ }).click();
		assert.deepEqual(await posted(page), [
			{ type: 'rule-toggle', path: 'AGENTS.md', active: false },
			{ type: 'rule-toggle', path: '.github/copilot-instructions.md', active: true },
			{ type: 'open-file', path: 'AGENTS.md' },
		]);
		assert.ok(await rules.evaluate((bar) => bar.scrollWidth <= bar.clientWidth + 1), 'the rules row fits 300 px');
		await screenshot(page, 'context-rules-300');
		await hostPost(page, { type: 'rules', rules: [] });
		assert.equal(await rules.isHidden(), true);
		await panel.close();
	});
});
