// A new user's panel at the default side bar width (300 px): approval cards that show their whole target, failed
// calls that look failed, Enter before setup, banners and the context meter that hide nothing, and Escape on a card.
/* global document, getComputedStyle, window */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { asks, clearPosted, defaultInit, hostPost, openPanel, posted, readCall, screenshot, startHarness } from './support.mjs';

const width = 300;
const turnStart = [{ type: 'user-message', turnId: 'u1', text: 'Build it' }, { type: 'turn-start', turnId: 't1', model: { provider: 'demo', model: 'scripted-1' } }];
const call = (value) => ({ type: 'tool-call', turnId: 't1', call: value });

const longPath = 'src/components/settings/providers/gatewayConnectionSettingsPanel.component.ts';
const taskCall = (state, extra = {}) => ({
	callId: 'task', toolName: 'run_task', risk: 'execute', state,
	summary: 'Run task \'build the whole workspace\'',
	detail: 'npm run build -- --project tsconfig.release.json --verbose && node scripts/check-bundle-size.mjs dist/',
	argumentsText: JSON.stringify({ task: 'build the whole workspace' }, null, 2),
	...extra,
});
const mcpCall = (state, extra = {}) => ({
	callId: 'mcp', toolName: 'workspace-filesystem__read_multiple_files', risk: 'execute', state,
	summary: 'MCP workspace-filesystem: read_multiple_files', argumentsText: '{}', ...extra,
});

/** Where an element's text is clipped or cut: every box inside the card, and no ellipsis or horizontal overflow. */
function layoutOf(card, selector) {
	return card.locator(selector).evaluate((element) => {
		const box = element.getBoundingClientRect();
		const cardBox = element.closest('.tool-card').getBoundingClientRect();
		const style = getComputedStyle(element);
		return {
			text: element.textContent,
			inside: box.left >= cardBox.left - 0.5 && box.right <= cardBox.right + 0.5,
			overflows: element.scrollWidth > element.clientWidth + 1,
			ellipsis: style.textOverflow === 'ellipsis',
			lines: Math.round(box.height / parseFloat(style.lineHeight || '18')),
		};
	});
}

describe('webview (standalone Chromium): a 300 px side bar', function () {
	let harness;
	before(async () => { harness = await startHarness(); });
	after(async () => { await harness?.close(); });

	it('approval cards show the whole path, the task with its command line, and the MCP server and tool, wrapped', async () => {
		const panel = await openPanel(harness, { width });
		const { page } = panel;
		await hostPost(page, ...turnStart,
			call(readCall('a', 'awaiting-approval', { summary: `Read ${longPath} lines 1–80`, approval: asks({ offerAlwaysAllow: true }) })),
			call(taskCall('awaiting-approval', { approval: asks({ offerAlwaysAllow: false }) })),
			call(mcpCall('awaiting-approval', { approval: asks({ offerAlwaysAllow: false }) })));
		const read = page.getByRole('group', { name: 'Tool call: read_file' });
		const task = page.getByRole('group', { name: 'Tool call: run_task' });
		const mcp = page.getByRole('group', { name: 'Tool call: workspace-filesystem__read_multiple_files' });

		const path = await layoutOf(read, '.tool-summary');
		assert.equal(path.text, `Read ${longPath} lines 1–80`);
		assert.deepEqual({ inside: path.inside, overflows: path.overflows, ellipsis: path.ellipsis }, { inside: true, overflows: false, ellipsis: false });
		assert.ok(path.lines >= 2, 'the long path wraps');

		const label = await layoutOf(task, '.tool-summary');
		assert.equal(label.text, 'Run task \'build the whole workspace\'');
		assert.deepEqual({ inside: label.inside, overflows: label.overflows, ellipsis: label.ellipsis }, { inside: true, overflows: false, ellipsis: false });
		const command = await layoutOf(task, '.tool-detail code');
		assert.equal(command.text, taskCall('x').detail, 'the command line, whole, without expanding anything');
		assert.deepEqual({ inside: command.inside, overflows: command.overflows }, { inside: true, overflows: false });
		assert.equal(await task.locator('details[open]').count(), 0, 'nothing had to be opened');

		const server = await layoutOf(mcp, '.tool-summary');
		assert.equal(server.text, 'MCP workspace-filesystem: read_multiple_files');
		assert.deepEqual({ inside: server.inside, overflows: server.overflows, ellipsis: server.ellipsis }, { inside: true, overflows: false, ellipsis: false });

		// The risk badge and the state may take their own line, but stay inside the card.
		for (const card of [read, task, mcp]) {
			assert.equal((await layoutOf(card, '.tool-meta')).inside, true);
			await card.getByRole('button', { name: 'Approve' }).waitFor();
		}
		assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no horizontal scrolling');
		await screenshot(page, 'narrow-approval-cards');
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('a failed call (non-zero exit, tool error) and a denied one look failed: icon, colour, words and name', async () => {
		const panel = await openPanel(harness, { width });
		const { page } = panel;
		const exit3 = 'Task \'build the whole workspace\' finished with exit code 3.\nOutput:\nhello-from-task';
		await hostPost(page, ...turnStart,
			call(readCall('ok', 'done', { result: { text: 'export const a = 1;', truncated: false } })),
			call(taskCall('error', { result: { text: exit3, truncated: false } })),
			call(mcpCall('denied', { reason: 'Not now' })));
		const done = page.getByRole('group', { name: 'Tool call: read_file, Done' });
		const failed = page.getByRole('group', { name: 'Tool call: run_task, Failed' });
		const denied = page.getByRole('group', { name: 'Tool call: workspace-filesystem__read_multiple_files, Denied' });
		for (const card of [done, failed, denied]) assert.equal(await card.count(), 1);
		assert.equal(await failed.locator('.tool-state').textContent(), 'Failed');
		assert.equal(await failed.locator('.tool-status .codicon-error').count(), 1);
		assert.equal(await failed.locator('.codicon-check').count(), 0, 'no green check on a failed call');
		assert.equal(await denied.locator('.tool-status .codicon-circle-slash').count(), 1);
		assert.equal(await failed.locator('.section-result pre').textContent(), exit3);
		const colour = (card) => card.locator('.tool-status').evaluate((element) => getComputedStyle(element).color);
		assert.notEqual(await colour(failed), await colour(done));
		assert.notEqual(await colour(denied), await colour(done));
		const border = (card) => card.evaluate((element) => getComputedStyle(element).borderLeftWidth);
		assert.equal(await border(failed), '3px');
		assert.equal(await border(done), '1px');
		await screenshot(page, 'narrow-failed-cards');
		await panel.close();
	});

	it('Escape on a card\'s Approve button does not stop the turn; Escape in the composer does', async () => {
		const panel = await openPanel(harness, { width });
		const { page } = panel;
		await hostPost(page, ...turnStart, call(taskCall('awaiting-approval', { approval: asks({ offerAlwaysAllow: false }) })));
		const approve = page.getByRole('button', { name: 'Approve' });
		await approve.focus();
		await clearPosted(page);
		await page.keyboard.press('Escape');
		assert.deepEqual(await posted(page), [], 'no stop from a card');
		assert.equal(await approve.evaluate((element) => element === document.activeElement), true);
		await page.getByRole('button', { name: 'Deny' }).focus();
		await page.keyboard.press('Escape');
		assert.deepEqual(await posted(page), []);
		await page.getByRole('textbox', { name: 'Message' }).press('Escape');
		assert.deepEqual(await posted(page), [{ type: 'stop' }]);
		await panel.close();
	});

	it('Enter with no provider, or without its key, sends nothing, keeps the text and points at the checklist', async () => {
		const init = defaultInit();
		init.state.providers = [];
		delete init.state.selected;
		const panel = await openPanel(harness, { width, init });
		const { page } = panel;
		const box = page.getByRole('textbox', { name: 'Message' });
		await box.fill('What does src/greet.ts do?');
		assert.equal(await page.getByRole('button', { name: 'Send' }).isDisabled(), true);
		await clearPosted(page);
		await box.press('Enter');
		assert.deepEqual(await posted(page), [], 'nothing is sent');
		assert.equal(await box.inputValue(), 'What does src/greet.ts do?');
		assert.equal(await page.getByRole('alert').count(), 0, 'no banner replaces the checklist');
		const steps = page.locator('section.empty-state li.step');
		assert.equal(await steps.count(), 3, 'the checklist stays');
		assert.deepEqual(await steps.evaluateAll((items) => items.map((item) => item.classList.contains('attention'))), [true, false, false]);
		assert.match(await page.getByRole('status').filter({ hasText: 'step' }).textContent(), /Finish step 1 above first: nothing was sent/);
		await screenshot(page, 'narrow-enter-before-setup');

		// A provider that needs a key, without one: step 2 is the one pointed at.
		const keyless = defaultInit();
		keyless.state.providers = [{ id: 'my-gateway', label: 'My Gateway', auth: 'apiKey', hasKey: false, models: ['gw-1'] }];
		keyless.state.selected = { provider: 'my-gateway', model: 'gw-1' };
		await hostPost(page, { type: 'state', state: keyless.state });
		await box.press('Enter');
		assert.deepEqual(await posted(page), []);
		assert.deepEqual(await steps.evaluateAll((items) => items.map((item) => item.classList.contains('attention'))), [false, true, false]);
		assert.equal(await box.inputValue(), 'What does src/greet.ts do?');

		// Once the key is set the same Enter sends, and the pointer is gone.
		keyless.state.providers[0].hasKey = true;
		await hostPost(page, { type: 'state', state: keyless.state });
		assert.equal(await page.locator('li.step.attention').count(), 0);
		await box.press('Enter');
		assert.deepEqual(await posted(page), [{ type: 'send-prompt', text: 'What does src/greet.ts do?' }]);
		assert.equal(await box.inputValue(), '');
		await panel.close();
	});

	it('under a conversation, Enter without a key shows a banner with Set API key and keeps the text', async () => {
		const init = defaultInit();
		init.state.providers = [{ id: 'my-gateway', label: 'My Gateway', auth: 'apiKey', hasKey: false, models: ['gw-1'] }];
		init.state.selected = { provider: 'my-gateway', model: 'gw-1' };
		init.conversation.turns = [{ role: 'user', turnId: 'u0', text: 'hello' }, { role: 'assistant', turnId: 'a0', segments: [{ kind: 'text', text: 'Hi.' }], finish: 'stop' }];
		const panel = await openPanel(harness, { width, init });
		const { page } = panel;
		const box = page.getByRole('textbox', { name: 'Message' });
		await box.fill('next');
		await clearPosted(page);
		await box.press('Enter');
		const banner = page.getByRole('alert');
		assert.match(await banner.textContent(), /Set the API key of My Gateway first/);
		await banner.getByRole('button', { name: 'Set API key' }).click();
		assert.deepEqual(await posted(page), [{ type: 'set-api-key', provider: 'my-gateway' }]);
		assert.equal(await box.inputValue(), 'next');
		await panel.close();
	});

	it('an error banner\'s text uses the width under its actions, not a narrow column beside them', async () => {
		const panel = await openPanel(harness, { width });
		const { page } = panel;
		const message = 'No API key is set for "My Gateway". Choose Set API key and paste the key from the provider\'s console; it is kept in VS Code\'s secret storage.';
		await hostPost(page, { type: 'error', error: { kind: 'auth', message, action: 'set-api-key', provider: 'my-gateway' } });
		const banner = page.getByRole('alert');
		const measured = await banner.evaluate((element) => {
			const text = element.querySelector('.banner-text');
			const actions = element.querySelector('.banner-actions').getBoundingClientRect();
			const range = document.createRange();
			range.selectNodeContents(text);
			const lines = [...range.getClientRects()];
			const inner = element.clientWidth - parseFloat(getComputedStyle(element).paddingLeft) - parseFloat(getComputedStyle(element).paddingRight);
			return { widest: Math.max(...lines.map((line) => line.width)), inner, below: lines.some((line) => line.top >= actions.bottom), height: element.getBoundingClientRect().height };
		});
		assert.ok(measured.widest >= measured.inner * 0.8, `the text's lines use the banner's width (${measured.widest} of ${measured.inner} px)`);
		assert.equal(measured.below, true, 'the text continues under the actions');
		await screenshot(page, 'narrow-error-banner');
		await panel.close();
	});

	it('the transcript\'s last line stays visible when the context meter and the turn\'s footer appear', async () => {
		const panel = await openPanel(harness, { width, height: 500 });
		const { page } = panel;
		const answer = Array.from({ length: 30 }, (_, index) => `Line ${index + 1} of a long answer.`).join('\n\n');
		await hostPost(page, ...turnStart, { type: 'text-delta', turnId: 't1', text: answer });
		await hostPost(page, { type: 'context', context: { usedTokens: 12000, windowTokens: 128000 }, turnId: 't1' },
			{ type: 'usage', turnId: 't1', usage: { inputTokens: 1200, outputTokens: 340 } },
			{ type: 'turn-end', turnId: 't1', reason: 'stop' });
		// Layout settles over a frame or two (ResizeObserver runs after layout).
		await page.waitForTimeout(100);
		const place = await page.evaluate(() => {
			const scroller = document.querySelector('.scroller').getBoundingClientRect();
			const meter = document.querySelector('.context').getBoundingClientRect();
			const last = document.querySelector('.turn-footer').getBoundingClientRect();
			return { lastBottom: last.bottom, scrollerBottom: scroller.bottom, meterTop: meter.top, meterShown: meter.height > 0 };
		});
		assert.equal(place.meterShown, true);
		assert.ok(place.lastBottom <= place.scrollerBottom + 0.5 && place.lastBottom <= place.meterTop + 0.5, `the last line ends at ${place.lastBottom}, the meter starts at ${place.meterTop}`);
		await screenshot(page, 'narrow-last-line-visible');
		await panel.close();
	});

	for (const language of ['zh-cn', 'zh-tw']) {
		it(`says the same in ${language}: a failed card's name and state, the command line, the setup pointer`, async () => {
			// What the host sends in ViewState.l10n: the webview's keys with the bundle's translation of each English text.
			const bundle = JSON.parse(readFileSync(new URL(`../../../l10n/bundle.l10n.${language}.json`, import.meta.url), 'utf8'));
			const english = { toolCallLabel: 'Tool call: {0}, {1}', stateError: 'Failed', stateAwaiting: 'Awaiting approval', commandLine: 'Command line:', setupFirst: 'Finish step {0} above first: nothing was sent, and your message stays in the box.' };
			const l10n = Object.fromEntries(Object.entries(english).map(([key, text]) => [key, bundle[text]]));
			assert.ok(Object.values(l10n).every((text) => typeof text === 'string' && !/[A-Za-z]{4}/.test(text.replace(/\{\d\}/g, ''))), JSON.stringify(l10n));
			const init = defaultInit();
			init.state.l10n = l10n;
			const panel = await openPanel(harness, { width, init });
			const { page } = panel;
			await hostPost(page, ...turnStart, call(taskCall('error', { result: { text: 'exit code 3', truncated: false } })));
			const fill = (template, ...args) => template.replace(/\{(\d)\}/g, (_, index) => args[Number(index)]);
			await page.getByRole('group', { name: fill(l10n.toolCallLabel, 'run_task', l10n.stateError) }).waitFor();
			assert.equal(await page.locator('.tool-state').textContent(), l10n.stateError);
			assert.equal(await page.locator('.tool-detail .visually-hidden').textContent(), l10n.commandLine);
			await screenshot(page, `narrow-failed-card-${language}`);
			await panel.close();

			const empty = defaultInit();
			empty.state.providers = [];
			delete empty.state.selected;
			empty.state.l10n = l10n;
			const setup = await openPanel(harness, { width, init: empty });
			await setup.page.getByRole('textbox').fill('你好');
			await setup.page.getByRole('textbox').press('Enter');
			assert.equal(await setup.page.locator('.setup-hint').textContent(), fill(l10n.setupFirst, 1));
			assert.equal(await setup.page.getByRole('textbox').inputValue(), '你好');
			await setup.close();
		});
	}
});
