#!/usr/bin/env node
// Runs extension tests in VS Code's real Node extension host (code-server), with a headless Chromium as the
// workbench client. The equivalent of `code --extensionDevelopmentPath=DEV --extensionTestsPath=TESTS WORKSPACE`.
//   node run-ext-tests.mjs --dev <extension dir> [--dev <another>] --tests <compiled index.js> [--workspace <dir>] [--env K=V ...]
//        [--timeout 1200] [--results counts.json] [--screenshot-on-timeout file.png] [--verbose]
// Exit code: the tests' (0 = all passed); 2 on a timeout or an infrastructure error. The timeout guards the whole
// run against a wedged host, not any one test (mocha times those): it is generous, as the suite keeps growing.
// The tests can press real keys in the browser through a small loopback "driver" (see startDriver below), so a
// password input box is filled the way a user fills it.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import util, { parseArgs } from 'node:util';
import { copyDir, launchChromium, makeTempDir, startCodeServer, workbenchUrl } from './lib.mjs';

const { values: options } = parseArgs({
	options: {
		dev: { type: 'string', multiple: true },
		tests: { type: 'string' },
		workspace: { type: 'string' },
		env: { type: 'string', multiple: true, default: [] },
		timeout: { type: 'string', default: '1200' },
		results: { type: 'string', default: process.env.SWITCHBOARD_EXTHOST_RESULTS },
		'screenshot-on-timeout': { type: 'string' },
		verbose: { type: 'boolean', default: process.env.SWITCHBOARD_VERBOSE === '1' },
	},
});
if (!options.dev?.length || !options.tests) {
	console.error('usage: run-ext-tests.mjs --dev <extension dir> --tests <tests/index.js> [--workspace dir]');
	process.exit(2);
}
const extensionEnvironment = Object.fromEntries(options.env.map((pair) => {
	const equals = pair.indexOf('=');
	return [pair.slice(0, equals), pair.slice(equals + 1)];
}));
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

/**
 * Real input for the tests: POST {"waitFor": selector}, {"click": selector}, {"type": text} and/or {"press": key},
 * applied in that order (Playwright selectors);
 * answers 204 once done. waitFor lets a test wait until e.g. the quick input is on screen before typing.
 */
function startDriver(page) {
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', async () => {
			try {
				const action = JSON.parse(body);
				if (typeof action.waitFor === 'string') await page.locator(action.waitFor).first().waitFor({ state: 'visible', timeout: 20000 });
				if (typeof action.click === 'string') await page.locator(action.click).first().click({ timeout: 20000 });
				if (typeof action.type === 'string') await page.keyboard.type(action.type, { delay: 10 });
				if (typeof action.press === 'string') await page.keyboard.press(action.press);
				response.writeHead(204).end();
			} catch (error) {
				response.writeHead(500).end(String(error));
			}
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Tests change the workspace, so each run gets a copy (or an empty folder).
const workspace = options.workspace ? copyDir(options.workspace) : makeTempDir('switchboard-ws-');
let server;
let browser;
let driver;
let exitCode = 2;
const counts = {};
const cleanup = async () => {
	driver?.close();
	if (browser) await browser.close();
	if (server) await server.stop();
	fs.rmSync(workspace, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, async () => {
		await cleanup();
		process.exit(130);
	});
}

try {
	// The web workbench's URL payload takes one development extension (a repeated extensionDevelopmentPath replaces
	// the one before), so any further --dev folder (a test extension beside Switchboard) is installed instead.
	server = await startCodeServer({
		installed: options.dev.slice(1).map((folder) => path.resolve(folder)),
		log: options.verbose ? (text) => process.stderr.write(`[server] ${text}`) : undefined,
	});
	console.log(`[runner] code-server up on ${server.base} in ${server.startupMs} ms`);
	browser = await launchChromium();
	const page = browser.context.pages()[0] ?? (await browser.context.newPage());
	driver = await startDriver(page);
	extensionEnvironment.SWITCHBOARD_TEST_DRIVER = `http://127.0.0.1:${driver.address().port}`;

	// The web workbench reports extension-test output and the exit code through these two hooks.
	let resolveExit;
	const exited = new Promise((resolve) => (resolveExit = resolve));
	const NOISE = /^(\[[^\]]+\] |Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache)/;
	await page.exposeFunction('codeAutomationLog', (type, args) => {
		const text = util.format(...(Array.isArray(args) ? args : [args]));
		if (!options.verbose && ['info', 'trace', 'debug'].includes(type) && NOISE.test(text)) return;
		// Offline: marketplace and GitHub-auth lookups fail by design.
		if (!options.verbose && type === 'error' && /ENOTFOUND|gallery|authentication provider 'github'/i.test(text)) return;
		console.log(type === 'info' || type === 'log' ? text : `[${type}] ${text}`);
		for (const [, count, kind] of text.matchAll(/^\s*(\d+) (passing|failing|pending)\b/gm)) counts[kind] = Number(count);
	});
	await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
	if (options.verbose) {
		page.on('console', (message) => console.log(`[browser:${message.type()}] ${message.text()}`));
		page.on('pageerror', (error) => console.log(`[browser:pageerror] ${error.message}`));
	}

	await page.goto(workbenchUrl(server, {
		folder: workspace,
		extensionDevelopmentPath: path.resolve(options.dev[0]),
		extensionTestsPath: path.resolve(options.tests),
		extensionEnvironment,
	}));
	console.log(`[runner] workbench loaded (${elapsed()}); the extension host runs the tests`);

	const timeoutSeconds = Number(options.timeout);
	let timer;
	const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000)));
	const result = await Promise.race([exited, timedOut]);
	clearTimeout(timer);
	if (result === 'timeout') {
		console.error(`[runner] TIMEOUT after ${timeoutSeconds} s: the tests never reported an exit code`);
		if (options['screenshot-on-timeout']) await page.screenshot({ path: options['screenshot-on-timeout'] });
		if (!options.verbose) console.error(server.output.join('').slice(-4000));
	} else {
		exitCode = Number(result);
		console.log(`[runner] extension host exit code ${exitCode} (${elapsed()})`);
	}
} catch (error) {
	console.error('[runner] error:', error?.stack ?? error);
	exitCode = 2;
} finally {
	await cleanup();
}
const summary = { passed: counts.passing ?? 0, failed: counts.failing ?? 0, pending: counts.pending ?? 0, exitCode };
// A run that failed without mocha reporting a failure (crash, timeout) still counts as one failure.
if (exitCode !== 0 && summary.failed === 0) summary.failed = 1;
console.log(`exthost: ${summary.passed} passed, ${summary.failed} failed${summary.pending ? `, ${summary.pending} pending` : ''}`);
if (options.results) fs.writeFileSync(options.results, JSON.stringify(summary));
process.exit(exitCode);
