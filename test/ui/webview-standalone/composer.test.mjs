// The composer and toolbar: keys, Send/Stop, New chat, the model picker, history and the persisted draft.
/* global window, sessionStorage */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { asks, clearPosted, defaultInit, hostPost, openPanel, posted, screenshot, startHarness, waitForPosted } from './support.mjs';

describe('webview (standalone Chromium): composer', function () {
	let harness;
	before(async () => { harness = await startHarness(); });
	after(async () => { await harness?.close(); });

	it('Enter sends the prompt and clears the box; Shift+Enter makes a newline and sends nothing', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		const box = page.getByRole('textbox', { name: 'Message' });
		await box.click();
		await clearPosted(page);
		await page.keyboard.type('first line');
		await page.keyboard.press('Shift+Enter');
		await page.keyboard.type('second line');
		assert.equal(await box.inputValue(), 'first line\nsecond line');
		assert.deepEqual((await posted(page)).filter((message) => message.type === 'send-prompt'), []);
		await page.keyboard.press('Enter');
		assert.deepEqual((await posted(page)).filter((message) => message.type === 'send-prompt'), [{ type: 'send-prompt', text: 'first line\nsecond line' }]);
		assert.equal(await box.inputValue(), '');
		await page.keyboard.press('Enter');
		assert.equal((await posted(page)).filter((message) => message.type === 'send-prompt').length, 1, 'an empty box sends nothing');
		await panel.close();
	});

	it('while a turn runs, Stop replaces Send; Escape and the Stop button post stop', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'user-message', turnId: 'u1', text: 'hi' }, { type: 'turn-start', turnId: 't1' }, { type: 'text-delta', turnId: 't1', text: 'Thinking about' });
		const box = page.getByRole('textbox', { name: 'Message' });
		await box.fill('next question');
		assert.equal(await page.getByRole('button', { name: 'Send' }).count(), 0);
		await clearPosted(page);
		await box.press('Enter');
		assert.deepEqual(await posted(page), [], 'no second prompt while busy');
		await box.press('Escape');
		assert.deepEqual(await posted(page), [{ type: 'stop' }]);
		await page.getByRole('button', { name: 'Stop' }).click();
		assert.deepEqual(await posted(page), [{ type: 'stop' }, { type: 'stop' }]);
		await screenshot(page, 'streaming-stop');
		await hostPost(page, { type: 'turn-end', turnId: 't1', reason: 'interrupted' });
		assert.equal(await page.getByRole('button', { name: 'Stop' }).count(), 0);
		await box.press('Escape');
		assert.deepEqual(await posted(page), [{ type: 'stop' }, { type: 'stop' }], 'Escape does nothing when idle');
		assert.equal(await box.inputValue(), 'next question', 'the draft survives');
		await panel.close();
	});

	it('lists every provider\'s models, marks providers without a key, and posts select-model', async () => {
		const init = defaultInit();
		init.state.providers[1].hasKey = false;
		const panel = await openPanel(harness, { init });
		const { page } = panel;
		const picker = page.getByRole('combobox', { name: 'Model' });
		assert.deepEqual(await picker.locator('optgroup').evaluateAll((groups) => groups.map((group) => group.label)), ['Demo (scripted)', 'DeepSeek (no key)']);
		assert.equal(await picker.locator('option:checked').textContent(), 'scripted-1');
		await clearPosted(page);
		await picker.selectOption({ label: 'deepseek-reasoner' });
		assert.deepEqual(await posted(page), [{ type: 'select-model', provider: 'deepseek', model: 'deepseek-reasoner' }]);
		// The selected provider has no key: the composer offers to set one.
		await page.locator('.composer').getByRole('button', { name: 'Set API key' }).click();
		assert.deepEqual((await posted(page)).at(-1), { type: 'set-api-key', provider: 'deepseek' });
		await hostPost(page, { type: 'state', state: { ...init.state, providers: [init.state.providers[0], { ...init.state.providers[1], hasKey: true }], selected: { provider: 'deepseek', model: 'deepseek-reasoner' } } });
		assert.equal(await page.locator('.composer').getByRole('button', { name: 'Set API key' }).isVisible(), false);
		assert.equal(await picker.locator('option:checked').textContent(), 'deepseek-reasoner');
		await panel.close();
	});

	it('New chat posts new-chat, and the host\'s empty conversation brings back the empty state', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'user-message', turnId: 'u1', text: 'hi' }, { type: 'turn-start', turnId: 't1' }, { type: 'turn-end', turnId: 't1', reason: 'stop' });
		assert.equal(await page.getByRole('heading', { name: 'Switchboard' }).isVisible(), false);
		await clearPosted(page);
		await page.getByRole('button', { name: 'New chat' }).click();
		assert.deepEqual(await posted(page), [{ type: 'new-chat' }]);
		await hostPost(page, { type: 'conversation', conversation: { id: 'c2', turns: [] } });
		assert.equal(await page.getByRole('heading', { name: 'Switchboard' }).isVisible(), true);
		assert.equal(await page.locator('.turn').count(), 0);
		await panel.close();
	});

	it('lists saved chats; opening posts history-open and deleting posts history-delete', async () => {
		const init = defaultInit();
		init.history = [{ id: 'h1', title: 'Refactor the parser', updatedAt: Date.UTC(2025, 0, 2) }, { id: 'h2', title: 'Why is the build slow?', updatedAt: Date.UTC(2025, 0, 3) }];
		const panel = await openPanel(harness, { init });
		const { page } = panel;
		const toggle = page.getByRole('button', { name: 'History' });
		await toggle.click();
		assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
		const list = page.getByRole('region', { name: 'History' });
		assert.deepEqual(await list.locator('.history-open').allTextContents(), ['Why is the build slow?', 'Refactor the parser']);
		await screenshot(page, 'history');
		await clearPosted(page);
		await list.getByRole('button', { name: 'Delete: Refactor the parser' }).click();
		await hostPost(page, { type: 'history', entries: [init.history[1]] });
		assert.equal(await list.locator('.history-open').count(), 1);
		await list.getByRole('button', { name: 'Why is the build slow?', exact: true }).click();
		assert.deepEqual(await posted(page), [{ type: 'history-delete', id: 'h1' }, { type: 'history-open', id: 'h2' }]);
		assert.equal(await list.isVisible(), false);
		await panel.close();
	});

	it('keeps the unsent draft and its chips in setState (never a key) and restores them after a reload', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await page.getByRole('textbox', { name: 'Message' }).fill('half-written question');
		const selection = { kind: 'selection', path: 'src/app.ts', startLine: 3, endLine: 9, text: 'const x = 1;' };
		await hostPost(page, { type: 'add-attachment', attachment: { kind: 'file', path: 'README.md' } }, { type: 'add-attachment', attachment: selection });
		assert.deepEqual(await page.evaluate(() => window.__savedState), { draft: 'half-written question', attachments: [{ kind: 'file', path: 'README.md' }, selection] });
		await page.reload();
		await waitForPosted(page, 'ready');
		assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'half-written question');
		const chips = page.getByRole('list', { name: 'Attached context' }).getByRole('listitem');
		assert.deepEqual(await chips.allTextContents(), ['README.md', 'src/app.ts:3-9']);
		// A chip removed after the reload stays removed after the next one; a saved chip that does not check out is dropped.
		await page.getByRole('button', { name: 'Remove README.md' }).click();
		await page.evaluate(() => {
			const state = { ...window.__savedState, attachments: [...window.__savedState.attachments, { kind: 'file' }, { kind: 'shell', path: 'x' }, null] };
			sessionStorage.setItem('vscodeState', JSON.stringify(state));
		});
		await page.reload();
		await waitForPosted(page, 'ready');
		await hostPost(page, defaultInit());
		assert.deepEqual(await chips.allTextContents(), ['src/app.ts:3-9']);
		await page.getByRole('textbox', { name: 'Message' }).press('Enter');
		const sent = (await posted(page)).find((message) => message.type === 'send-prompt');
		assert.deepEqual(sent?.attachments, [selection], 'the restored chip goes with the message');
		assert.deepEqual(await page.evaluate(() => window.__savedState), { draft: '', attachments: [] }, 'sending clears both');
		await panel.close();
	});

	it('is usable from the keyboard alone: Tab reaches the box, picker and buttons, with a visible focus ring', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'user-message', turnId: 'u1', text: 'hi' }, { type: 'turn-start', turnId: 't1' },
			{ type: 'tool-call', turnId: 't1', call: { callId: 'a', toolName: 'run_task', summary: 'Run task \'build\'', risk: 'execute', argumentsText: '{"label":"build"}', state: 'awaiting-approval', approval: asks() } });
		const reached = [];
		for (let index = 0; index < 12; index++) {
			await page.keyboard.press('Tab');
			reached.push(await page.evaluate(() => {
				const element = window.document.activeElement;
				// Tabbing past the last control leaves the page for a moment before wrapping.
				if (element === window.document.body) return 'body|-';
				const outline = window.getComputedStyle(element).outlineStyle;
				return `${element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 20)}|${outline}`;
			}));
		}
		reached.splice(0, reached.length, ...reached.filter((entry) => entry !== 'body|-'));
		const names = reached.map((entry) => entry.split('|')[0]);
		for (const wanted of ['New chat', 'History', 'Approve', 'Deny', 'Message', 'Model', 'Stop']) assert.ok(names.includes(wanted), `Tab reaches ${wanted}: ${names.join(', ')}`);
		assert.ok(reached.every((entry) => !entry.endsWith('|none')), `every focused control shows an outline: ${reached.join(', ')}`);
		await page.getByRole('button', { name: 'Approve' }).focus();
		await screenshot(page, 'keyboard-focus');
		await panel.close();
	});
});
