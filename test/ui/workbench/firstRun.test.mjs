// A new user's first minutes in the real workbench, with a provider that needs a key and has a label ("My Gateway"):
// Enter before the key is set, Test Connection without a key, the key prompt named by the label, a run_task card
// in a 300 px side bar that shows the task and its command line, Escape on that card, the task's exit code 3 shown
// as a failure, and Export Chat into a folder that survives, confirmed with "Open".
/* global getComputedStyle */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import { makeTempDir } from '../../harness/lib.mjs';
import { startScriptedModel } from '../../support/scriptedModel.mjs';
import { DEMO_MODEL, lastAnswer, openChat, resizeSidebar, send, until } from './support.mjs';

const KEY = 'sk-first-run-0123456789';
const LABEL = 'My Gateway';

/** Runs a command from the palette by its title, as a user would (F1, type, click the row). */
async function runCommand(page, title) {
	await page.locator('.monaco-editor .view-lines').first().click();
	await page.keyboard.press('F1');
	const input = page.locator('.quick-input-widget .quick-input-box input');
	await input.waitFor({ timeout: 15000 });
	await input.fill(`>${title}`);
	const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
	await row.waitFor({ timeout: 15000 });
	await row.click();
}

/**
 * The notification whose message matches `text`. Under the test runner's smoke-test driver the workbench shows no
 * toasts, so this opens the notification center (the bell), where every notification is listed.
 */
async function notification(page, text) {
	const rows = page.locator('.notifications-center .monaco-list-row', { hasText: text });
	if (!(await page.locator('.notifications-center.visible').count())) {
		await page.locator('.monaco-editor .view-lines').first().click();
		await page.keyboard.press('F1');
		await page.locator('.quick-input-widget .quick-input-box input').fill('>Notifications: Show Notifications');
		await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Notifications' }).first().click({ timeout: 15000 });
	}
	await rows.first().waitFor({ timeout: 30000 });
	return rows.first();
}

describe('workbench: a new user\'s first run with a labelled provider that needs a key', function () {
	this.timeout(240000);
	let model;
	let workbench;
	let home;

	before(async () => {
		model = await startScriptedModel({ apiKey: KEY, delayMs: 20 });
		// A home folder of its own, with a Documents folder: where Export should propose to save.
		home = makeTempDir('switchboard-home-');
		fs.mkdirSync(path.join(home, 'Documents'));
		const provider = { id: 'my-gateway', label: LABEL, protocol: 'openai', baseUrl: model.baseUrl, models: [DEMO_MODEL], auth: 'apiKey' };
		workbench = await openChat(provider, {}, { env: { HOME: home } });
	});
	after(async () => {
		await workbench?.close();
		await model?.close();
		if (home) fs.rmSync(home, { recursive: true, force: true });
	});
	afterEach(async function () {
		if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-first-run-${this.currentTest.title.slice(0, 30).replace(/\W+/g, '-')}`);
	});

	it('Enter before the key is set sends nothing, keeps the text and points at step 2 of the checklist', async () => {
		const { chat, screenshot } = workbench;
		const box = chat.getByRole('textbox', { name: 'Message' });
		await send(chat, 'Run the task \'echo and fail\'');
		await chat.locator('li.step.attention').waitFor({ timeout: 15000 });
		assert.equal(await box.inputValue(), 'Run the task \'echo and fail\'');
		assert.deepEqual(await chat.locator('section.empty-state li.step').evaluateAll((items) => items.map((item) => item.classList.contains('attention'))), [false, true, false]);
		assert.match(await chat.locator('.setup-hint').textContent(), /Finish step 2 above first/);
		assert.equal(await chat.getByRole('alert').count(), 0);
		assert.equal(model.requests.length, 0, 'nothing reached the model');
		await screenshot('first-run-enter-before-key');
	});

	it('Test Connection without a key says so, sends nothing, and offers to set it; the prompt names the label', async () => {
		const { page, screenshot } = workbench;
		await runCommand(page, 'Switchboard: Test Connection');
		const warning = await notification(page, `${LABEL} needs an API key, and none is set. Nothing was sent.`);
		assert.equal(model.requests.length, 0, 'no request without Authorization');
		await screenshot('first-run-test-connection-no-key');
		await warning.getByRole('button', { name: 'Set API Key' }).click();

		const widget = page.locator('.quick-input-widget');
		const password = widget.locator('input[type="password"]');
		await password.waitFor({ timeout: 15000 });
		assert.equal(await widget.locator('.quick-input-title').textContent(), `API key for ${LABEL}`);
		await screenshot('first-run-key-prompt-label');
		await password.fill(KEY);
		await password.press('Enter');
		// With the key, the test goes ahead and reaches the model with it.
		await until(() => model.chatRequests().length === 1, 'Test Connection did not run once the key was set');
		assert.equal(model.chatRequests()[0].headers.authorization, `Bearer ${KEY}`);
		await notification(page, `${LABEL}/${DEMO_MODEL} answered`);
		await page.keyboard.press('Escape');
	});

	it('a run_task card in a 300 px side bar shows the task and its command line; Escape on it keeps the turn; exit 3 shows as failed', async () => {
		const { page, chat, screenshot } = workbench;
		await resizeSidebar(page, 300);
		const frameWidth = await chat.locator('body').evaluate((body) => body.clientWidth);
		assert.ok(frameWidth <= 310, `the panel is ${frameWidth} px wide`);
		const box = chat.getByRole('textbox', { name: 'Message' });
		assert.equal(await box.inputValue(), 'Run the task \'echo and fail\'', 'the text typed before setup is still there');
		await box.press('Enter');

		const card = lastAnswer(chat).getByRole('group', { name: 'Tool call: run_task' });
		const approve = card.getByRole('button', { name: 'Approve' });
		await approve.waitFor({ timeout: 30000 });
		const summary = card.locator('.tool-summary');
		assert.equal(await summary.textContent(), 'Run task \'echo and fail\'');
		const folderName = path.basename(workbench.workspace);
		const command = card.locator('.tool-detail code');
		// Resolved from tasks.json, ${workspaceFolderBasename} included, as the task terminal will run it.
		assert.equal(await command.textContent(), `echo hello-from-task; echo to-stderr 1>&2; echo folder=${folderName}; exit 3`);
		for (const part of [summary, command]) {
			const fits = await part.evaluate((element) => {
				const cardBox = element.closest('.tool-card').getBoundingClientRect();
				const box = element.getBoundingClientRect();
				return box.right <= cardBox.right + 0.5 && element.scrollWidth <= element.clientWidth + 1 && getComputedStyle(element).textOverflow !== 'ellipsis';
			});
			assert.equal(fits, true, `${await part.textContent()} is cut`);
		}
		await screenshot('first-run-task-card-300px');

		// Escape with the keyboard on Approve: the turn goes on.
		await approve.focus();
		await page.keyboard.press('Escape');
		await page.waitForTimeout(500);
		assert.equal(await approve.isEnabled(), true, 'the card still waits for an answer');
		assert.equal(await chat.getByRole('button', { name: 'Stop' }).count(), 1, 'the turn is still running');
		assert.equal(await lastAnswer(chat).locator('.finish-interrupted').count(), 0);

		await approve.click();
		const failed = lastAnswer(chat).getByRole('group', { name: 'Tool call: run_task, Failed' });
		await failed.waitFor({ timeout: 60000 });
		assert.equal(await failed.locator('.tool-state').textContent(), 'Failed');
		assert.equal(await failed.locator('.tool-status .codicon-error').count(), 1);
		assert.equal(await failed.locator('.codicon-check').count(), 0);
		assert.match(await failed.locator('.section-result pre').textContent(), /finished with exit code 3\./);
		await until(async () => (await chat.getByRole('button', { name: 'Send' }).count()) === 1, 'the turn did not end');
		await screenshot('first-run-task-failed-300px');
	});

	it('Export Chat proposes ~/Documents (not the workspace), confirms with Open, and then proposes the last folder', async () => {
		const { page, screenshot } = workbench;
		await runCommand(page, 'Switchboard: Export Chat');
		const input = page.locator('.quick-input-widget .quick-input-box input');
		const proposed = await until(async () => {
			const value = await input.inputValue().catch(() => '');
			return value.includes('switchboard-chat-') ? value : undefined;
		}, 'no save dialog with the export file name');
		assert.ok(proposed.startsWith(path.join(home, 'Documents') + path.sep), `proposed ${proposed}`);
		assert.ok(!proposed.startsWith(workbench.workspace), 'never into the workspace');
		await screenshot('first-run-export-dialog');
		// The user picks another folder; the next export proposes that one.
		const exports = path.join(home, 'exports');
		fs.mkdirSync(exports);
		const written = 'first-chat.md';
		await input.fill(path.join(exports, written));
		// Enter right after typing is taken by the dialog's path completion; OK accepts the typed path.
		await page.waitForTimeout(500);
		await page.locator('.quick-input-widget').getByRole('button', { name: 'OK' }).click();
		await until(() => fs.existsSync(path.join(exports, written)), 'the export was not written');
		assert.match(fs.readFileSync(path.join(exports, written), 'utf8'), /echo and fail/);

		const confirmation = await notification(page, 'chat exported to');
		assert.match(await confirmation.textContent(), new RegExp(written.replace(/\./g, '\\.')));
		await screenshot('first-run-export-confirmation');
		await confirmation.getByRole('button', { name: 'Open' }).click();
		await page.getByRole('tab', { name: new RegExp(written.replace(/\./g, '\\.')) }).waitFor({ timeout: 15000 });

		await runCommand(page, 'Switchboard: Export Chat');
		const next = await until(async () => {
			const value = await input.inputValue().catch(() => '');
			return value.includes('switchboard-chat-') ? value : undefined;
		}, 'no second save dialog');
		assert.ok(next.startsWith(exports + path.sep), `proposed ${next}`);
		await page.keyboard.press('Escape');
	});
});
