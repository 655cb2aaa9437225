/* global document, window -- evaluated inside the browser frames */
// The CSP watch of the workbench UI tests (csp.mjs) is not blind: a remote image and an inline script put into the
// chat webview from the test side are refused by the webview's policy, and the watch reports both.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { scriptedWorkbenchSuite, until } from './support.mjs';

describe('workbench: Content-Security-Policy violations are seen by the tests', function () {
	this.timeout(240000);
	const suite = scriptedWorkbenchSuite({ delayMs: 20 });

	it('opening the chat caused no violation', () => {
		assert.deepEqual(suite.workbench.csp.violations, []);
	});

	it('reports a remote image and an inline script refused inside the chat webview', async () => {
		const { chat, csp } = suite.workbench;
		const seen = csp.violations.length;
		await chat.locator('body').evaluate((body) => {
			const image = document.createElement('img');
			image.src = 'https://example.invalid/pixel.png';
			body.append(image);
			const script = document.createElement('script');
			script.textContent = 'window.__notAllowed = 1;';
			body.append(script);
		});
		// Either witness counts (the frame's event, or Chromium's console line); each names the directive and the URL.
		const text = (violation) => JSON.stringify(violation);
		const found = await until(() => {
			const fresh = csp.violations.slice(seen);
			const image = fresh.some((violation) => /img-src/.test(text(violation)) && text(violation).includes('https://example.invalid/pixel.png'));
			const script = fresh.some((violation) => /script-src/.test(text(violation)));
			return image && script ? fresh : undefined;
		}, 'the two violations were not reported', 10000);
		assert.ok(found.length >= 2, JSON.stringify(found));
		assert.equal(await chat.locator('body').evaluate(() => window.__notAllowed), undefined, 'the inline script ran');
		// These were caused on purpose: once the console's copies are in too, mark them reported, so the afterEach
		// check of this test stays green.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		csp.checked = csp.violations.length;
	});
});
