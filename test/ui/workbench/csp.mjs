/* global document, window -- evaluated inside the browser frames */
// Content-Security-Policy violations in the workbench's webviews fail the workbench UI tests. Collected from the
// test side, by two witnesses: Chromium's console line for each refusal (which reaches the test from every frame,
// the webview's inner iframe included; csp.test.mjs proves it), and a `securitypolicyviolation` listener that
// Playwright's init script adds to frames it can reach. Nothing in the extension or its webview changes for this.
import { afterEach } from 'mocha';

/** Every watched page; the root afterEach below checks each one after every test. */
const watchers = new Set();

/**
 * Starts collecting CSP violations on `page`. Call before the Chat view is revealed, so its frames are covered.
 * Returns the list (each { frame, directive, blocked, sample } or { console }) and `stop()`.
 */
export async function watchCsp(page) {
	const violations = [];
	await page.exposeBinding('__switchboardCspViolation', (source, violation) => {
		violations.push({ frame: source.frame.url().slice(0, 160), ...violation });
	});
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			const report = window.__switchboardCspViolation;
			if (typeof report === 'function') {
				void report({ directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample, disposition: event.disposition });
			}
		});
	});
	const onConsole = (message) => {
		if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push({ console: message.text().slice(0, 400) });
	};
	page.on('console', onConsole);
	const watcher = { page, violations, checked: 0, stop: () => { page.off('console', onConsole); watchers.delete(watcher); } };
	watchers.add(watcher);
	return watcher;
}

/** The violations no check has reported yet, across all watched pages. */
function unreported() {
	const found = [];
	for (const watcher of watchers) {
		found.push(...watcher.violations.slice(watcher.checked));
		watcher.checked = watcher.violations.length;
	}
	return found;
}

// A root-level hook (this module is loaded once, by the workbench support module): after every test, zero new
// violations, or the test's run fails with the list.
afterEach(async () => {
	// A refused load is reported asynchronously; give the last one a moment to arrive.
	if (watchers.size > 0) await new Promise((resolve) => setTimeout(resolve, 200));
	const found = unreported();
	if (found.length > 0) throw new Error(`${found.length} Content-Security-Policy violation(s) in the workbench: ${JSON.stringify(found, null, 1)}`);
});
