// The model step in the real workbench: "Add provider" and "Switchboard: Select Model" offer the models the server
// lists (GET {baseUrl}/models) in VS Code's quick pick, and take a typed id both there and where the server does not
// list (here a path on which the scripted model answers 404). Chosen and typed ids land in the provider entry.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import { openWorkbench } from '../../harness/lib.mjs';
import { startScriptedModel } from '../../support/scriptedModel.mjs';
import { watchCsp } from './csp.mjs';
import { revealChat, screenshotDir, until } from './support.mjs';

const LISTED = ['scripted-1', 'scripted-large', 'scripted-mini'];

function quickInput(page) {
	const widget = page.locator('.quick-input-widget');
	return { widget, title: widget.locator('.quick-input-title'), box: widget.locator('.quick-input-box input'), rows: widget.locator('.monaco-list-row') };
}

async function waitForTitle(page, title) {
	const { title: titleLocator } = quickInput(page);
	await until(async () => title.test((await titleLocator.textContent().catch(() => '')) ?? ''), `no quick input titled ${title}`);
}

async function clickRow(page, label) {
	const row = quickInput(page).widget.locator('.monaco-list-row', { hasText: label }).first();
	await row.waitFor({ timeout: 15000 });
	await row.click();
}

/** The visible rows' labels (separators included as their own text). */
async function rowTexts(page) {
	return (await quickInput(page).rows.allTextContents()).map((text) => text.trim());
}

function userSettings(server) {
	const file = path.join(server.state, 'user-data/User/settings.json');
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		// Not written yet, or caught mid-write: the caller polls again.
		return {};
	}
}

describe('workbench: the model step lists the server\'s models and takes typed ids', function () {
	this.timeout(240000);
	let model;
	let workbench;
	let chat;
	const screenshot = (name) => workbench.page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });

	/** The empty state's "Pick a provider preset" → Custom (OpenAI protocol) → base URL → no key. */
	/** What prompts call a provider added from the custom preset: the preset's name, numbered from the second on. */
	const labelPattern = (id) => (id === 'custom-openai' ? 'Custom \\(OpenAI protocol\\)(?! \\d)' : `Custom \\(OpenAI protocol\\) ${id.split('-').pop()}`);

	async function addCustomProvider(baseUrl, id) {
		const { page } = workbench;
		await chat.getByRole('button', { name: 'Pick a provider preset' }).click({ timeout: 30000 });
		await waitForTitle(page, /Add a provider/);
		await clickRow(page, 'Custom (OpenAI protocol)');
		await waitForTitle(page, /base URL/);
		await quickInput(page).box.fill(baseUrl);
		await quickInput(page).box.press('Enter');
		await waitForTitle(page, new RegExp(`${labelPattern(id)}: does this server need an API key`));
		await clickRow(page, 'No, it takes no key');
		await waitForTitle(page, /model id/);
	}

	async function runSelectModel(providerId) {
		const { page } = workbench;
		await page.locator('.monaco-editor .view-lines').first().click();
		await page.keyboard.press('F1');
		await page.keyboard.type('Switchboard: Select Model');
		await clickRow(page, 'Switchboard: Select Model');
		await until(async () => /which provider/.test((await quickInput(page).box.getAttribute('placeholder').catch(() => '')) ?? ''), 'no provider pick');
		// The row's text starts with the label; the first custom provider must not pick the second.
		await clickRow(page, new RegExp(`^${labelPattern(providerId)}`));
		await waitForTitle(page, new RegExp(`${labelPattern(providerId)}: model id`));
	}

	before(async () => {
		model = await startScriptedModel({ models: LISTED, delayMs: 10 });
		fs.mkdirSync(screenshotDir, { recursive: true });
		workbench = await openWorkbench({});
		await watchCsp(workbench.page);
		chat = await revealChat(workbench.page);
	});
	after(async () => {
		await workbench?.close();
		await model?.close();
	});
	afterEach(async function () {
		if (this.currentTest?.state === 'failed') await screenshot(`failed-model-list-${this.currentTest.title.slice(0, 30).replace(/\W+/g, '-')}`).catch(() => {});
	});

	it('Add provider: offers the models a listing server names, and the one clicked becomes the entry\'s model', async () => {
		const { page, server } = workbench;
		await addCustomProvider(model.baseUrl, 'custom-openai');
		const texts = await until(async () => {
			const current = await rowTexts(page);
			return LISTED.every((id) => current.some((text) => text.startsWith(id))) ? current : undefined;
		}, 'the listed models are not all offered');
		assert.ok(texts.some((text) => /Listed by the server/.test(text)), `no "Listed by the server" section in ${JSON.stringify(texts)}`);
		assert.match(await quickInput(page).box.getAttribute('placeholder'), /3 models listed by the server/);
		assert.equal(model.requests.filter((request) => request.method === 'GET' && request.path === '/v1/models').length, 1, 'one GET /v1/models');
		await screenshot('41-model-list-offered');
		await clickRow(page, 'scripted-large');
		await quickInput(page).widget.waitFor({ state: 'hidden', timeout: 15000 });
		const settings = await until(() => {
			const current = userSettings(server);
			return current['switchboard.providers']?.length === 1 && current['switchboard.defaultModel'] ? current : undefined;
		}, 'the provider and default model were not written');
		assert.deepEqual(settings['switchboard.providers'][0].models, ['scripted-large']);
		assert.equal(settings['switchboard.defaultModel'], 'custom-openai/scripted-large');
	});

	it('Add provider against a server that does not list: says so, and the typed id is taken', async () => {
		const { page, server } = workbench;
		await chat.getByRole('button', { name: 'New chat' }).click();
		const nonListing = `${model.url}/gateway/v1`;
		await addCustomProvider(nonListing, 'custom-openai-2');
		await until(async () => /did not list its models \(HTTP 404\)/.test((await quickInput(page).box.getAttribute('placeholder')) ?? ''), 'no "did not list" placeholder');
		await quickInput(page).box.fill('my-own-model');
		await until(async () => (await rowTexts(page))[0]?.startsWith('my-own-model'), 'the typed id is not the first row');
		await screenshot('42-model-list-free-text');
		await quickInput(page).box.press('Enter');
		await quickInput(page).widget.waitFor({ state: 'hidden', timeout: 15000 });
		const settings = await until(() => {
			const current = userSettings(server);
			return current['switchboard.providers']?.length === 2 && current['switchboard.defaultModel'] === 'custom-openai-2/my-own-model' ? current : undefined;
		}, 'the second provider and its default model were not written');
		assert.deepEqual(settings['switchboard.providers'][1], { id: 'custom-openai-2', preset: 'custom-openai', models: ['my-own-model'], baseUrl: nonListing, auth: 'none' });
	});

	it('Select Model: the settings\' models and the server\'s; a listed one or a typed one is added to the entry', async () => {
		const { page, server } = workbench;
		await runSelectModel('custom-openai');
		const texts = await until(async () => {
			const current = await rowTexts(page);
			return current.some((text) => text.startsWith('scripted-mini')) ? current : undefined;
		}, 'the server\'s models are not offered');
		assert.ok(texts.some((text) => /In settings/.test(text)) && texts.some((text) => /Listed by the server/.test(text)), JSON.stringify(texts));
		// The model already in settings is not offered twice.
		assert.equal(texts.filter((text) => text.startsWith('scripted-large')).length, 1, JSON.stringify(texts));
		await screenshot('43-select-model-listed');
		await clickRow(page, 'scripted-mini');
		await quickInput(page).widget.waitFor({ state: 'hidden', timeout: 15000 });
		await until(() => userSettings(server)['switchboard.defaultModel'] === 'custom-openai/scripted-mini', 'the chosen model was not made the default');
		let settings = userSettings(server);
		assert.deepEqual(settings['switchboard.providers'][0].models, ['scripted-large', 'scripted-mini']);
		assert.equal(settings['switchboard.defaultModel'], 'custom-openai/scripted-mini');

		// The non-listing provider: free text only, added the same way.
		await runSelectModel('custom-openai-2');
		await until(async () => /did not list its models/.test((await quickInput(page).box.getAttribute('placeholder')) ?? ''), 'no "did not list" placeholder');
		await quickInput(page).box.fill('another-model');
		await until(async () => (await rowTexts(page))[0]?.startsWith('another-model'), 'the typed id is not the first row');
		await quickInput(page).box.press('Enter');
		await until(() => userSettings(server)['switchboard.defaultModel'] === 'custom-openai-2/another-model', 'the typed model was not made the default');
		settings = userSettings(server);
		assert.deepEqual(settings['switchboard.providers'][1].models, ['my-own-model', 'another-model']);
		assert.equal(settings['switchboard.defaultModel'], 'custom-openai-2/another-model');
	});
});
