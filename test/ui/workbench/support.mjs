// Drives the Switchboard chat in the real workbench (code-server + Chromium) against the scripted local model.
// Providers are plain user settings written before the workbench starts, as a user would write them.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_DIR, openWorkbench, webviewFrame } from '../../harness/lib.mjs';
import { watchCsp } from './csp.mjs';
import { after, afterEach, before } from 'mocha';
import { startScriptedModel } from '../../support/scriptedModel.mjs';

/**
 * Mocha hooks for a describe block on one workbench talking to the scripted model: both start before the first
 * test and close after the last; a failed test leaves a screenshot. Read `suite.workbench` and `suite.model` in tests.
 */
export function scriptedWorkbenchSuite(modelOptions = { delayMs: 20 }) {
	const suite = { model: undefined, workbench: undefined };
	before(async () => {
		suite.model = await startScriptedModel(modelOptions);
		suite.workbench = await openChat(scriptedProvider(suite.model));
	});
	after(async () => {
		await suite.workbench?.close();
		await suite.model?.close();
	});
	afterEach(async function () {
		if (this.currentTest?.state === 'failed') await suite.workbench?.screenshot(`failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
	});
	return suite;
}

export const screenshotDir = path.join(REPO_DIR, 'test-results', 'ui');
export const DEMO_MODEL = 'scripted-1';

/**
 * A `switchboard.providers` entry for a scripted model.
 * @param {{ baseUrl: string }} model
 * @param {{ id?: string, auth?: 'apiKey' | 'none' }} [options]
 */
export function scriptedProvider(model, { id = 'demo', auth = 'none' } = {}) {
	return { id, protocol: 'openai', baseUrl: model.baseUrl, models: [DEMO_MODEL], auth };
}

/** Polls `check` until it returns a truthy value; fails with `message` (and the last value seen) after `timeoutMs`. */
export async function until(check, message, timeoutMs = 20000) {
	const started = Date.now();
	let last;
	for (;;) {
		last = await check();
		if (last) return last;
		if (Date.now() - started > timeoutMs) throw new Error(`${message} (waited ${timeoutMs} ms; last value ${JSON.stringify(last)})`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/**
 * Opens the workbench with `provider` as the only provider and the default model, reveals the Chat view and
 * waits for the message box. Returns the workbench plus `chat` (the webview's frame), `screenshot(name)` and `csp`
 * (the violations seen; any new one fails the running test).
 */
export async function openChat(provider, extraSettings = {}, { env } = {}) {
	fs.mkdirSync(screenshotDir, { recursive: true });
	const workbench = await openWorkbench({
		settings: { 'switchboard.providers': [provider], 'switchboard.defaultModel': `${provider.id}/${DEMO_MODEL}`, ...extraSettings },
		env,
	});
	try {
		// Before the Chat view exists, so its webview frames are watched from their first line (see csp.mjs).
		const csp = await watchCsp(workbench.page);
		const chat = await revealChat(workbench.page);
		const screenshot = (name) => workbench.page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
		return { ...workbench, chat, screenshot, csp };
	} catch (error) {
		await workbench.page.screenshot({ path: path.join(screenshotDir, 'open-chat-failed.png') }).catch(() => {});
		await workbench.close();
		throw error;
	}
}

/**
 * In a loaded workbench: opens src/greet.ts in an editor (the screenshots then read like real use), reveals the
 * Switchboard Chat view from the activity bar, widens the side bar and waits for the message box.
 * Returns the webview's frame.
 */
export async function revealChat(page) {
	await page.keyboard.press('Control+P');
	await page.keyboard.type('greet.ts');
	// Enter before the file search answers would pick nothing.
	await page.locator('.quick-input-list .monaco-list-row', { hasText: 'greet.ts' }).first().waitFor({ timeout: 30000 });
	await page.keyboard.press('Enter');
	await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30000 });
	await page.getByRole('tab', { name: /^Switchboard/ }).click({ timeout: 60000 });
	await widenSidebar(page, 520);
	const chat = webviewFrame(page);
	await chat.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 60000 });
	return chat;
}

/** Drags the sash between the side bar and the editor so the chat has room, as a user would. */
export async function widenSidebar(page, width) {
	const sidebar = await page.locator('.part.sidebar').boundingBox();
	if (!sidebar || sidebar.width >= width) return;
	await resizeSidebar(page, width);
}

/** Drags the side bar's sash until the side bar is `width` px wide (narrower or wider). */
export async function resizeSidebar(page, width) {
	const sidebar = await page.locator('.part.sidebar').boundingBox();
	if (!sidebar) return;
	const x = sidebar.x + sidebar.width;
	const y = sidebar.y + sidebar.height / 2;
	await page.mouse.move(x, y);
	await page.mouse.down();
	await page.mouse.move(x + (width - sidebar.width) / 2, y, { steps: 4 });
	await page.mouse.move(sidebar.x + width, y, { steps: 4 });
	await page.mouse.up();
}

/** Types a prompt into the message box and sends it with Enter. */
export async function send(chat, text) {
	const box = chat.getByRole('textbox', { name: 'Message' });
	await box.fill(text);
	await box.press('Enter');
}

/** Starts a new conversation through the panel's own button. */
export async function newChat(chat) {
	await chat.getByRole('button', { name: 'New chat' }).click();
	await until(async () => (await chat.locator('.turn').count()) === 0, 'the transcript did not clear after New chat');
}

/** The last assistant turn's text as the user sees it. */
export function lastAnswer(chat) {
	return chat.locator('article.turn.assistant').last();
}

/** The tool results (role "tool" messages) the scripted model received in its latest chat request. */
export function lastToolResults(model) {
	const requests = model.chatRequests();
	const messages = requests[requests.length - 1]?.json?.messages ?? [];
	return messages.filter((message) => message.role === 'tool').map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content)));
}
