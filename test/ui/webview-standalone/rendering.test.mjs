// The panel renders what the host streams: Markdown with highlighted code, reasoning, usage, banners, empty state.
/* global window, document, MutationObserver, requestAnimationFrame */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { asks, clearPosted, defaultInit, hostPost, openPanel, posted, readCall, screenshot, startHarness } from './support.mjs';

const answer = [
	'Here is a **typed** helper:\n\n',
	'```ts\nexport function add(a: number, b: number): number {\n\treturn a + b; // sum\n}\n```\n\n',
	'It returns `a + b`.\n',
].join('');
const code = 'export function add(a: number, b: number): number {\n\treturn a + b; // sum\n}\n';

/** Splits text into n roughly equal chunks, as a host batching deltas would send them. */
function chunks(text, n) {
	const size = Math.ceil(text.length / n);
	const list = [];
	for (let index = 0; index < text.length; index += size) list.push(text.slice(index, index + size));
	return list;
}

describe('webview (standalone Chromium): rendering', function () {
	let harness;
	before(async () => { harness = await startHarness(); });
	after(async () => { await harness?.close(); });

	it('shows what Switchboard is and the two start steps, whose buttons post add-provider and set-api-key', async () => {
		const init = defaultInit();
		init.state.selected = { provider: 'deepseek', model: 'deepseek-chat' };
		init.state.providers[1].hasKey = false;
		const panel = await openPanel(harness, { init });
		const { page } = panel;
		await page.getByRole('heading', { name: 'Switchboard' }).waitFor();
		await screenshot(page, 'empty-state');
		await page.getByRole('button', { name: 'Pick a provider preset' }).click();
		await page.getByRole('button', { name: 'Set its API key' }).click();
		const messages = (await posted(page)).filter((message) => message.type !== 'ready');
		assert.deepEqual(messages, [{ type: 'add-provider' }, { type: 'set-api-key', provider: 'deepseek' }]);
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('renders a streamed Markdown answer as it arrives, with highlighted code that has Copy and Insert buttons', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'user-message', turnId: 't1', text: 'Write an add function' }, { type: 'turn-start', turnId: 't1', model: { provider: 'demo', model: 'scripted-1' } });
		const parts = chunks(answer, 12);
		await hostPost(page, ...parts.slice(0, 3).map((text) => ({ type: 'text-delta', turnId: 't1', text })));
		// Part of the answer is on screen before the turn ends.
		await page.locator('.turn.assistant strong', { hasText: 'typed' }).waitFor();
		assert.equal(await page.getByRole('button', { name: 'Stop' }).isVisible(), true);
		for (const text of parts.slice(3)) await hostPost(page, { type: 'text-delta', turnId: 't1', text });
		await hostPost(page, { type: 'usage', turnId: 't1', usage: { inputTokens: 1234, outputTokens: 56 } }, { type: 'turn-end', turnId: 't1', reason: 'stop' });

		const block = page.locator('.code-block');
		assert.equal(await block.count(), 1);
		assert.ok(await block.locator('.hljs-keyword').count() >= 2, 'keywords are highlighted');
		assert.equal(await block.locator('code').textContent(), code);
		assert.equal(await page.locator('.turn.assistant .markdown > p code').textContent(), 'a + b');
		await page.getByText('1,234 in · 56 out tokens').waitFor();
		await screenshot(page, 'streamed-answer');

		await clearPosted(page);
		await block.getByRole('button', { name: 'Insert' }).click();
		await block.getByRole('button', { name: 'Copy' }).click();
		assert.deepEqual(await posted(page), [{ type: 'insert-code', code }, { type: 'copy-code', code }]);
		await block.getByRole('button', { name: 'Copied' }).waitFor();
		assert.equal(await page.getByRole('button', { name: 'Send' }).isVisible(), true);
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('highlights the common languages models write (Go, Rust, Java, C#, C++, SQL, Kotlin, Swift, PHP, Ruby, shell, YAML)', async () => {
		const samples = {
			go: 'func main() {\n\treturn\n}',
			rust: 'fn main() {\n    let mut x = 1;\n}',
			java: 'public class A {\n    private int x;\n}',
			csharp: 'public class A {\n    private int x;\n}',
			cpp: '#include <vector>\nint main() { return 0; }',
			sql: 'SELECT id FROM users WHERE id = 1;',
			kotlin: 'fun main() {\n    val x = 1\n}',
			swift: 'func main() {\n    let x = 1\n}',
			php: '<?php\nfunction f() { return 1; }',
			ruby: 'def f\n  return 1\nend',
			shell: 'if [ -f x ]; then echo hi; fi',
			yaml: 'key: value\nlist:\n  - true',
		};
		const panel = await openPanel(harness);
		const { page } = panel;
		const text = Object.entries(samples).map(([language, source]) => `\`\`\`${language}\n${source}\n\`\`\`\n`).join('\n');
		await hostPost(page, { type: 'user-message', turnId: 'l1', text: 'Samples' }, { type: 'turn-start', turnId: 'l1', model: { provider: 'demo', model: 'scripted-1' } });
		await hostPost(page, { type: 'text-delta', turnId: 'l1', text }, { type: 'turn-end', turnId: 'l1', reason: 'stop' });
		const blocks = page.locator('.code-block');
		await page.waitForFunction((count) => document.querySelectorAll('.code-block').length === count, Object.keys(samples).length);
		const plain = [];
		for (const [index, language] of Object.keys(samples).entries()) {
			if (await blocks.nth(index).locator('[class^="hljs-"]').count() === 0) plain.push(language);
		}
		assert.deepEqual(plain, [], 'these languages were shown without highlighting');
		await screenshot(page, 'common-languages');
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('re-renders only the current message while streaming, leaving earlier turns untouched', async () => {
		const init = defaultInit();
		init.conversation.turns = [
			{ role: 'user', turnId: 'u0', text: 'first' },
			{ role: 'assistant', turnId: 't0', segments: [{ kind: 'text', text: 'Earlier answer.' }], finish: 'stop' },
		];
		const panel = await openPanel(harness, { init });
		const { page } = panel;
		await page.evaluate(() => { window.__earlier = document.querySelector('.turn.assistant .markdown p'); });
		await hostPost(page, { type: 'user-message', turnId: 'u1', text: 'second' }, { type: 'turn-start', turnId: 't1' });
		for (const text of chunks('word '.repeat(400), 40)) await hostPost(page, { type: 'text-delta', turnId: 't1', text });
		const same = await page.evaluate(() => window.__earlier === document.querySelector('.turn.assistant .markdown p') && window.__earlier.isConnected);
		assert.equal(same, true, 'the earlier turn keeps its DOM nodes');
		assert.equal((await page.locator('.turn.assistant').nth(1).textContent()).split('word').length - 1, 400);
		await panel.close();
	});

	it('batches many deltas that arrive within one frame into a single render', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'turn-start', turnId: 't1' });
		const renders = await page.evaluate(async () => {
			let mutations = 0;
			const observer = new MutationObserver((records) => { mutations += records.filter((record) => record.target.classList?.contains('markdown')).length; });
			observer.observe(document.body, { childList: true, subtree: true });
			for (let index = 0; index < 200; index++) window.postMessage({ type: 'text-delta', turnId: 't1', text: `token${index} ` }, '*');
			await new Promise((done) => setTimeout(done, 50));
			await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
			observer.disconnect();
			return mutations;
		});
		assert.ok(renders >= 1 && renders <= 3, `expected 1-3 renders for 200 deltas, got ${renders}`);
		assert.match(await page.locator('.turn.assistant .markdown').textContent(), /token0 .*token199/);
		await panel.close();
	});

	it('keeps reasoning in a collapsed block and marks an interrupted partial answer', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page,
			{ type: 'user-message', turnId: 'u1', text: 'Explain' },
			{ type: 'turn-start', turnId: 't1' },
			{ type: 'reasoning-delta', turnId: 't1', text: 'The user wants an explanation. ' },
			{ type: 'reasoning-delta', turnId: 't1', text: 'Start with the basics.' },
			{ type: 'text-delta', turnId: 't1', text: 'The basics are' },
			{ type: 'turn-end', turnId: 't1', reason: 'interrupted' });
		const details = page.locator('details.reasoning');
		assert.equal(await details.getAttribute('open'), null);
		assert.equal(await details.locator('summary').textContent(), 'Reasoning');
		assert.equal(await details.locator('.markdown').isVisible(), false);
		await details.locator('summary').click();
		assert.equal((await details.locator('.markdown').textContent()).trim(), 'The user wants an explanation. Start with the basics.');
		assert.equal((await page.locator('.turn-body > .markdown').textContent()).trim(), 'The basics are');
		await page.getByText('Interrupted: partial answer').waitFor();
		assert.equal(await page.locator('.turn.assistant.interrupted').count(), 1);
		assert.equal(await page.getByRole('button', { name: 'Send' }).isVisible(), true, 'the turn is over');
		await screenshot(page, 'interrupted');
		await panel.close();
	});

	it('shows error banners whose buttons post set-api-key, retry and open-settings', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'user-message', turnId: 'u1', text: 'hi' }, { type: 'turn-start', turnId: 't1' }, { type: 'turn-end', turnId: 't1', reason: 'error' },
			{ type: 'error', turnId: 't1', error: { kind: 'auth', message: 'Incorrect API key provided (HTTP 401).', action: 'set-api-key', provider: 'deepseek' } });
		const alert = page.getByRole('alert');
		await alert.getByText('Authentication failed').waitFor();
		await screenshot(page, 'auth-error');
		await clearPosted(page);
		await alert.getByRole('button', { name: 'Set API key' }).click();
		assert.deepEqual(await posted(page), [{ type: 'set-api-key', provider: 'deepseek' }]);

		await hostPost(page, { type: 'error', error: { kind: 'server', message: 'HTTP 503', action: 'retry' } });
		await page.getByRole('alert').getByRole('button', { name: 'Retry' }).click();
		await hostPost(page, { type: 'error', error: { kind: 'not-found', message: 'Model "gpt-9" not found.', action: 'open-settings', setting: 'switchboard.providers' } });
		await page.getByRole('alert').getByRole('button', { name: 'Open settings' }).click();
		assert.deepEqual((await posted(page)).slice(1), [{ type: 'retry' }, { type: 'open-settings', setting: 'switchboard.providers' }]);
		assert.equal(await page.getByRole('alert').count(), 1, 'one banner at a time');
		await page.getByRole('button', { name: 'Dismiss' }).click();
		assert.equal(await page.getByRole('alert').count(), 0);
		await panel.close();
	});

	it('shows the retry wait with a countdown until text arrives', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'turn-start', turnId: 't1' }, { type: 'retry-wait', turnId: 't1', attempt: 2, delayMs: 3000, message: 'Rate limited (HTTP 429).' });
		const status = page.getByRole('status');
		assert.match(await status.textContent(), /Rate limited \(HTTP 429\)\. Retrying in 3 s \(attempt 2\)\./);
		await hostPost(page, { type: 'text-delta', turnId: 't1', text: 'ok' });
		assert.equal(await status.isVisible(), false);
		await panel.close();
	});

	it('restores a saved conversation with its cards, pending calls shown as not run', async () => {
		const init = defaultInit();
		init.conversation.turns = [
			{ role: 'user', turnId: 'u1', text: 'Read two files' },
			{ role: 'assistant', turnId: 't1', usage: { inputTokens: 10, outputTokens: 5 }, finish: 'interrupted', segments: [
				{ kind: 'text', text: 'Reading them.' },
				{ kind: 'tool', call: readCall('a', 'done', { result: { text: 'line 1', truncated: false } }) },
				{ kind: 'tool', call: readCall('b', 'incomplete', { message: 'Not run: the window was reloaded before approval.' }) },
			] },
		];
		const panel = await openPanel(harness, { init });
		const { page } = panel;
		const cards = page.getByRole('group', { name: 'Tool call: read_file' });
		assert.equal(await cards.count(), 2);
		assert.equal(await cards.nth(0).locator('.tool-state').textContent(), 'Done');
		assert.equal(await cards.nth(1).locator('.tool-state').textContent(), 'Not run');
		await cards.nth(1).getByText('the window was reloaded').waitFor();
		assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
		assert.equal(await page.getByRole('heading', { name: 'Switchboard' }).isVisible(), false, 'no empty state');
		await panel.close();
	});

	it('runs under the host\'s strict CSP (nonce scripts, no inline styles) without a single violation', async () => {
		const panel = await openPanel(harness, { csp: true });
		const { page } = panel;
		await hostPost(page, { type: 'user-message', turnId: 'u1', text: 'go' }, { type: 'turn-start', turnId: 't1' },
			{ type: 'text-delta', turnId: 't1', text: answer },
			{ type: 'tool-call', turnId: 't1', call: readCall('a', 'awaiting-approval', { approval: asks({ offerAlwaysAllow: true }) }) });
		await page.getByRole('textbox', { name: 'Message' }).fill('a\nb\nc\nd\ne\nf');
		await page.getByRole('button', { name: 'Approve' }).click();
		await page.locator('.hljs-keyword').first().waitFor();
		assert.deepEqual(await page.evaluate(() => window.__violations), []);
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});
});
