// The auth error path in the real workbench: a provider that needs a key, the banner's "Set API key" opening
// VS Code's password input box, and the next request carrying the key. The scripted model checks the Bearer key.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import { startScriptedModel } from '../../support/scriptedModel.mjs';
import { lastAnswer, openChat, scriptedProvider, send, until } from './support.mjs';

const RIGHT_KEY = 'sk-scripted-right-key';

/** Clicks `button` (a "Set API key" in the panel) and types `key` into the workbench's password input box. */
async function setKeyFrom(workbench, button, key) {
	await button.click();
	const input = workbench.page.locator('.quick-input-widget input[type="password"]');
	await input.waitFor({ timeout: 15000 });
	assert.match(await workbench.page.locator('.quick-input-widget').textContent(), /API key for keyed/);
	await input.fill(key);
	await workbench.screenshot(`8-set-api-key-input-${key === RIGHT_KEY ? 'right' : 'wrong'}`);
	await input.press('Enter');
	await input.waitFor({ state: 'hidden', timeout: 15000 });
}

describe('workbench: an auth error banner and Set API key', function () {
	this.timeout(240000);
	let model;
	let workbench;

	before(async () => {
		model = await startScriptedModel({ apiKey: RIGHT_KEY, delayMs: 20 });
		workbench = await openChat(scriptedProvider(model, { id: 'keyed', auth: 'apiKey' }));
	});
	after(async () => {
		await workbench?.close();
		await model?.close();
	});
	afterEach(async function () {
		if (this.currentTest?.state === 'failed') await workbench?.screenshot('failed-auth-banner');
	});

	it('points at the checklist for a missing key, shows the banner for a rejected one, and the request after Set API key carries the key and succeeds', async () => {
		const { chat, screenshot } = workbench;
		const banner = chat.getByRole('alert');

		// No key yet: nothing is sent, the checklist points at its step 2, and the text stays in the box.
		await send(chat, 'What does src/greet.ts do?');
		await chat.locator('li.step.attention').waitFor({ timeout: 30000 });
		assert.equal(await chat.getByRole('textbox', { name: 'Message' }).inputValue(), 'What does src/greet.ts do?');
		assert.equal(model.chatRequests().length, 0, 'no request without a key');
		await screenshot('8-auth-no-key-checklist');

		// A wrong key, set from the checklist: the provider's 401 becomes a banner with Set API key.
		await setKeyFrom(workbench, chat.locator('section.empty-state').getByRole('button', { name: 'Set its API key' }), 'sk-wrong');
		await send(chat, 'What does src/greet.ts do?');
		await until(() => model.chatRequests().length === 1, 'the request with the wrong key never reached the model');
		const rejected = model.chatRequests()[0];
		assert.equal(rejected.headers.authorization, 'Bearer sk-wrong');
		assert.equal(rejected.status, 401);
		await until(async () => /Incorrect API key/.test((await banner.textContent().catch(() => '')) ?? ''), 'no banner for the 401');
		assert.equal(await banner.getByRole('button', { name: 'Set API key' }).count(), 1);
		// The key never reaches the webview, not even inside an error message.
		assert.doesNotMatch(await chat.locator('body').textContent(), /sk-wrong/);
		await screenshot('9-auth-banner-rejected-key');

		// The right key: the retried prompt goes through and the conversation carries on to a tool card.
		await setKeyFrom(workbench, banner.getByRole('button', { name: 'Set API key' }), RIGHT_KEY);
		await send(chat, 'What does src/greet.ts do?');
		const card = lastAnswer(chat).getByRole('group', { name: 'Tool call: read_file' });
		await card.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 30000 });
		const accepted = model.chatRequests().at(-1);
		assert.equal(accepted.headers.authorization, `Bearer ${RIGHT_KEY}`);
		assert.equal(accepted.status, 200);
		assert.equal(await banner.count(), 0, 'the banner is gone once a request succeeds');
		assert.doesNotMatch(await chat.locator('body').textContent(), new RegExp(RIGHT_KEY));
		await screenshot('10-auth-fixed-tool-card');
	});
});
