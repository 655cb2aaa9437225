// Incremental rendering: a streamed answer is cut into finished Markdown blocks, rendered once, and an open last
// block, re-rendered per frame. Its final DOM must be what a one-shot render gives; long chats open newest first.
/* global window, document, MutationObserver, requestAnimationFrame */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { defaultInit, hostPost, openPanel, startHarness } from './support.mjs';

/** src/webview/render/olderTurns.ts drawnTurns: how many turns stay drawn while the reader is at the end. */
const drawnTurns = 80;

const tricky = [
	'# Plan\n\nFirst a paragraph with **bold**, `code` and a [link](https://example.com).\n\n',
	'- one\n- two\n\n  still item two, after a blank line\n  - nested\n\n    deeper paragraph\n- three\n\n',
	'1. first\n2. second\n\n10. tenth, same list\n\nAfter the list.\n\n',
	'```ts\nconst a = 1;\n\n\nconst b = 2; // blank lines inside the fence\n```\n\n',
	'| tool | risk |\n|---|:-:|\n| read_file | read |\n| run_task | execute |\n\n',
	'> quoted\ncontinued lazily\n\nSetext title\n---\n\nPara\n# heading right after\n\n',
	'```\nunclosed at first, closed later\n\n```\n\nThe end.',
].join('');

async function gapToBottom(page) {
	return page.evaluate(() => new Promise((done) => requestAnimationFrame(() => {
		const scroller = document.querySelector('.scroller');
		done(scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight);
	})));
}

/** Scrolls to the top of what is drawn, again and again, until `count` turns are drawn. */
async function scrollUpUntilAllDrawn(page, count) {
	for (let attempt = 0; attempt < 200; attempt++) {
		const drawn = await page.evaluate(() => {
			document.querySelector('.scroller').scrollTop = 0;
			return document.querySelectorAll('article.turn').length;
		});
		if (drawn === count) return;
		await page.waitForTimeout(50);
	}
	assert.fail(`not all ${count} turns were drawn by scrolling up`);
}

function chunks(text, size) {
	const list = [];
	for (let index = 0; index < text.length; index += size) list.push(text.slice(index, index + size));
	return list;
}

/** Streams `text` to turn t1 a few deltas per frame, as a fast host would. */
async function stream(page, text, size = 5, perFrame = 3) {
	const parts = chunks(text, size);
	for (let index = 0; index < parts.length; index += perFrame) {
		await hostPost(page, ...parts.slice(index, index + perFrame).map((part) => ({ type: 'text-delta', turnId: 't1', text: part })));
	}
}

describe('webview (standalone Chromium): incremental rendering', function () {
	let harness;
	before(async () => { harness = await startHarness(); });
	after(async () => { await harness?.close(); });

	it('ends with exactly the DOM a one-shot render gives, for nested lists, fences with blank lines and a table', async () => {
		const streamed = await openPanel(harness);
		await hostPost(streamed.page, { type: 'user-message', turnId: 'u1', text: 'go' }, { type: 'turn-start', turnId: 't1' });
		await stream(streamed.page, tricky);
		await hostPost(streamed.page, { type: 'turn-end', turnId: 't1', reason: 'stop' });
		const incremental = await streamed.page.locator('.turn.assistant .markdown').evaluate((box) => box.innerHTML);

		const init = defaultInit();
		init.conversation.turns = [{ role: 'assistant', turnId: 't1', segments: [{ kind: 'text', text: tricky }], finish: 'stop' }];
		const loaded = await openPanel(harness, { init });
		const oneShot = await loaded.page.locator('.turn.assistant .markdown').evaluate((box) => box.innerHTML);

		assert.equal(incremental, oneShot);
		assert.ok(oneShot.includes('<table>') && oneShot.includes('blank lines inside the fence'), 'the document rendered at all');
		assert.equal(await streamed.page.locator('.markdown-tail').count(), 0, 'no open-block wrapper is left');
		assert.deepEqual([...streamed.errors, ...loaded.errors], []);
		await streamed.close();
		await loaded.close();
	});

	it('a batch bigger than a frame can render is drawn over several frames and still ends as a one-shot render', async () => {
		const big = Array.from({ length: 60 }, (_, n) => tricky.replace('# Plan', `# Plan ${n}`)).join('\n\n');
		const streamed = await openPanel(harness);
		const { page } = streamed;
		await hostPost(page, { type: 'user-message', turnId: 'u1', text: 'go' }, { type: 'turn-start', turnId: 't1' });
		const third = Math.floor(big.length / 3);
		await hostPost(page, ...[big.slice(0, third), big.slice(third, 2 * third)].map((text) => ({ type: 'text-delta', turnId: 't1', text })));
		const midway = await page.locator('.turn.assistant .markdown h1').count();
		assert.ok(midway > 0 && midway < 60, `part of the batch is drawn after one frame (${midway} of 60 headings)`);
		// The backlog left when the turn ends is finished over the next frames too (the bench times it), then it is all there.
		await hostPost(page, { type: 'text-delta', turnId: 't1', text: big.slice(2 * third) }, { type: 'turn-end', turnId: 't1', reason: 'stop' });
		await page.locator('.turn.assistant .markdown h1', { hasText: 'Plan 59' }).waitFor();
		const incremental = await page.locator('.turn.assistant .markdown').evaluate((box) => box.innerHTML);
		const init = defaultInit();
		init.conversation.turns = [{ role: 'assistant', turnId: 't1', segments: [{ kind: 'text', text: big }], finish: 'stop' }];
		const loaded = await openPanel(harness, { init });
		assert.equal(incremental, await loaded.page.locator('.turn.assistant .markdown').evaluate((box) => box.innerHTML));
		assert.deepEqual([...streamed.errors, ...loaded.errors], []);
		await streamed.close();
		await loaded.close();
	});

	it('renders each finished block once: later frames neither remove nor rebuild it', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'turn-start', turnId: 't1' });
		await stream(page, '# Plan\n\nFirst paragraph.\n\nSecond');
		await page.evaluate(() => {
			const box = document.querySelector('.turn.assistant .markdown');
			window.__first = box.querySelector(':scope > h1');
			window.__removed = [];
			window.__observer = new MutationObserver((records) => {
				for (const record of records) if (record.target === box) window.__removed.push(...[...record.removedNodes].map((node) => node.nodeName + '.' + (node.className ?? '')));
			});
			window.__observer.observe(box, { childList: true });
		});
		assert.equal(await page.evaluate(() => window.__first?.textContent), 'Plan');
		await stream(page, ' paragraph, growing.\n\n```ts\nconst x = 1;\n\nconst y = 2;\n```\n\n' + 'More words. '.repeat(40));
		await hostPost(page, { type: 'turn-end', turnId: 't1', reason: 'stop' });
		const result = await page.evaluate(() => ({
			same: window.__first === document.querySelector('.turn.assistant .markdown > h1') && window.__first.isConnected,
			removed: window.__removed,
		}));
		assert.equal(result.same, true, 'the heading rendered first is the one shown at the end');
		// The only child ever taken out of the box is the open block's wrapper, once the answer is complete.
		assert.deepEqual(result.removed, ['DIV.markdown-tail']);
		assert.equal(await page.locator('.code-block .hljs-keyword').count() >= 2, true, 'the finished code block is highlighted');
		await panel.close();
	});

	it('draws a turn\'s first text as its message arrives, not a frame later; what follows within the frame waits for it', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'user-message', turnId: 'u1', text: 'go' }, { type: 'turn-start', turnId: 't1' });
		const seen = await page.evaluate(() => new Promise((done) => {
			const shown = [];
			// Registered after the panel's own listener: it sees each message right after the panel handled it.
			window.addEventListener('message', (event) => {
				if (event.data?.type !== 'text-delta') return;
				shown.push(document.querySelector('.turn.assistant .markdown')?.textContent?.trim() ?? '');
				if (shown.length === 2) done(shown);
			});
			window.postMessage({ type: 'text-delta', turnId: 't1', text: 'First **words**' }, '*');
			window.postMessage({ type: 'text-delta', turnId: 't1', text: ' and more' }, '*');
		}));
		assert.equal(seen[0], 'First words', 'the first text is in the DOM when its message has been handled');
		await hostPost(page);
		assert.equal((await page.locator('.turn.assistant .markdown').textContent()).trim(), 'First words and more');
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('links a reference whose definition comes last, even in the delta that ends the turn', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await hostPost(page, { type: 'turn-start', turnId: 't1' });
		await stream(page, 'See [the docs][ref].\n\nMore text.\n\n');
		await hostPost(page, { type: 'text-delta', turnId: 't1', text: '[ref]: https://example.com/docs' }, { type: 'turn-end', turnId: 't1', reason: 'stop' });
		assert.equal(await page.locator('.turn.assistant .markdown a').getAttribute('href'), 'https://example.com/docs');
		assert.equal((await page.locator('.turn.assistant .markdown').textContent()).trim(), 'See the docs.\nMore text.');
		await panel.close();
	});

	it('opens a 600-message chat at its end at once, adds older turns above up to the drawn limit, the rest as the reader scrolls up', async () => {
		const turns = [];
		for (let n = 0; n < 300; n++) {
			turns.push({ role: 'user', turnId: `u${n}`, text: `Question ${n}` });
			const segments = [{ kind: 'text', text: `Answer ${n}.\n\n- a point\n- another` }];
			if (n % 20 === 0) segments.push({ kind: 'tool', call: { callId: `c${n}`, toolName: 'read_file', summary: `Read f${n}`, risk: 'read', argumentsText: '{"path": "f"}', state: 'done', result: { text: 'x', truncated: false } } });
			turns.push({ role: 'assistant', turnId: `a${n}`, segments, finish: 'stop' });
		}
		const panel = await openPanel(harness);
		const { page } = panel;
		const first = await page.evaluate((conversation) => new Promise((done) => {
			window.postMessage({ type: 'conversation', conversation }, '*');
			// Right after the panel handled the message: what is on screen already.
			setTimeout(() => done({ articles: document.querySelectorAll('article.turn').length, last: [...document.querySelectorAll('.user-text')].at(-1)?.textContent }), 0);
		}), { id: 'long', turns });
		assert.equal(first.last, 'Question 299');
		assert.ok(first.articles < drawnTurns, `only the newest turns are built at first, got ${first.articles}`);
		await page.waitForFunction((limit) => document.querySelectorAll('article.turn').length === limit, drawnTurns, { timeout: 20000 });
		await page.waitForTimeout(300);
		assert.equal(await page.locator('article.turn').count(), drawnTurns, 'idle slices stop at the drawn limit');
		assert.ok(await gapToBottom(page) < 2, 'still scrolled to the bottom');
		await scrollUpUntilAllDrawn(page, 600);
		const texts = await page.locator('.user-text').allTextContents();
		assert.deepEqual(texts, turns.filter((turn) => turn.role === 'user').map((turn) => turn.text));
		assert.equal(await page.getByRole('group', { name: 'Tool call: read_file' }).count(), 15);
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('a live session keeps only its newest turns drawn while the reader is at the end, and draws the rest again on scroll up', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		const exchanges = 60;
		for (let n = 0; n < exchanges; n++) {
			await hostPost(page,
				{ type: 'user-message', turnId: `u${n}`, text: `Question ${n}` },
				{ type: 'turn-start', turnId: `a${n}` },
				{ type: 'text-delta', turnId: `a${n}`, text: `Answer ${n}.\n\n- a point\n- another` },
				...(n % 10 === 0 ? [{ type: 'tool-call', turnId: `a${n}`, call: { callId: `c${n}`, toolName: 'read_file', summary: `Read f${n}`, risk: 'read', argumentsText: '{"path": "f"}', state: 'done', result: { text: 'x', truncated: false } } }] : []),
				{ type: 'turn-end', turnId: `a${n}`, reason: 'stop' });
		}
		// Dropping waits for 20 more than the limit, then goes back to the limit.
		await page.waitForFunction(() => document.querySelectorAll('article.turn').length < 120, undefined, { timeout: 20000 });
		const drawn = await page.locator('article.turn').count();
		assert.ok(drawn >= drawnTurns && drawn <= drawnTurns + 20, `${drawn} turns drawn`);
		assert.equal((await page.locator('.user-text').allTextContents()).at(-1), `Question ${exchanges - 1}`);
		assert.ok(await gapToBottom(page) < 2, 'the reader stays at the end');
		// What the reader looks at stays put while older turns are drawn above it.
		const anchor = await page.evaluate(() => {
			const scroller = document.querySelector('.scroller');
			scroller.scrollTop = 0;
			return document.querySelector('article.turn .user-text').textContent;
		});
		await page.waitForFunction((limit) => document.querySelectorAll('article.turn').length > limit, drawnTurns, { timeout: 20000 });
		const top = await page.evaluate((text) => {
			const article = [...document.querySelectorAll('.user-text')].find((element) => element.textContent === text);
			return article.getBoundingClientRect().top - document.querySelector('.scroller').getBoundingClientRect().top;
		}, anchor);
		assert.ok(Math.abs(top) < 40, `the turn at the top stayed in view (${top}px)`);
		await scrollUpUntilAllDrawn(page, exchanges * 2);
		assert.deepEqual(await page.locator('.user-text').allTextContents(), Array.from({ length: exchanges }, (_, n) => `Question ${n}`));
		assert.equal(await page.getByRole('group', { name: 'Tool call: read_file' }).count(), exchanges / 10);
		// Back at the end, the next exchange drops the old turns again.
		await page.evaluate(() => { const scroller = document.querySelector('.scroller'); scroller.scrollTop = scroller.scrollHeight; });
		await hostPost(page, { type: 'user-message', turnId: 'u-last', text: 'One more' });
		await page.waitForFunction((limit) => document.querySelectorAll('article.turn').length === limit, drawnTurns, { timeout: 20000 });
		// The host updating a turn no longer drawn (its usage, late) draws it again, in its place.
		await hostPost(page, { type: 'usage', turnId: 'a0', usage: { inputTokens: 1234, outputTokens: 56 } });
		assert.equal(await page.locator('article.turn').count(), exchanges * 2 + 1);
		assert.match(await page.locator('article.turn.assistant').first().locator('.turn-footer').textContent(), /1,234/);
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});
});
