// Serves the built webview bundle on loopback with a VS Code API shim, and drives it in real Chromium.
// No VS Code here: the page is what a webview would show, the shim records what it would post to the host.
/* global window, requestAnimationFrame */
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
export const screenshotDir = join(root, 'test-results', 'webview-standalone');
const nonce = 'c3dpdGNoYm9hcmQtdGVzdA==';

const files = {
	'/dist/webview.js': [join(root, 'dist/webview.js'), 'text/javascript'],
	'/media/webview.css': [join(root, 'media/webview.css'), 'text/css'],
	'/dist/codicon.css': [join(root, 'node_modules/@vscode/codicons/dist/codicon.css'), 'text/css'],
	'/dist/codicon.ttf': [join(root, 'node_modules/@vscode/codicons/dist/codicon.ttf'), 'font/ttf'],
	'/theme.css': [join(here, 'theme.css'), 'text/css'],
	'/shim.js': [join(here, 'shim.js'), 'text/javascript'],
};

/** The CSP the host sets, as in issue 3: nothing by default, scripts by nonce, styles and images narrowly. */
function csp(origin) {
	return `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${origin}; img-src ${origin} data:; font-src ${origin}`;
}

function page(withCsp, origin) {
	const policy = withCsp ? `<meta http-equiv="Content-Security-Policy" content="${csp(origin)}">` : '';
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">${policy}
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/theme.css"><link rel="stylesheet" href="/dist/codicon.css"><link rel="stylesheet" href="/media/webview.css">
<script nonce="${nonce}" src="/shim.js"></script><title>Switchboard</title></head>
<body><script nonce="${nonce}" src="/dist/webview.js"></script></body></html>`;
}

/** Rebuilds the webview bundle (as esbuild.mjs does) so the test never runs a stale one. Takes ~100 ms. */
async function buildBundle() {
	await esbuild.build({
		entryPoints: [join(root, 'src/webview/main.ts')], outfile: join(root, 'dist/webview.js'),
		bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', sourcemap: true, logLevel: 'warning', legalComments: 'none',
	});
}

/** Starts the loopback server and Chromium. `requests` lists every URL the server was asked for. */
export async function startHarness() {
	await buildBundle();
	mkdirSync(screenshotDir, { recursive: true });
	const requests = [];
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		requests.push(url.pathname + url.search);
		if (url.pathname === '/' || url.pathname === '/csp') {
			response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			response.end(page(url.pathname === '/csp', `http://${request.headers.host}`));
			return;
		}
		const file = files[url.pathname];
		if (url.pathname === '/favicon.ico') {
			// Chromium asks for it on its own; not the panel's doing.
			response.writeHead(204).end();
			return;
		}
		if (!file) {
			response.writeHead(404).end();
			return;
		}
		response.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' });
		response.end(readFileSync(file[0]));
	});
	await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
	const origin = `http://127.0.0.1:${server.address().port}`;
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
	});
	return {
		origin,
		requests,
		browser,
		async close() {
			await browser.close();
			await new Promise((done) => server.close(done));
		},
	};
}

/** Opens the panel and answers its `ready` with `init`. */
export async function openPanel(harness, { csp: withCsp = false, init = defaultInit(), width = 420, height = 720 } = {}) {
	const context = await harness.browser.newContext({ viewport: { width, height }, colorScheme: 'dark' });
	const tab = await context.newPage();
	const errors = [];
	tab.on('pageerror', (error) => errors.push(error.message));
	tab.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
	await tab.goto(`${harness.origin}${withCsp ? '/csp' : '/'}`);
	await waitForPosted(tab, 'ready');
	if (init) await hostPost(tab, init);
	return { page: tab, errors, close: () => context.close() };
}

export function defaultInit() {
	return {
		type: 'init',
		state: {
			providers: [
				{ id: 'demo', label: 'Demo (scripted)', auth: 'none', hasKey: false, models: ['scripted-1'] },
				{ id: 'deepseek', label: 'DeepSeek', auth: 'apiKey', hasKey: true, models: ['deepseek-chat', 'deepseek-reasoner'] },
			],
			selected: { provider: 'demo', model: 'scripted-1' },
			approvalDefaults: { read: 'ask', write: 'ask', execute: 'ask' },
		},
		conversation: { id: 'c1', turns: [] },
		history: [],
	};
}

/** Delivers a host message the way VS Code does: a window `message` event. */
export async function hostPost(tab, ...messages) {
	await tab.evaluate((list) => { for (const message of list) window.postMessage(message, '*'); }, messages);
	// postMessage dispatches asynchronously; one frame lets the panel handle and render.
	await tab.evaluate(() => new Promise((done) => setTimeout(() => requestAnimationFrame(() => done()), 0)));
}

export function posted(tab) {
	return tab.evaluate(() => window.__posted);
}

export async function waitForPosted(tab, type) {
	await tab.waitForFunction((wanted) => window.__posted.some((message) => message.type === wanted), type, { timeout: 10000 });
	return (await posted(tab)).filter((message) => message.type === type);
}

export async function clearPosted(tab) {
	await tab.evaluate(() => { window.__posted.length = 0; });
}

export async function screenshot(tab, name) {
	await tab.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: false });
}

/** A waiting call's approval as the host decides it (src/shared/toolCall.ts CallApproval). */
export function asks(fields = {}) {
	return { mode: 'ask', offerAlwaysAllow: false, inApproveAll: true, ...fields };
}

/** A plausible read_file call in a given state. */
export function readCall(callId, state, extra = {}) {
	return {
		callId,
		toolName: 'read_file',
		summary: `Read src/${callId}.ts lines 1–80`,
		risk: 'read',
		argumentsText: JSON.stringify({ path: `src/${callId}.ts`, startLine: 1, endLine: 80 }, null, 2),
		state,
		...extra,
	};
}
