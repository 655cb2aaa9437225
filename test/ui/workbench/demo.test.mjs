// `npm run demo` as a visitor sees it: the URL it prints, opened in Chromium, gives a whole tool conversation with
// no key and no settings to edit. Also saves the README's screenshot (test-results/ui/demo-mid-conversation.png).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { launchChromium } from '../../harness/lib.mjs';
import { startDemo } from '../../harness/demo.mjs';
import { revealChat, screenshotDir, send, until } from './support.mjs';

describe('npm run demo: the scripted provider is ready to use at the printed URL', function () {
	this.timeout(240000);
	let demo;
	let browser;

	before(async () => {
		fs.mkdirSync(screenshotDir, { recursive: true });
		demo = await startDemo();
		browser = await launchChromium();
	});
	after(async () => {
		await browser?.close();
		await demo?.stop();
	});

	it('runs a tool conversation without a key: read and answer, then two parallel reads with Approve all', async () => {
		const page = browser.context.pages()[0] ?? (await browser.context.newPage());
		// Taller than the test default so the README screenshot holds a finished answer and the next tool cards.
		await page.setViewportSize({ width: 1400, height: 1000 });
		await page.goto(demo.url);
		await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
		const chat = await revealChat(page);
		const shot = (name) => page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });

		assert.equal(await chat.getByRole('combobox', { name: 'Model' }).locator('option:checked').textContent(), 'scripted-1');
		assert.equal(await chat.getByRole('combobox', { name: 'Model' }).locator('optgroup').first().getAttribute('label'), 'Demo (scripted)', 'the picker names the provider as the issue asks');
		assert.equal(await chat.getByRole('button', { name: 'Set API key' }).count(), 0, 'the demo provider needs no key');

		await send(chat, 'What does src/greet.ts do?');
		await chat.getByRole('group', { name: 'Tool call: read_file' }).getByRole('button', { name: 'Approve' }).click({ timeout: 30000 });
		await chat.getByText(/it defines greet/).waitFor({ timeout: 30000 });
		await chat.getByRole('button', { name: 'Send' }).waitFor({ timeout: 10000 });

		await send(chat, 'Compare README.md and notes.txt');
		const approveAll = chat.getByRole('button', { name: 'Approve all' });
		await approveAll.waitFor({ timeout: 30000 });
		// Let the streamed arguments settle and the view scroll before the picture.
		await until(async () => (await chat.getByRole('group', { name: 'Tool call: read_file' }).getByRole('button', { name: 'Approve' }).count()) === 2, 'two cards awaiting approval');
		await page.waitForTimeout(300);
		await shot('demo-mid-conversation');

		await approveAll.click();
		await chat.getByText('I read 2 results. Here they are:').waitFor({ timeout: 30000 });
		const requests = demo.model.chatRequests();
		assert.equal(requests.length, 4, 'two model requests per prompt: the call, then the answer');
		assert.ok(requests.every((request) => request.status === 200 && request.headers.authorization === undefined), 'no key is sent to the demo model');
		await shot('demo-done');
	});
});
