// The built webview bundle in headless Chromium with a stub host (the page/shim approach of
// test/ui/webview-standalone): streaming a long Markdown answer as fast as the page takes it, and opening a
// 2,000-message saved chat. Run: node bench/webview/webview.mjs (after `node esbuild.mjs`).
/* global window, document, performance, requestAnimationFrame, PerformanceObserver, MessageChannel, MutationObserver */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { longConversation, markdownAnswer, tokenize } from './content.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const standalone = join(root, 'test/ui/webview-standalone');
// The shipped bundle unpacked from the .vsix by bench/run.mjs; run alone, the checkout's dist/ and media/.
const shipped = process.env.BENCH_SHIPPED && join(process.env.BENCH_SHIPPED, 'extension');
const extensionDir = shipped && existsSync(join(shipped, 'dist/webview.js')) ? shipped : root;
const files = {
	'/dist/webview.js': [join(extensionDir, 'dist/webview.js'), 'text/javascript'],
	'/media/webview.css': [join(extensionDir, 'media/webview.css'), 'text/css'],
	'/theme.css': [join(standalone, 'theme.css'), 'text/css'],
	'/shim.js': [join(standalone, 'shim.js'), 'text/javascript'],
};
const page = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="/theme.css"><link rel="stylesheet" href="/media/webview.css">
<script src="/shim.js"></script><title>Switchboard bench</title></head>
<body><script src="/dist/webview.js"></script></body></html>`;
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const sentinel = 'ENDOFANSWER';
const budgets = { tokensPerSecond: 5_000, longTaskMs: 50, interactiveMs: 300 };
const init = {
	type: 'init',
	state: {
		providers: [{ id: 'demo', label: 'Demo (scripted)', auth: 'none', hasKey: false, models: ['scripted-1'] }],
		selected: { provider: 'demo', model: 'scripted-1' },
		approvalDefaults: { read: 'ask', write: 'ask', execute: 'ask' },
	},
	conversation: { id: 'c1', turns: [] },
	history: [],
};

function startServer() {
	const server = createServer((request, response) => {
		const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
		if (path === '/') return response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
		const file = files[path];
		if (!file) return response.writeHead(path === '/favicon.ico' ? 204 : 404).end();
		response.writeHead(200, { 'content-type': file[1] }).end(readFileSync(file[0]));
	});
	return new Promise((ready) => server.listen(0, '127.0.0.1', () => ready(server)));
}

async function openPanel(browser, origin) {
	const context = await browser.newContext({ viewport: { width: 420, height: 900 }, colorScheme: 'dark' });
	const tab = await context.newPage();
	const errors = [];
	tab.on('pageerror', (error) => errors.push(error.message));
	await tab.goto(origin);
	await tab.waitForFunction(() => window.__posted?.some((message) => message.type === 'ready'));
	await tab.evaluate((message) => new Promise((done) => {
		window.postMessage(message, '*');
		setTimeout(() => requestAnimationFrame(() => done()), 0);
	}), init);
	return { tab, errors, close: () => context.close() };
}

/**
 * In the page: the stub host posts one message per token, in slices scheduled through a MessageChannel (no timer
 * clamping), then turn-end. The clock stops at the first frame after turn-end that shows the whole answer (its sentinel),
 * once it has painted (a task after that frame). The rate is counted from the first token painted (a task after the frame
 * that first showed text in the answer): what comes before it is the answer's start-up (a fresh page's first
 * Markdown render, its first layout), reported apart as `firstPaintMs`; the share of the answer's text that
 * first paint already showed is left out of the count. Long tasks are observed throughout.
 */
async function streamOnce(browser, origin, tokens, capMs = Infinity) {
	const panel = await openPanel(browser, origin);
	const result = await panel.tab.evaluate(async ({ tokens, sentinel, capMs }) => {
		const longTasks = [];
		const longTaskStarts = [];
		const observer = new PerformanceObserver((list) => {
			for (const entry of list.getEntries()) {
				longTasks.push(entry.duration);
				longTaskStarts.push(entry.startTime);
			}
		});
		observer.observe({ type: 'longtask' });
		let frames = 0;
		let counting = true;
		const countFrames = () => { frames++; if (counting) requestAnimationFrame(countFrames); };
		const ended = new Promise((done) => {
			window.addEventListener('message', (event) => {
				if (event.data?.type !== 'turn-end') return;
				// The panel may finish a backlog over a few frames after turn-end: the clock stops at the first frame
				// that shows the whole answer.
				const check = () => (answerBox()?.textContent?.includes(sentinel) ? setTimeout(done, 0) : requestAnimationFrame(check));
				requestAnimationFrame(check);
			});
		});
		let firstPainted;
		let charsAtFirstPaint = 0;
		const answerBox = () => [...document.querySelectorAll('article.turn.assistant .markdown')].at(-1);
		const firstSeen = new MutationObserver(() => {
			if (!answerBox()?.textContent?.trim()) return;
			firstSeen.disconnect();
			requestAnimationFrame(() => setTimeout(() => {
				firstPainted = performance.now();
				charsAtFirstPaint = answerBox()?.textContent?.length ?? 0;
			}, 0));
		});
		firstSeen.observe(document.body, { childList: true, subtree: true, characterData: true });
		// A panel is open for a while before its first answer (the user types the prompt): half a second of that.
		await new Promise((done) => setTimeout(done, 500));
		window.postMessage({ type: 'user-message', turnId: 'u1', text: 'Write the long answer.' }, '*');
		window.postMessage({ type: 'turn-start', turnId: 't1', model: { provider: 'demo', model: 'scripted-1' } }, '*');
		await new Promise((done) => setTimeout(done, 50));
		const started = performance.now();
		requestAnimationFrame(countFrames);
		const channel = new MessageChannel();
		const slice = 50;
		let next = 0;
		let capped = false;
		channel.port1.onmessage = () => {
			const stop = Math.min(next + slice, tokens.length);
			for (; next < stop; next++) window.postMessage({ type: 'text-delta', turnId: 't1', text: tokens[next] }, '*');
			// A panel too slow for the suite's time limit gets the rest of the answer no more: it is rated on what it took.
			capped = next < tokens.length && performance.now() - started > capMs;
			if (next < tokens.length && !capped) channel.port2.postMessage(0);
			else window.postMessage({ type: 'turn-end', turnId: 't1', reason: 'stop' }, '*');
		};
		channel.port2.postMessage(0);
		await ended;
		const endedAt = performance.now();
		const ms = endedAt - started;
		firstSeen.disconnect();
		counting = false;
		await new Promise((done) => setTimeout(done, 100));
		observer.disconnect();
		const article = [...document.querySelectorAll('article.turn.assistant')].at(-1);
		const complete = capped || (article?.textContent?.includes(sentinel) ?? false);
		const firstPaintMs = (firstPainted ?? endedAt) - started;
		// The share of the answer the first paint already showed does not count as streamed.
		const shownFirst = charsAtFirstPaint / Math.max(1, answerBox()?.textContent?.length ?? 0);
		return {
			ms, frames, longTasks, complete, capped, tokens: next, codeBlocks: article?.querySelectorAll('pre').length ?? 0,
			// Where the long tasks fell: up to the first paint (the answer's start-up) or while streaming after it.
			longTasksBeforeFirstPaint: longTasks.filter((_duration, index) => longTaskStarts[index] < (firstPainted ?? endedAt)),
			firstPaintMs, streamedTokens: next * (1 - shownFirst), streamedMs: endedAt - (firstPainted ?? started),
		};
	}, { tokens, sentinel, capMs });
	await panel.close();
	if (panel.errors.length > 0) throw new Error(`page errors: ${panel.errors.join('; ')}`);
	if (!result.complete) throw new Error('the answer was not fully rendered when the clock stopped');
	return result;
}

async function longChat(browser, origin) {
	const panel = await openPanel(browser, origin);
	const { tab } = panel;
	const conversation = longConversation();
	await tab.evaluate((value) => { window.__benchConversation = value; }, conversation);
	const cdp = await tab.context().newCDPSession(tab);
	await cdp.send('Performance.enable');
	await cdp.send('HeapProfiler.collectGarbage');
	const before = await metrics(cdp);
	const result = await tab.evaluate(async () => {
		const longTasks = [];
		const observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) longTasks.push(entry.duration); });
		observer.observe({ type: 'longtask' });
		const started = performance.now();
		const loaded = new Promise((done) => {
			window.addEventListener('message', (event) => {
				if (event.data?.type === 'conversation') requestAnimationFrame(() => setTimeout(done, 0));
			});
		});
		window.postMessage({ type: 'conversation', conversation: window.__benchConversation }, '*');
		await loaded;
		const interactiveMs = performance.now() - started;
		await new Promise((done) => setTimeout(done, 200));
		observer.disconnect();
		return {
			interactiveMs,
			longTasks,
			articles: document.querySelectorAll('article.turn').length,
			messages: window.__benchConversation.turns.length,
			cards: document.querySelectorAll('article.turn.assistant .tool-card').length,
		};
	});
	await tab.evaluate(() => { delete window.__benchConversation; });
	await cdp.send('HeapProfiler.collectGarbage');
	const after = await metrics(cdp);
	await panel.close();
	if (panel.errors.length > 0) throw new Error(`page errors: ${panel.errors.join('; ')}`);
	return { ...result, jsHeapMb: after.JSHeapUsedSize / 1e6, jsHeapGrowthMb: (after.JSHeapUsedSize - before.JSHeapUsedSize) / 1e6, domNodes: after.Nodes, conversationJsonMb: JSON.stringify(conversation).length / 1e6 };
}

async function metrics(cdp) {
	const { metrics: list } = await cdp.send('Performance.getMetrics');
	return Object.fromEntries(list.map((metric) => [metric.name, metric.value]));
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function main() {
	const server = await startServer();
	const origin = `http://127.0.0.1:${server.address().port}`;
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
	const rows = [];
	try {
		const streaming = {};
		// Fewer runs for the big answers: at the current render cost they take minutes (see bench/README.md).
		for (const [size, runs, capMs] of [[1_000, 5, Infinity], [10_000, 1, 30_000], [20_000, 1, 60_000], [50_000, 1, 30_000]]) {
			const answer = tokenize(markdownAnswer(size, sentinel));
			const results = [];
			for (let run = 0; run < runs; run++) results.push(await streamOnce(browser, origin, answer, capMs));
			const ms = median(results.map((result) => result.ms));
			const tokens = results[0].tokens;
			const longest = Math.max(0, ...results.flatMap((result) => result.longTasks));
			const longestBeforeFirstPaint = Math.max(0, ...results.flatMap((result) => result.longTasksBeforeFirstPaint));
			streaming[size] = {
				tokens, ms, wholeTokensPerSecond: (tokens / ms) * 1000,
				tokensPerSecond: median(results.map((result) => (result.streamedTokens / result.streamedMs) * 1000)),
				firstPaintMs: median(results.map((result) => result.firstPaintMs)),
				capped: results[0].capped, longestTaskMs: longest, longestTaskBeforeFirstPaintMs: longestBeforeFirstPaint,
				longTasksPerRun: results.map((result) => result.longTasks.length),
				longTasks: median(results.map((result) => result.longTasks.length)), frames: median(results.map((result) => result.frames)), codeBlocks: results[0].codeBlocks, runs,
			};
			process.stderr.write(`[webview] ${size} tokens: ${tokens} painted in ${ms.toFixed(0)} ms (first token painted after ${streaming[size].firstPaintMs.toFixed(0)} ms), ${streaming[size].tokensPerSecond.toFixed(0)} tokens/s from then (${streaming[size].wholeTokensPerSecond.toFixed(0)}/s over the whole answer), longest task ${longest.toFixed(0)} ms (up to the first paint: ${longestBeforeFirstPaint.toFixed(0)} ms), long tasks per run ${streaming[size].longTasksPerRun.join(', ')}\n`);
		}
		const main20k = streaming[20_000];
		rows.push({
			id: 'webview-streaming',
			measure: `webview streaming: ${main20k.tokens.toLocaleString('en')}-token Markdown answer (${main20k.codeBlocks} code blocks), one message per token`,
			figure: `${Math.round(main20k.tokensPerSecond).toLocaleString('en')} tokens/s painted from the first token (painted after ${main20k.firstPaintMs.toFixed(0)} ms; ${Math.round(main20k.wholeTokensPerSecond).toLocaleString('en')}/s over the whole answer)${main20k.capped ? ` (stopped at ${main20k.tokens.toLocaleString('en')} tokens)` : ''}; longest task ${main20k.longestTaskMs.toFixed(0)} ms (${main20k.longTasks} tasks > 50 ms)`,
			budget: `≥ ${budgets.tokensPerSecond.toLocaleString('en')} tokens/s; no task > ${budgets.longTaskMs} ms`,
			holds: main20k.tokensPerSecond >= budgets.tokensPerSecond && main20k.longestTaskMs <= budgets.longTaskMs,
			data: main20k,
		});
		rows.push({
			id: 'webview-streaming-growth',
			measure: '  growth: webview at 1k / 10k / 50k tokens (tokens/s from the first token painted; first token painted after; longest task)',
			figure: [1_000, 10_000, 50_000].map((size) => {
				const entry = streaming[size];
				const capped = entry.capped ? ` (cut at ${entry.tokens.toLocaleString('en')})` : '';
				return `${Math.round(entry.tokensPerSecond).toLocaleString('en')}/s${capped}; ${entry.firstPaintMs.toFixed(0)} ms; ${entry.longestTaskMs.toFixed(0)} ms`;
			}).join(' | '),
			budget: `≥ ${budgets.tokensPerSecond.toLocaleString('en')} tokens/s; no task > ${budgets.longTaskMs} ms`,
			holds: [1_000, 10_000, 50_000].every((size) => streaming[size].tokensPerSecond >= budgets.tokensPerSecond && streaming[size].longestTaskMs <= budgets.longTaskMs),
			data: streaming,
		});
		const chats = [];
		for (let run = 0; run < 3; run++) chats.push(await longChat(browser, origin));
		const interactiveMs = median(chats.map((chat) => chat.interactiveMs));
		const chat = chats.find((entry) => entry.interactiveMs === interactiveMs) ?? chats[0];
		process.stderr.write(`[webview] long chat: ${chats.map((entry) => entry.interactiveMs.toFixed(0)).join(', ')} ms\n`);
		rows.push({
			id: 'webview-long-chat',
			measure: `webview long chat: open ${chat.messages.toLocaleString('en')} messages with 300 tool cards (${chat.conversationJsonMb.toFixed(1)} MB of JSON; ${chat.articles.toLocaleString('en')} drawn when interactive, the older ones prepended in idle slices)`,
			figure: `interactive in ${interactiveMs.toFixed(0)} ms; JS heap ${chat.jsHeapMb.toFixed(1)} MB (+${chat.jsHeapGrowthMb.toFixed(1)} MB), ${chat.domNodes.toLocaleString('en')} DOM nodes`,
			budget: `< ${budgets.interactiveMs} ms; memory reported`,
			holds: interactiveMs < budgets.interactiveMs,
			data: { ...chat, interactiveMs, runs: chats.map((entry) => entry.interactiveMs) },
		});
	} finally {
		await browser.close();
		server.close();
	}
	const out = process.env.BENCH_OUT;
	if (out) writeFileSync(out, JSON.stringify(rows, null, '\t'));
	else console.log(JSON.stringify(rows, null, '\t'));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
