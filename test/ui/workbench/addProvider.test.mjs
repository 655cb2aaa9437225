// The empty state's first step in the real workbench, as a new user meets it: no provider configured, "Pick a
// provider preset" in the panel, VS Code's own quick pick and input boxes (outside the webview), the key in the
// password box, and then a tool call approved against the provider just added. The "Custom (OpenAI protocol)"
// preset asks for a base URL, so it can point at the scripted local model, which insists on the key typed here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import { openWorkbench } from '../../harness/lib.mjs';
import { startScriptedModel } from '../../support/scriptedModel.mjs';
import { watchCsp } from './csp.mjs';
import { DEMO_MODEL, lastAnswer, lastToolResults, revealChat, screenshotDir, send, until } from './support.mjs';

// A canary: if it shows up in settings.json or the webview, the key leaked.
// Not key-shaped on purpose: found by its exact text, never by a pattern that redaction might also catch.
const CANARY_KEY = 'canary-add-provider-7f3a91';
const PRESET_LABEL = 'Custom (OpenAI protocol)';
const PROVIDER_ID = 'custom-openai';
/** What prompts call it: the preset's name, not the id (the second one is numbered as its id is). */
const PROVIDER_LABEL = 'Custom \\(OpenAI protocol\\)';

/** The workbench's quick input (VS Code's own widget, not inside the webview). */
function quickInput(page) {
	const widget = page.locator('.quick-input-widget');
	return { widget, title: widget.locator('.quick-input-title'), box: widget.locator('.quick-input-box input') };
}

/** Waits until the quick input's title matches `title`, types `value` and confirms with Enter. */
async function answerInputBox(page, title, value) {
	const { title: titleLocator, box } = quickInput(page);
	await until(async () => title.test((await titleLocator.textContent().catch(() => '')) ?? ''), `no input box titled ${title}`);
	await box.fill(value);
	return box;
}

/** Waits for a quick pick titled `title` and clicks the row labelled `label`, after `beforeClick` (a screenshot). */
async function pickItem(page, title, label, beforeClick = async () => {}) {
	const { widget, title: titleLocator } = quickInput(page);
	await until(async () => title.test((await titleLocator.textContent().catch(() => '')) ?? ''), `no quick pick titled ${title}`);
	const row = widget.locator('.monaco-list-row', { hasText: label }).first();
	await row.waitFor({ timeout: 15000 });
	await beforeClick();
	await row.click();
}

/** The provider (optgroup label: the provider's label) and model of the picker's selected option. */
function pickedModel(picker) {
	return picker.evaluate((select) => {
		const option = select.selectedOptions[0];
		return option ? `${option.parentElement?.getAttribute('label') ?? ''}/${option.textContent}` : '';
	});
}

function readUserSettings(server) {
	return fs.readFileSync(path.join(server.state, 'user-data/User/settings.json'), 'utf8');
}

describe('workbench: empty state step 1, a provider from a preset', function () {
	this.timeout(240000);
	let model;
	let workbench;
	let chat;
	const screenshot = (name) => workbench.page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });

	before(async () => {
		model = await startScriptedModel({ apiKey: CANARY_KEY, delayMs: 20 });
		fs.mkdirSync(screenshotDir, { recursive: true });
		// No switchboard.providers at all: what `npm start` gives a new user.
		workbench = await openWorkbench({});
		try {
			await watchCsp(workbench.page);
			chat = await revealChat(workbench.page);
		} catch (error) {
			await screenshot('failed-add-provider-open').catch(() => {});
			throw error;
		}
	});
	after(async () => {
		await workbench?.close();
		await model?.close();
	});
	afterEach(async function () {
		if (this.currentTest?.state === 'failed') await screenshot('failed-add-provider').catch(() => {});
	});

	it('adds a provider through the quick pick and input boxes, stores its key, and a tool call is approved against it', async () => {
		const { page, server } = workbench;
		const picker = chat.getByRole('combobox', { name: 'Model' });

		// The empty state says what to do, and nothing is configured yet.
		const emptyState = chat.locator('section.empty-state');
		await emptyState.getByRole('heading', { name: 'Switchboard' }).waitFor({ timeout: 30000 });
		const pickPreset = emptyState.getByRole('button', { name: 'Pick a provider preset' });
		const setKey = emptyState.getByRole('button', { name: 'Set its API key' });
		await pickPreset.waitFor();
		assert.equal(await setKey.isDisabled(), true, 'step 2 waits for step 1');
		assert.equal(await picker.isDisabled(), true);
		assert.match(await picker.textContent(), /No models configured/);
		await screenshot('11-empty-state-no-provider');

		// Step 1: the preset quick pick, filtered by typing as a user would.
		await pickPreset.click();
		const { widget, title, box } = quickInput(page);
		await until(async () => /Add a provider/.test((await title.textContent().catch(() => '')) ?? ''), 'no "Add a provider" quick pick');
		await box.fill('Custom (OpenAI');
		const row = widget.locator('.monaco-list-row', { hasText: PRESET_LABEL });
		await row.first().waitFor({ timeout: 15000 });
		await screenshot('12-add-provider-preset-pick');
		await row.first().click();

		// This preset has no default host: the base URL box comes next, then the model id.
		const baseUrlBox = await answerInputBox(page, /base URL/, model.baseUrl);
		await screenshot('13-add-provider-base-url');
		await baseUrlBox.press('Enter');
		// A custom server may take no key; this one does.
		await pickItem(page, new RegExp(`^${PROVIDER_LABEL}: does this server need an API key\\?`), 'Yes, it needs an API key');
		const modelBox = await answerInputBox(page, /model id/, DEMO_MODEL);
		await modelBox.press('Enter');

		// Then Set API key's password box, for this provider, without going back to the panel.
		const password = widget.locator('input[type="password"]');
		await password.waitFor({ timeout: 15000 });
		assert.match(await title.textContent(), new RegExp(`^API key for ${PROVIDER_LABEL}$`));
		await password.fill(CANARY_KEY);
		await screenshot('14-add-provider-api-key');
		await password.press('Enter');
		await widget.waitFor({ state: 'hidden', timeout: 15000 });

		// The picker shows the new provider's model, selected, and no longer marked "(no key)".
		await until(async () => (await pickedModel(picker).catch(() => '')) === `Custom (OpenAI protocol)/${DEMO_MODEL}`, 'the picker does not show the new provider/model with its key');
		// Both steps done in the empty state, and no Set API key anywhere in the panel (SecretStorage has the key).
		await until(async () => (await emptyState.locator('li.step.done').count()) === 2, 'steps 1 and 2 are not both marked done');
		assert.equal(await chat.getByRole('button', { name: 'Set API key' }).count(), 0);
		await screenshot('15-add-provider-ready');

		// The user settings hold the provider and the default model, never the key.
		const settingsText = await until(() => {
			const text = readUserSettings(server);
			return text.includes(PROVIDER_ID) && text.includes('defaultModel') ? text : undefined;
		}, 'settings.json never got the provider');
		const settings = JSON.parse(settingsText);
		assert.deepEqual(settings['switchboard.providers'], [{ id: PROVIDER_ID, preset: PROVIDER_ID, models: [DEMO_MODEL], baseUrl: model.baseUrl }]);
		assert.equal(settings['switchboard.defaultModel'], `${PROVIDER_ID}/${DEMO_MODEL}`);
		assert.doesNotMatch(settingsText, new RegExp(CANARY_KEY));
		assert.equal(model.chatRequests().length, 0, 'adding a provider sends no chat request');

		// Step 3: a prompt goes to the new provider with the key, and a tool call is approved against it.
		await send(chat, 'What does src/greet.ts do?');
		const answer = lastAnswer(chat);
		const card = answer.getByRole('group', { name: 'Tool call: read_file' });
		const approve = card.getByRole('button', { name: 'Approve' });
		await approve.waitFor({ timeout: 30000 });
		const first = model.chatRequests()[0];
		assert.equal(first.headers.authorization, `Bearer ${CANARY_KEY}`);
		assert.equal(first.status, 200);
		assert.equal(first.json?.model, DEMO_MODEL);
		await screenshot('16-add-provider-tool-card');

		await approve.click();
		await until(async () => (await card.locator('.tool-state').textContent()) === 'Done', 'the card did not reach Done');
		await answer.getByText(/it defines greet/).waitFor({ timeout: 30000 });
		await until(async () => (await chat.getByRole('button', { name: 'Send' }).count()) === 1, 'the turn did not end (no Send button)');
		assert.equal(model.chatRequests().length, 2);
		assert.ok(model.chatRequests().every((request) => request.headers.authorization === `Bearer ${CANARY_KEY}`));
		assert.match(lastToolResults(model)[0] ?? '', /export function greet/);
		// The webview never holds the key.
		assert.doesNotMatch(await chat.locator('body').textContent(), new RegExp(CANARY_KEY));
		await screenshot('17-add-provider-tool-done');
	});

	it('adds a second, keyless custom server ("no key"): no password box, and its requests carry no Authorization', async () => {
		const { page, server } = workbench;
		const keyless = await startScriptedModel({ delayMs: 20 });
		try {
			await chat.getByRole('button', { name: 'New chat' }).click();
			const pickPreset = chat.locator('section.empty-state').getByRole('button', { name: 'Pick a provider preset' });
			await pickPreset.click({ timeout: 15000 });
			await pickItem(page, /Add a provider/, PRESET_LABEL);
			await (await answerInputBox(page, /base URL/, keyless.baseUrl)).press('Enter');
			// The id is made unique, and the key question names it.
			await pickItem(page, new RegExp(`^${PROVIDER_LABEL} 2: does this server need an API key\\?`), 'No, it takes no key', () => screenshot('18-add-provider-key-or-no-key'));
			await (await answerInputBox(page, /model id/, DEMO_MODEL)).press('Enter');
			const { widget } = quickInput(page);
			await widget.waitFor({ state: 'hidden', timeout: 15000 });

			const picker = chat.getByRole('combobox', { name: 'Model' });
			await until(async () => (await pickedModel(picker).catch(() => '')) === `Custom (OpenAI protocol) 2/${DEMO_MODEL}`, 'the picker does not select the keyless provider');
			assert.equal(await chat.getByRole('button', { name: 'Set API key' }).count(), 0, 'a keyless provider asks for no key');
			const settings = JSON.parse(await until(() => {
				const text = readUserSettings(server);
				return text.includes(`${PROVIDER_ID}-2`) ? text : undefined;
			}, 'settings.json never got the second provider'));
			assert.deepEqual(settings['switchboard.providers'][1], { id: `${PROVIDER_ID}-2`, preset: PROVIDER_ID, models: [DEMO_MODEL], baseUrl: keyless.baseUrl, auth: 'none' });
			assert.equal(settings['switchboard.defaultModel'], `${PROVIDER_ID}-2/${DEMO_MODEL}`);
			await screenshot('19-add-provider-keyless-ready');

			const before = model.chatRequests().length;
			await send(chat, 'What does src/greet.ts do?');
			const card = lastAnswer(chat).getByRole('group', { name: 'Tool call: read_file' });
			await card.getByRole('button', { name: 'Approve' }).click({ timeout: 30000 });
			await until(async () => (await card.locator('.tool-state').textContent()) === 'Done', 'the card did not reach Done');
			await lastAnswer(chat).getByText(/it defines greet/).waitFor({ timeout: 30000 });
			assert.equal(keyless.chatRequests().length, 2);
			assert.ok(keyless.chatRequests().every((request) => request.headers.authorization === undefined), 'no key is sent to a keyless server');
			assert.equal(model.chatRequests().length, before, 'the first provider got nothing');
			await screenshot('20-add-provider-keyless-tool-done');
		} finally {
			await keyless.close();
		}
	});
});
