// The panel's side of images, cost and history, at 300 px: a pasted image becomes a thumbnail with a Remove button
// and goes with send-prompt; a format no provider takes or a text-only model is refused with a spoken message and
// nothing posted; a turn's cost and the chat total come from the price the host stamped on the turn; the history
// panel searches, renames by keyboard and offers Undo after a delete. Also in zh-cn.
/* global document, DataTransfer, File, ClipboardEvent, atob */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { clearPosted, defaultInit, hostPost, openPanel, posted, screenshot, startHarness } from './support.mjs';

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Dispatches a paste of one file into the message box, as Ctrl+V with a copied image does. */
async function paste(page, name, type, base64 = png) {
	await page.getByRole('textbox').first().evaluate((box, file) => {
		const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
		const data = new DataTransfer();
		data.items.add(new File([bytes], file.name, { type: file.type }));
		box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
	}, { name, type, base64 });
}

describe('webview (standalone Chromium): images, cost and history', function () {
	let harness;
	before(async () => { harness = await startHarness(); });
	after(async () => { await harness?.close(); });

	it('attaches a pasted image as a removable thumbnail and sends it with the prompt', async () => {
		const panel = await openPanel(harness, { width: 300 });
		const { page } = panel;
		await paste(page, 'dot.png', 'image/png');
		await page.getByRole('img', { name: 'Image 1: dot.png' }).waitFor();
		await page.getByRole('status').filter({ hasText: '1 images attached.' }).waitFor();
		await paste(page, 'second.png', 'image/png');
		await page.getByRole('img', { name: 'Image 2: second.png' }).waitFor();
		// Remove by keyboard: the focus moves to the next Remove button.
		await page.getByRole('button', { name: 'Remove image dot.png' }).focus();
		await page.keyboard.press('Enter');
		assert.equal(await page.getByRole('img', { name: /dot\.png/ }).count(), 0);
		assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Remove image second.png');
		await screenshot(page, 'images-tray-300px');
		await clearPosted(page);
		await page.getByRole('textbox', { name: 'Message' }).fill('What is this?');
		await page.getByRole('textbox', { name: 'Message' }).press('Enter');
		const sent = (await posted(page)).filter((message) => message.type === 'send-prompt');
		assert.deepEqual(sent, [{ type: 'send-prompt', text: 'What is this?', images: [{ mediaType: 'image/png', data: png, name: 'second.png' }] }]);
		assert.equal(await page.locator('.composer .image-thumb').count(), 0, 'the tray is empty after sending');
		await panel.close();
	});

	it('refuses a BMP, and an image for a text-only model, posting nothing and keeping the text', async () => {
		const init = defaultInit();
		init.state.providers[1].textOnlyModels = ['deepseek-chat'];
		init.state.selected = { provider: 'deepseek', model: 'deepseek-chat' };
		const panel = await openPanel(harness, { width: 300, init });
		const { page } = panel;
		await paste(page, 'old.bmp', 'image/bmp', 'Qk0=');
		await page.getByRole('status').filter({ hasText: 'old.bmp: only PNG, JPEG, WebP or GIF images can be sent.' }).waitFor();
		assert.equal(await page.locator('.composer .image-thumb').count(), 0);
		await paste(page, 'dot.png', 'image/png');
		await page.getByRole('img', { name: 'Image 1: dot.png' }).waitFor();
		await clearPosted(page);
		await page.getByRole('textbox', { name: 'Message' }).fill('Describe it');
		await page.getByRole('textbox', { name: 'Message' }).press('Enter');
		await page.getByRole('status').filter({ hasText: 'deepseek-chat reads no images' }).waitFor();
		assert.deepEqual((await posted(page)).filter((message) => message.type === 'send-prompt'), []);
		assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'Describe it');
		await panel.close();
	});

	it('shows a turn\'s cost only with a price, and the chat total once two answers have usage', async () => {
		const panel = await openPanel(harness, { width: 300 });
		const { page } = panel;
		const price = { input: 2.5, cachedInput: 1.25, output: 10, currency: 'USD' };
		await hostPost(page, { type: 'user-message', turnId: 'u1', text: 'One', images: [{ mediaType: 'image/png', data: png, name: 'dot.png' }] },
			{ type: 'turn-start', turnId: 't1', model: { provider: 'demo', model: 'scripted-1' }, price },
			{ type: 'text-delta', turnId: 't1', text: 'Priced.' },
			{ type: 'usage', turnId: 't1', usage: { inputTokens: 10000, outputTokens: 1000, cachedInputTokens: 4000 } },
			{ type: 'turn-end', turnId: 't1', reason: 'stop' });
		await page.locator('article.turn.user').getByRole('img', { name: 'Image 1: dot.png' }).waitFor();
		assert.equal(await page.locator('article.turn.assistant .usage').textContent(), '10,000 in · 1,000 out tokens (4,000 cached) · cost $0.0300');
		assert.equal(await page.locator('.chat-total').isVisible(), false, 'one answer: its footer says it all');
		await hostPost(page, { type: 'user-message', turnId: 'u2', text: 'Two' },
			{ type: 'turn-start', turnId: 't2', model: { provider: 'demo', model: 'scripted-1' } },
			{ type: 'text-delta', turnId: 't2', text: 'Not priced.' },
			{ type: 'usage', turnId: 't2', usage: { inputTokens: 500, outputTokens: 20 } },
			{ type: 'turn-end', turnId: 't2', reason: 'stop' });
		assert.equal(await page.locator('article.turn.assistant').last().locator('.usage').textContent(), '500 in · 20 out tokens', 'no price, no cost');
		assert.equal(await page.locator('.chat-total').textContent(), 'Chat total: 10,500 in · 1,020 out tokens · cost $0.0300 (turns without a price: 1)');
		await screenshot(page, 'cost-and-total-300px');
		await panel.close();
	});

	it('searches the history, renames by keyboard, and offers Undo after a delete', async () => {
		const init = defaultInit();
		init.history = [{ id: 'h1', title: 'Refactor the parser', updatedAt: Date.UTC(2025, 0, 2) }, { id: 'h2', title: 'Why is the build slow?', updatedAt: Date.UTC(2025, 0, 3) }];
		const panel = await openPanel(harness, { width: 300, init });
		const { page } = panel;
		await page.getByRole('button', { name: 'History' }).click();
		const search = page.getByRole('searchbox', { name: 'Search chats' });
		assert.equal(await search.evaluate((element) => element === document.activeElement), true);
		await clearPosted(page);
		await page.keyboard.type('webpack');
		assert.deepEqual((await posted(page)).filter((message) => message.type === 'history-search').at(-1), { type: 'history-search', query: 'webpack' });
		await page.getByText('No chat matches.').waitFor();
		await hostPost(page, { type: 'history-results', query: 'webpack', entries: [{ ...init.history[1], snippet: '…the webpack config has 40 loaders…' }] });
		await page.getByText('…the webpack config has 40 loaders…').waitFor();
		assert.equal(await page.getByRole('status').filter({ hasText: '1 chats found' }).count(), 1);
		// An answer to an older query is ignored.
		await hostPost(page, { type: 'history-results', query: 'web', entries: init.history });
		assert.equal(await page.locator('.history-item').count(), 1);
		await screenshot(page, 'history-search-300px');

		await search.fill('');
		await search.press('ArrowDown');
		assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Why is the build slow?');
		await page.getByRole('button', { name: 'Rename: Refactor the parser' }).click();
		const field = page.getByRole('textbox', { name: 'New name for Refactor the parser' });
		await field.press('Escape');
		assert.equal(await field.count(), 0, 'Escape cancels');
		await page.getByRole('button', { name: 'Rename: Refactor the parser' }).click();
		await page.keyboard.press('Control+A');
		await page.keyboard.type('Parser work');
		await page.keyboard.press('Enter');
		await clearPosted(page);
		await page.getByRole('button', { name: 'Delete: Why is the build slow?' }).click();
		await hostPost(page, { type: 'history', entries: [init.history[0]] }, { type: 'history-deleted', id: 'h2', title: 'Why is the build slow?' });
		const undo = page.getByRole('button', { name: 'Undo deleting Why is the build slow?' });
		assert.equal(await undo.evaluate((element) => element === document.activeElement), true, 'the keyboard lands on Undo');
		await page.keyboard.press('Enter');
		assert.deepEqual((await posted(page)).filter((message) => message.type.startsWith('history-')), [{ type: 'history-delete', id: 'h2' }, { type: 'history-undo-delete', id: 'h2' }]);
		await panel.close();
	});

	it('draws a list that arrived while the history was closed when it opens, not before', async () => {
		const init = defaultInit();
		init.history = [{ id: 'h1', title: 'Refactor the parser', updatedAt: Date.UTC(2025, 0, 2) }];
		const panel = await openPanel(harness, { width: 300, init });
		const { page } = panel;
		const later = [{ id: 'h3', title: 'Port the tests', updatedAt: Date.UTC(2025, 0, 4) }, ...init.history];
		await hostPost(page, { type: 'history', entries: later });
		assert.equal(await page.locator('.history-item').count(), 0, 'a closed history builds no list');
		await page.getByRole('button', { name: 'History' }).click();
		assert.deepEqual(await page.locator('.history-open').allTextContents(), ['Port the tests', 'Refactor the parser']);
		await page.getByRole('button', { name: 'History' }).click();
		await hostPost(page, { type: 'history', entries: init.history });
		await page.getByRole('button', { name: 'History' }).click();
		assert.deepEqual(await page.locator('.history-open').allTextContents(), ['Refactor the parser']);
		await panel.close();
	});

	it('names the thumbnails and their Remove buttons in zh-cn', async () => {
		// What the host sends in ViewState.l10n: these keys with the bundle's translation of each English text.
		const english = { removeImage: 'Remove image {0}', imageAlt: 'Image {0}: {1}', imagesAttached: '{0} images attached.' };
		const bundle = JSON.parse(readFileSync(new URL('../../../l10n/bundle.l10n.zh-cn.json', import.meta.url), 'utf8'));
		const init = defaultInit();
		init.state.l10n = Object.fromEntries(Object.entries(english).map(([key, text]) => [key, bundle[text]]));
		const panel = await openPanel(harness, { width: 300, init });
		const { page } = panel;
		// Controls built before 'init' take their names from the page's meta switchboard-l10n (the host writes it);
		// what is drawn later, as a thumbnail, takes them from ViewState.l10n.
		await paste(page, 'dot.png', 'image/png');
		await page.getByRole('img', { name: '图片 1：dot.png' }).waitFor();
		await page.getByRole('button', { name: '移除图片 dot.png' }).waitFor();
		await page.getByRole('status').filter({ hasText: '已附加 1 张图片。' }).waitFor();
		await panel.close();
	});
});
