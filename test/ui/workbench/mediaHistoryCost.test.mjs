// Images, history and cost in the real workbench (code-server + Chromium), against the scripted server of the unit
// tests (test/support/scriptedServer.ts) speaking both protocols: an image pasted into the composer (large, so the
// panel downscales it) goes as an OpenAI image_url data URL and as an Anthropic base64 image block; a text-only model
// refuses before anything is sent; each turn shows tokens and, where the model has a price, its cost; the chat shows
// its total. Then history: search by a word of the messages, rename, delete and Undo. In a 300 px side bar.
// Run with the TypeScript hook: mocha --no-config -r test/support/register.cjs --timeout 240000 <this file>.
/* global document, DataTransfer, File, ClipboardEvent */
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import { describe, it, after, before, afterEach } from 'mocha';
import { lastAnswer, newChat, openChat, resizeSidebar, send, until } from './support.mjs';

const require = createRequire(import.meta.url);
// The scripted server is TypeScript: the same transform hook the unit suites use, so `npm test` runs this file as it is.
require('../../support/register.cjs');
/** @type {typeof import('../../support/scriptedServer')} */
const { anthropicSse, openaiSse, startScriptedServer } = require('../../support/scriptedServer.ts');

/** Answers every request by its path: OpenAI chat (usage with cached tokens), Anthropic messages, the model list. */
function respond(request) {
	if (request.url.includes('/anthropic/')) {
		return anthropicSse([
			['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-vision', content: [], stop_reason: null, usage: { input_tokens: 1500, output_tokens: 1 } } }],
			['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
			['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Claude sees a red square.' } }],
			['content_block_stop', { type: 'content_block_stop', index: 0 }],
			['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 12 } }],
			['message_stop', { type: 'message_stop' }],
		]);
	}
	if (request.method === 'GET') return { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object: 'list', data: [] }) };
	const prompt = JSON.stringify(request.json?.messages ?? []);
	const text = prompt.includes('pomegranate') ? 'Noted the fruit.' : 'GPT sees a red square.';
	return openaiSse([
		{ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-vision', choices: [{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }] },
		{ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-vision', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
		{ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-vision', choices: [], usage: { prompt_tokens: 10000, completion_tokens: 1000, total_tokens: 11000, prompt_tokens_details: { cached_tokens: 4000 } } },
	]);
}

/** Pastes a generated width×height PNG (a red square on white) into the message box, as Ctrl+V with an image does. */
async function pasteImage(chat, width, height) {
	await chat.getByRole('textbox', { name: 'Message' }).evaluate(async (box, size) => {
		const canvas = document.createElement('canvas');
		canvas.width = size.width;
		canvas.height = size.height;
		const context = canvas.getContext('2d');
		context.fillStyle = '#fff';
		context.fillRect(0, 0, size.width, size.height);
		context.fillStyle = '#e00';
		context.fillRect(size.width / 4, size.height / 4, size.width / 2, size.height / 2);
		const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
		const data = new DataTransfer();
		data.items.add(new File([blob], 'square.png', { type: 'image/png' }));
		box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
	}, { width, height });
	// In the composer's tray (a sent message may show an image of the same name).
	await chat.locator('.composer').getByRole('img', { name: 'Image 1: square.png' }).waitFor({ timeout: 15000 });
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(base64) {
	const bytes = Buffer.from(base64, 'base64');
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('workbench: images on both protocols, cost, history search/rename/undo', function () {
	this.timeout(240000);
	let server;
	let workbench;
	before(async () => {
		server = await startScriptedServer();
		for (let n = 0; n < 40; n++) server.push(respond);
		const openai = { id: 'oa', label: 'Vision GPT', protocol: 'openai', baseUrl: `${server.url}/v1`, auth: 'none', models: ['gpt-vision', 'deepseek-chat'],
			prices: { 'gpt-vision': { input: 2.5, cachedInput: 1.25, output: 10 } } };
		const anthropic = { id: 'an', label: 'Vision Claude', protocol: 'anthropic', baseUrl: `${server.url}/anthropic`, auth: 'none', models: ['claude-vision'] };
		workbench = await openChat(openai, { 'switchboard.providers': [openai, anthropic], 'switchboard.defaultModel': 'oa/gpt-vision' });
		await resizeSidebar(workbench.page, 300);
	});
	after(async () => {
		await workbench?.close();
		await server?.close();
	});
	afterEach(async function () {
		if (this.currentTest?.state === 'failed') await workbench?.screenshot(`failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
	});

	it('sends a pasted image, downscaled, as an OpenAI image_url data URL and shows tokens, cost and the chat total', async () => {
		const { chat, screenshot } = workbench;
		await pasteImage(chat, 3000, 1500);
		await chat.getByRole('button', { name: 'Remove image square.png' }).waitFor();
		await send(chat, 'What is in this picture?');
		await lastAnswer(chat).getByText('GPT sees a red square.').waitFor({ timeout: 30000 });
		const content = server.requests.filter((request) => request.url.endsWith('/chat/completions')).at(-1).json.messages.find((message) => message.role === 'user').content;
		assert.equal(content[0].type, 'image_url');
		const match = /^data:image\/png;base64,(.+)$/.exec(content[0].image_url.url);
		assert.ok(match, 'a PNG data URL');
		assert.deepEqual(pngSize(match[1]), { width: 1568, height: 784 }, 'downscaled to the longest edge limit');
		assert.deepEqual(content[1], { type: 'text', text: 'What is in this picture?' });
		// The sent message keeps its thumbnail; the tray is empty again.
		await chat.locator('article.turn.user').getByRole('img', { name: 'Image 1: square.png' }).waitFor();
		assert.equal(await chat.getByRole('button', { name: 'Remove image square.png' }).count(), 0);
		// 6,000 × $2.50 + 4,000 × $1.25 + 1,000 × $10 per million = $0.0300.
		const usage = lastAnswer(chat).locator('.usage');
		await until(async () => /cost \$0\.0300/.test(await usage.textContent()), 'the turn shows its cost');
		assert.match(await usage.textContent(), /10,000 in · 1,000 out tokens \(4,000 cached\)/);
		// Nothing is wider than the 300 px side bar.
		assert.ok(await chat.locator('.composer').evaluate((element) => element.scrollWidth <= element.clientWidth + 1), 'the composer fits');
		await screenshot('media-1-openai-image-cost');
	});

	it('sends a pasted image to the Anthropic model as a base64 image block; no price, tokens only', async () => {
		const { chat, screenshot } = workbench;
		await chat.getByRole('combobox', { name: 'Model' }).selectOption({ label: 'claude-vision' });
		await pasteImage(chat, 200, 100);
		await send(chat, 'And you?');
		await lastAnswer(chat).getByText('Claude sees a red square.').waitFor({ timeout: 30000 });
		const request = server.requests.filter((candidate) => candidate.url.includes('/anthropic/')).at(-1);
		const last = request.json.messages.at(-1);
		assert.equal(last.role, 'user');
		assert.equal(last.content[0].type, 'image');
		assert.equal(last.content[0].source.type, 'base64');
		assert.equal(last.content[0].source.media_type, 'image/png');
		assert.deepEqual(pngSize(last.content[0].source.data), { width: 200, height: 100 }, 'a small image goes unchanged');
		const usage = lastAnswer(chat).locator('.usage');
		await until(async () => /1,500 in · 12 out tokens/.test(await usage.textContent() ?? ''), 'the Anthropic turn shows its tokens');
		assert.doesNotMatch(await usage.textContent(), /cost/, 'no price, no cost');
		// Two answers: the chat's total, with the one cost known and the turn without a price counted.
		assert.match(await chat.locator('.chat-total').textContent(), /Chat total: 11,500 in · 1,012 out tokens · cost \$0\.0300 \(turns without a price: 1\)/);
		await screenshot('media-2-anthropic-image');
	});

	it('refuses to send an image to a text-only model before anything is sent, keeping the message', async () => {
		const { chat } = workbench;
		await chat.getByRole('combobox', { name: 'Model' }).selectOption({ label: 'deepseek-chat' });
		await pasteImage(chat, 50, 50);
		const before = server.requests.length;
		await send(chat, 'Describe it');
		await chat.getByRole('status').filter({ hasText: 'deepseek-chat reads no images' }).waitFor({ timeout: 10000 });
		assert.equal(server.requests.length, before, 'nothing was sent');
		assert.equal(await chat.getByRole('textbox', { name: 'Message' }).inputValue(), 'Describe it');
		await chat.getByRole('button', { name: 'Remove image square.png' }).click();
		await chat.getByRole('textbox', { name: 'Message' }).fill('');
		await chat.getByRole('combobox', { name: 'Model' }).selectOption({ label: 'gpt-vision' });
	});

	it('finds a chat by a word of its messages, renames it, deletes it and brings it back with Undo', async () => {
		const { chat, screenshot } = workbench;
		await newChat(chat);
		await send(chat, 'Fruit notes\nthe secret word is pomegranate');
		await lastAnswer(chat).getByText('Noted the fruit.').waitFor({ timeout: 30000 });
		await chat.getByRole('button', { name: 'History' }).click();
		const search = chat.getByRole('searchbox', { name: 'Search chats' });
		await search.waitFor();
		assert.equal(await search.evaluate((element) => element === document.activeElement), true, 'History puts the keyboard in the search box');
		await search.pressSequentially('pomegranate');
		const list = chat.locator('#history .history-list');
		await until(async () => (await list.locator('.history-item').count()) === 1 && /pomegranate/.test(await list.locator('.history-snippet').textContent() ?? ''), 'one chat found, with a snippet');
		assert.match(await list.locator('.history-open').textContent(), /Fruit notes/);
		await screenshot('media-3-history-search');

		await chat.getByRole('button', { name: 'Rename: Fruit notes' }).click();
		const field = chat.getByRole('textbox', { name: 'New name for Fruit notes' });
		await field.fill('Pomegranate chat');
		await field.press('Enter');
		await chat.getByRole('button', { name: 'Pomegranate chat', exact: true }).waitFor({ timeout: 10000 });

		await chat.getByRole('button', { name: 'Delete: Pomegranate chat' }).click();
		const undo = chat.getByRole('button', { name: 'Undo deleting Pomegranate chat' });
		await undo.waitFor({ timeout: 10000 });
		await until(async () => (await chat.getByRole('button', { name: 'Pomegranate chat', exact: true }).count()) === 0, 'the chat left the list');
		await undo.click();
		await chat.getByRole('button', { name: 'Pomegranate chat', exact: true }).waitFor({ timeout: 10000 });
		await screenshot('media-4-history-undo');
	});
});
