// The chat in VS Code's Simplified Chinese display language: the manifest (package.nls.zh-cn.json), the host's
// messages (l10n bundle, tool card summaries included) and the webview's strings (sent by the host in ViewState.l10n).
// code-server ships no language pack and the marketplace is out of reach, so the test installs a minimal zh-cn
// language pack the way VS Code records one (languagepacks.json in the user-data folder, with empty translations:
// VS Code's own UI stays English) and sets the display language in argv.json, as "Configure Display Language" does.
// What the extension sees is the same as with the real pack: vscode.env.language is 'zh-cn'.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import { REPO_DIR, SAMPLE_WORKSPACE, copyDir, launchChromium, startCodeServer, webviewFrame, workbenchUrl } from '../../harness/lib.mjs';
import { startScriptedModel } from '../../support/scriptedModel.mjs';
import { DEMO_MODEL, scriptedProvider, screenshotDir, until, widenSidebar } from './support.mjs';

/** Records a zh-cn language pack with no translations of VS Code itself and picks it as the display language. */
function installDisplayLanguage(server, locale) {
	const userData = path.join(server.state, 'user-data');
	const pack = path.join(server.state, 'language-pack');
	fs.mkdirSync(pack, { recursive: true });
	fs.writeFileSync(path.join(pack, 'main.i18n.json'), JSON.stringify({ contents: {} }));
	const entry = { hash: `switchboard-test-${locale}`, label: locale, extensions: [{ extensionIdentifier: { id: 'switchboard-test.language-pack-zh-cn' }, version: '1.0.0' }], translations: { vscode: path.join(pack, 'main.i18n.json') } };
	fs.writeFileSync(path.join(userData, 'languagepacks.json'), JSON.stringify({ [locale]: entry }));
	fs.writeFileSync(path.join(userData, 'User', 'argv.json'), JSON.stringify({ locale }));
}

/** code-server in `locale` with the scripted model as the only provider; Chromium on a copy of the sample workspace. */
async function openInLanguage(model, locale) {
	const provider = scriptedProvider(model);
	const server = await startCodeServer({ settings: { 'switchboard.providers': [provider], 'switchboard.defaultModel': `${provider.id}/${DEMO_MODEL}` } });
	installDisplayLanguage(server, locale);
	const folder = copyDir(SAMPLE_WORKSPACE);
	const browser = await launchChromium();
	const page = browser.context.pages()[0] ?? (await browser.context.newPage());
	const close = async () => {
		await browser.close();
		await server.stop();
		fs.rmSync(folder, { recursive: true, force: true });
	};
	try {
		await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPath: REPO_DIR }));
		await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
	} catch (error) {
		await close();
		throw error;
	}
	return { page, close };
}

/** Opens greet.ts, reveals the Switchboard view from the activity bar and widens the side bar; returns the webview. */
async function revealChat(page) {
	await page.keyboard.press('Control+P');
	await page.keyboard.type('greet.ts');
	await page.locator('.quick-input-list .monaco-list-row', { hasText: 'greet.ts' }).first().waitFor({ timeout: 30000 });
	await page.keyboard.press('Enter');
	await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30000 });
	await page.getByRole('tab', { name: /^Switchboard/ }).click({ timeout: 60000 });
	await widenSidebar(page, 560);
	return webviewFrame(page);
}

/**
 * The command palette's rows for `filter`, once `expected` is among them. The list is virtual: only the rows that
 * fit are in the page, so a filter that matches many commands may leave the one asked about out.
 */
async function paletteTitles(page, expected, filter = 'Switchboard') {
	await page.locator('.monaco-editor .view-lines').first().click();
	await page.keyboard.press('F1');
	await page.keyboard.type(filter);
	const rows = page.locator('.quick-input-list .monaco-list-row');
	await until(async () => (await rows.allTextContents()).some((text) => text.includes(expected)), `no "${expected}" in the command palette`);
	return rows.allTextContents();
}

describe('workbench: the chat in Simplified Chinese', function () {
	this.timeout(240000);
	let model;
	let workbench;
	let page;
	let chat;
	const screenshot = (name) => page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });

	before(async () => {
		fs.mkdirSync(screenshotDir, { recursive: true });
		model = await startScriptedModel({ delayMs: 10 });
		workbench = await openInLanguage(model, 'zh-cn');
		page = workbench.page;
	});
	after(async () => {
		await workbench?.close();
		await model?.close();
	});
	afterEach(async function () {
		if (this.currentTest?.state === 'failed' && page) await screenshot('failed-l10n-zh-cn').catch(() => {});
	});

	it('shows the view title and the panel in Chinese', async () => {
		chat = await revealChat(page);
		// The accessible name, placeholder and buttons come from the host's translations (ViewState.l10n).
		const box = chat.getByRole('textbox', { name: '消息' });
		await box.waitFor({ timeout: 60000 });
		assert.equal(await box.getAttribute('placeholder'), '随便问（Enter 发送，Shift+Enter 换行）');
		await chat.getByRole('button', { name: '新建聊天' }).waitFor();
		// The view's name comes from package.nls.zh-cn.json.
		await until(async () => /聊天/.test((await page.locator('.part.sidebar .pane-header, .part.sidebar .title-label').allTextContents()).join(' ')), 'the view title is not Chinese');
	});

	it('shows a tool call card awaiting approval with Chinese buttons', async () => {
		const box = chat.getByRole('textbox', { name: '消息' });
		await box.fill('src/greet.ts 是做什么的？');
		await box.press('Enter');
		const card = chat.locator('.tool-card').first();
		await chat.getByRole('button', { name: '批准', exact: true }).waitFor({ timeout: 30000 });
		await chat.getByRole('button', { name: '拒绝', exact: true }).waitFor();
		assert.match(await card.textContent(), /等待批准/);
		// The summary and forced-ask reason come from the tools as phrases, translated by the host; the risk badge by the webview.
		assert.equal(await card.locator('.tool-summary').textContent(), '读取 src/greet.ts');
		assert.equal(await card.locator('.tool-risk').textContent(), '读取');
		await screenshot('l10n-zh-cn-panel');
		await chat.getByRole('button', { name: '批准', exact: true }).click();
		await until(async () => /完成/.test((await card.textContent()) ?? ''), 'the approved call never showed as done');
		await until(async () => (await chat.getByRole('button', { name: '发送' }).count()) === 1, 'the send button did not come back after the turn');
		await screenshot('l10n-zh-cn-answered');
	});

	it('titles the commands in Chinese in the command palette', async () => {
		// One filter per title: 'Switchboard' alone matches more commands than the virtual list draws.
		await paletteTitles(page, 'Switchboard: 新建聊天', 'Switchboard: 新建');
		await page.keyboard.press('Escape');
		const titles = await paletteTitles(page, 'Switchboard: 设置 API 密钥', 'Switchboard: 设置 API');
		assert.ok(titles.some((text) => text.includes('Switchboard: 设置 API 密钥')), titles.join(' | '));
		await screenshot('l10n-zh-cn-commands');
		await page.keyboard.press('Escape');
	});
});

describe('workbench: the chat in Traditional Chinese', function () {
	this.timeout(240000);
	let model;
	let workbench;

	before(async () => {
		model = await startScriptedModel({ delayMs: 10 });
		workbench = await openInLanguage(model, 'zh-tw');
	});
	after(async () => {
		await workbench?.close();
		await model?.close();
	});

	it('shows the panel and the command titles in Taiwan usage', async () => {
		const { page } = workbench;
		const chat = await revealChat(page);
		const box = chat.getByRole('textbox', { name: '訊息' });
		await box.waitFor({ timeout: 60000 });
		assert.equal(await box.getAttribute('placeholder'), '儘管問（Enter 傳送，Shift+Enter 換行）');
		await chat.getByRole('button', { name: '新增聊天' }).waitFor();
		await page.screenshot({ path: path.join(screenshotDir, 'l10n-zh-tw-panel.png') });
		await paletteTitles(page, 'Switchboard: 設定 API 金鑰', 'Switchboard: 設定 API');
		await page.keyboard.press('Escape');
		const titles = await paletteTitles(page, 'Switchboard: 顯示記錄', 'Switchboard: 顯示');
		assert.ok(titles.some((text) => text.includes('Switchboard: 顯示記錄')), titles.join(' | '));
		await page.keyboard.press('Escape');
	});
});
