// The auth error path in the real workbench: a provider that needs a key, the banner's "Set API key" opening
// VS Code's password input box, and the next request carrying the key. The scripted model checks the Bearer key.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import { startScriptedModel } from '../../support/scriptedModel.mjs';
import { lastAnswer, openChat, scriptedProvider, send, until } from './support.mjs';

const RIGHT_KEY = 'sk-scripted-right-key';

/** Clicks the banner's "Set API key" and types `key` into the workbench's password input box. */
async function setKeyFromBanner(workbench, key) {
	const banner = workbench.chat.getByRole('alert');
	await banner.getByRole('button', { name: 'Set API key' }).click();
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

	it('shows the banner for a missing and for a rejected key, and the request after Set API key carries the key and succeeds', async () => {
		const { chat, screenshot } = workbench;
		const banner = chat.getByRole('alert');

		// No key yet: the banner says so before anything is sent.
		await send(chat, 'What does src/greet.ts do?');
		await banner.getByRole('button', { name: 'Set API key' }).waitFor({ timeout: 30000 });
		assert.match(await banner.textContent(), /Authentication failed/);
		assert.equal(model.chatRequests().length, 0, 'no request without a key');
		await screenshot('8-auth-banner-no-key');

		// A wrong key: the provider's 401 becomes the same banner.
		await setKeyFromBanner(workbench, 'sk-wrong');
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
		await setKeyFromBanner(workbench, RIGHT_KEY);
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
