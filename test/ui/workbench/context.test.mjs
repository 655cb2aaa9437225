// Attaching context and following project rules in the real workbench: the '@' picker attaches a file and the
// editor's selection by keyboard, both go with the message and stay as chips in the transcript; "Add Selection to
// Chat" from the editor's context menu gives the composer a chip; AGENTS.md shows as a rule chip whose switch takes
// it in and out of the system prompt. Screenshots go to test-results/ui/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import { EXTENSION_ID } from '../../harness/lib.mjs';
import { newChat, resizeSidebar, scriptedWorkbenchSuite, send, until } from './support.mjs';

/** The text of the last user message the scripted model received, and the system prompt of that request. */
function lastRequest(model) {
	const requests = model.chatRequests();
	const messages = requests[requests.length - 1]?.json?.messages ?? [];
	const text = (message) => (typeof message?.content === 'string' ? message.content : JSON.stringify(message?.content ?? ''));
	return { user: text(messages.filter((message) => message.role === 'user').at(-1)), system: text(messages.find((message) => message.role === 'system')) };
}

/** Selects lines `from`–`to` (1-based) of the editor showing src/greet.ts, by keyboard. */
async function selectLines(page, from, to) {
	await page.locator('.monaco-editor .view-lines').first().click();
	await page.keyboard.press('Control+Home');
	for (let line = 1; line < from; line++) await page.keyboard.press('ArrowDown');
	for (let line = from; line < to; line++) await page.keyboard.press('Shift+ArrowDown');
	await page.keyboard.press('Shift+End');
}

async function idle(chat) {
	await until(async () => (await chat.getByRole('button', { name: 'Send' }).count()) === 1, 'the turn did not end (no Send button)');
}

describe('workbench: attaching context and project rules', function () {
	this.timeout(240000);
	const suite = scriptedWorkbenchSuite();

	it('the @ picker attaches a file and the selection by keyboard; both go with the message and show as chips', async () => {
		const { page, chat, screenshot } = suite.workbench;
		await selectLines(page, 2, 3);
		const box = chat.getByRole('textbox', { name: 'Message' });
		await box.click();
		await box.pressSequentially('Explain @gree');
		const list = chat.getByRole('listbox', { name: 'Files, folders and context to attach' });
		const option = list.getByRole('option', { name: /greet\.ts/ }).first();
		await option.waitFor({ timeout: 30000 });
		assert.equal(await box.getAttribute('aria-expanded'), 'true');
		assert.equal(await box.getAttribute('aria-activedescendant'), await list.getByRole('option').first().getAttribute('id'));
		assert.equal(await list.getByRole('option').first().getAttribute('aria-selected'), 'true');
		await screenshot('context-1-picker-file');
		await box.press('Enter');
		const chips = chat.locator('.composer').getByRole('list', { name: 'Attached context' });
		await until(async () => (await chips.getByRole('listitem').allTextContents()).join('|') === 'src/greet.ts', 'no chip for src/greet.ts');
		assert.equal(await box.inputValue(), 'Explain ', 'the @word was only the search');
		assert.equal(await box.getAttribute('aria-expanded'), 'false');

		await box.pressSequentially('@sel');
		await list.getByRole('option', { name: /@selection/ }).waitFor({ timeout: 30000 });
		await box.press('Enter');
		await until(async () => (await chips.getByRole('listitem').allTextContents()).join('|') === 'src/greet.ts|src/greet.ts:2-3', 'no chip for the selection');
		await box.pressSequentially('these lines');
		await screenshot('context-2-chips-before-send');
		await box.press('Enter');

		await until(() => suite.model.chatRequests().length === 1, 'the message did not reach the model');
		const { user } = lastRequest(suite.model);
		assert.match(user, /Explain these lines/);
		assert.match(user, /<attachment kind="file" path="src\/greet.ts">\n1 \| \/\/ TODO: greet in more languages\.\n2 \| export function greet/);
		assert.match(user, /<attachment kind="selection" path="src\/greet.ts" lines="2-3">\n2 \| export function greet\(name: string\): string \{\n3 \| \treturn `Hello, \$\{name\}!`;\n<\/attachment>/);
		const sent = chat.locator('article.turn.user').last().getByRole('list', { name: 'Attached context' });
		assert.deepEqual(await sent.getByRole('listitem').allTextContents(), ['src/greet.ts', 'src/greet.ts:2-3']);
		assert.equal(await chips.isHidden(), true, 'the composer\'s chips went with the message');
		await screenshot('context-3-sent-with-chips');
		// The scripted model answers a message naming a file by reading it: stop there.
		const stop = chat.getByRole('button', { name: 'Stop' });
		if (await stop.count()) await stop.click();
		await idle(chat);
	});

	it('"Add Selection to Chat" in the editor\'s context menu puts the selection in the composer; its chip can be removed', async () => {
		const { page, chat, screenshot } = suite.workbench;
		await newChat(chat);
		await selectLines(page, 1, 1);
		// On the selected text: a right-click elsewhere would move the cursor and drop the selection.
		await page.locator('.monaco-editor .view-lines').getByText('// TODO: greet in more languages.').click({ button: 'right' });
		const item = page.getByRole('menuitem', { name: 'Add Selection to Chat' });
		await item.waitFor({ timeout: 15000 });
		await screenshot('context-4-editor-menu');
		await item.click();
		const chips = chat.locator('.composer').getByRole('list', { name: 'Attached context' });
		await until(async () => (await chips.getByRole('listitem').allTextContents()).join('|') === 'src/greet.ts:1', 'no chip from the command');
		const remove = chips.getByRole('button', { name: 'Remove src/greet.ts:1' });
		await remove.click();
		await until(() => chips.isHidden(), 'the chip was not removed');
		await until(() => chat.getByRole('textbox', { name: 'Message' }).evaluate((box) => box === box.ownerDocument.activeElement), 'the keyboard did not return to the box');
	});

	it('in an editor tab, @file attaches the file the tab now covers', async () => {
		const { page, screenshot } = suite.workbench;
		await page.locator('.monaco-editor .view-lines').first().click();
		await page.keyboard.press('F1');
		await page.keyboard.type('Switchboard: Open Chat');
		await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Switchboard: Open Chat' }).first().click({ timeout: 15000 });
		// The editor tab's webview: the same page as the view's, without the view's purpose.
		const tab = page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]:not([src*="purpose=webviewView"])`).frameLocator('iframe#active-frame');
		const box = tab.getByRole('textbox', { name: 'Message' });
		await box.waitFor({ timeout: 60000 });
		await box.click();
		await box.pressSequentially('@fil');
		await tab.getByRole('option', { name: /@file.*src\/greet\.ts/ }).waitFor({ timeout: 30000 });
		await box.press('Enter');
		const chips = tab.locator('.composer').getByRole('list', { name: 'Attached context' });
		await until(async () => (await chips.getByRole('listitem').allTextContents()).join('|') === 'src/greet.ts', 'no chip for the active file');
		await screenshot('context-5-editor-tab');
		await page.keyboard.press('Control+W');
	});

	it('shows AGENTS.md as a rule chip whose switch takes it out of the system prompt and back, at 300 px', async () => {
		const { page, chat, screenshot, workspace } = suite.workbench;
		fs.writeFileSync(path.join(workspace, 'AGENTS.md'), 'Answer like a ship\'s captain.\n');
		await newChat(chat);
		const rules = chat.getByRole('group', { name: 'Project rule files' });
		const toggle = rules.getByRole('switch', { name: 'Use AGENTS.md in this chat' });
		await toggle.waitFor({ timeout: 30000 });
		assert.equal(await toggle.getAttribute('aria-checked'), 'true');
		assert.ok(await rules.getByRole('button', { name: /^Open AGENTS\.md/ }).count() === 1);

		const before = suite.model.chatRequests().length;
		await send(chat, 'hello there');
		await until(() => suite.model.chatRequests().length === before + 1, 'the message did not reach the model');
		assert.match(lastRequest(suite.model).system, /<rules path="AGENTS.md">\nAnswer like a ship's captain\.\n<\/rules>/);
		await idle(chat);

		await toggle.click();
		await until(async () => (await toggle.getAttribute('aria-checked')) === 'false', 'the switch did not turn off');
		await send(chat, 'hello again');
		await until(() => suite.model.chatRequests().length === before + 2, 'the second message did not reach the model');
		assert.doesNotMatch(lastRequest(suite.model).system, /ship's captain/);
		await idle(chat);

		await resizeSidebar(page, 300);
		const width = await chat.locator('body').evaluate((body) => body.clientWidth);
		assert.ok(width <= 310, `the panel is ${width} px wide`);
		assert.ok(await rules.evaluate((bar) => bar.scrollWidth <= bar.clientWidth + 1), 'the rules row overflows at 300 px');
		await toggle.click();
		await until(async () => (await toggle.getAttribute('aria-checked')) === 'true', 'the switch did not turn back on');
		await screenshot('context-6-rules-300px');
	});
});
