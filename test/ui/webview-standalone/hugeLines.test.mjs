// Model text with 1 MB single lines: prose sprinkled with Markdown and HTML, a line inside a fenced code block, and
// one URL-shaped token. Streamed in pieces and restored from history, each must execute nothing, fetch nothing and
// leave the panel usable: while it streams the composer takes typed text and Stop posts `stop`, and the answer is
// shown in full once the turn ends. Long tasks (PerformanceObserver 'longtask') are reported as counts; the only
// timings asserted are generous bounds (a minute for the whole line, 5 s for one task) that a hang, a quadratic
// renderer or highlighting a 1 MB block breaks.
/* global window, PerformanceObserver */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { clearPosted, defaultInit, hostPost, openPanel, posted, startHarness } from './support.mjs';

const megabyte = 1024 * 1024;

/** `unit` repeated to exactly `length` characters. */
function fill(unit, length) {
	return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/**
 * The three lines, each 1 MB between its markers. `origin` is the harness server, whose log shows any fetch. The
 * prose repeats unmatched `*` and `_`, the shape that makes Markdown emphasis matching quadratic.
 */
function hugeLines(origin) {
	const hostile = `<img src="${origin}/leak/img" onerror="window.__pwned='img'"> [x](javascript:window.__pwned='link') ![r](${origin}/leak/md.png) <script>window.__pwned='script'</script> `;
	const marked = (body) => `LINE-START ${body} LINE-END`;
	return {
		prose: marked(fill(`${'words **bold _nested* and '.repeat(20)}\`code [link](https://example.com/a_b) <b>tag</b> ${hostile}`, megabyte)),
		code: `\`\`\`js\n${marked(fill('const a = [1, "two", { three: 3 }]; /* comment */ function f(x) { return x * 2; } ', megabyte))}\n\`\`\``,
		url: `https://example.com/${marked(fill('a_b-c/d?e=f&g=h%20i.j~k*l', megabyte)).replace(/ /g, '')}`,
	};
}

/** Starts collecting long tasks (over 50 ms) in the page. */
async function watchLongTasks(page) {
	await page.evaluate(() => {
		window.__longTasks = [];
		new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longTasks.push(entry.duration); }).observe({ type: 'longtask' });
	});
}

async function longTasks(page) {
	return page.evaluate(() => window.__longTasks.splice(0));
}

function describeTasks(durations) {
	const over = (ms) => durations.filter((duration) => duration > ms).length;
	return `${durations.length} long tasks (${over(200)} over 200 ms, ${over(1000)} over 1 s, longest ${Math.round(Math.max(0, ...durations))} ms)`;
}

/** Streams `text` as 16 KB deltas, 4 per frame (16 frames per MB), as a fast host would. */
async function stream(page, text) {
	const size = 16 * 1024;
	const deltas = [];
	for (let at = 0; at < text.length; at += size) deltas.push({ type: 'text-delta', turnId: 't1', text: text.slice(at, at + size) });
	for (let index = 0; index < deltas.length; index += 4) await hostPost(page, ...deltas.slice(index, index + 4));
}

/** Types into the composer and presses Stop; returns how long the page took to handle both. */
async function composerStillWorks(page, words) {
	const box = page.getByRole('textbox', { name: 'Message' });
	await clearPosted(page);
	const started = Date.now();
	await box.fill('');
	await box.pressSequentially(words);
	await page.getByRole('button', { name: 'Stop' }).click();
	const elapsed = Date.now() - started;
	assert.equal(await box.inputValue(), words);
	assert.deepEqual(await posted(page), [{ type: 'stop' }]);
	return elapsed;
}

describe('webview (standalone Chromium): 1 MB single lines', function () {
	this.timeout(240000);
	let harness;
	const figures = [];
	before(async () => { harness = await startHarness(); });
	after(async () => {
		console.log(`      1 MB lines: ${figures.join('; ')}`);
		await harness?.close();
	});

	for (const kind of ['prose', 'code', 'url']) {
		it(`a 1 MB ${kind} line streams and renders with nothing run or fetched, and the composer and Stop keep working`, async () => {
			const panel = await openPanel(harness);
			const { page } = panel;
			const browserRequests = [];
			page.on('request', (request) => browserRequests.push(request.url()));
			harness.requests.length = 0;
			const line = hugeLines(harness.origin)[kind];
			const text = `Before the line.\n\n${line}\n\nAfter the line.`;
			await watchLongTasks(page);
			await hostPost(page, { type: 'user-message', turnId: 'u1', text: 'go' }, { type: 'turn-start', turnId: 't1' });

			const started = Date.now();
			await stream(page, text);
			const streamed = Date.now() - started;
			const whileStreaming = await composerStillWorks(page, 'still typing');
			await hostPost(page, { type: 'turn-end', turnId: 't1', reason: 'stop' });
			const answer = page.locator('.turn.assistant .markdown').first();
			await answer.getByText('After the line.').waitFor({ timeout: 60000 });
			const rendered = Date.now() - started;
			const streamingTasks = await longTasks(page);

			// Shown in full: the line is all there, from its first marker to its last (the code as code).
			const shown = await answer.evaluate((box) => box.textContent);
			assert.ok(shown.length >= megabyte / 2, `${shown.length} characters shown`);
			assert.ok(shown.includes('LINE-START') && shown.includes('LINE-END'), 'both ends of the line are shown');
			if (kind === 'code') assert.equal(await answer.locator('.code-block code').count(), 1);
			await page.waitForTimeout(300);
			assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script ran');
			assert.deepEqual(harness.requests.filter((path) => path !== '/favicon.ico'), [], 'the server saw no request');
			assert.deepEqual(browserRequests.filter((url) => !url.startsWith('data:')), [], 'the browser made no request');
			assert.equal(await page.locator('.markdown script, .markdown iframe, [onerror], [onload]').count(), 0);

			// Restored from history: the same text renders at once, and the composer is usable after it.
			const init = defaultInit();
			init.conversation.turns = [{ role: 'assistant', turnId: 't1', segments: [{ kind: 'text', text }], finish: 'stop' }];
			const loadedStarted = Date.now();
			const loaded = await openPanel(harness, { init });
			await loaded.page.locator('.turn.assistant .markdown').getByText('After the line.').waitFor({ timeout: 60000 });
			const restored = Date.now() - loadedStarted;
			const box = loaded.page.getByRole('textbox', { name: 'Message' });
			await box.pressSequentially('after restore');
			assert.equal(await box.inputValue(), 'after restore');

			// A hang or a quadratic renderer takes minutes on 1 MB; a linear one, seconds even on a busy 2-core machine.
			assert.ok(rendered < 60000, `streamed and rendered in ${rendered} ms`);
			assert.ok(whileStreaming < 15000, `typing and Stop took ${whileStreaming} ms`);
			// A frozen page, not a slow frame: the renderer before the fix held it for 7 to 12 s at a time.
			const longest = Math.max(0, ...streamingTasks);
			assert.ok(longest < 5000, `a single task held the page for ${Math.round(longest)} ms`);
			assert.deepEqual([...panel.errors, ...loaded.errors], []);
			figures.push(`${kind}: streamed in ${(streamed / 1000).toFixed(1)} s, shown in full at ${(rendered / 1000).toFixed(1)} s, typing + Stop ${whileStreaming} ms, ${describeTasks(streamingTasks)}; restored in ${(restored / 1000).toFixed(1)} s`);
			await panel.close();
			await loaded.close();
		});
	}
});
