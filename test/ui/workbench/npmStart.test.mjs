// `npm start` as a new user runs it: through npm (so with npm's environment, which once broke the nested
// code-server install), printing no npm warnings, then the printed URL opened in Chromium shows Switchboard as an
// installed extension, and a command's answer reaches the user as a notification toast (the smoke-test driver,
// which hides toasts, is for the test runner only).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { REPO_DIR, freePort, launchChromium, makeTempDir } from '../../harness/lib.mjs';
import { startScriptedModel } from '../../support/scriptedModel.mjs';
import { scriptedProvider, until } from './support.mjs';

describe('npm start: VS Code with Switchboard at the printed URL, toasts and all', function () {
	this.timeout(240000);
	let model;
	let child;
	let output = '';
	let browser;
	let settingsDir;

	before(async () => {
		model = await startScriptedModel({ delayMs: 0 });
		settingsDir = makeTempDir('switchboard-start-settings-');
		const settingsFile = path.join(settingsDir, 'settings.json');
		fs.writeFileSync(settingsFile, JSON.stringify({
			'switchboard.providers': [{ ...scriptedProvider(model), label: 'Local scripted' }],
			'switchboard.defaultModel': 'demo/scripted-1',
		}));
		const port = await freePort();
		// `npm start` itself, not the script behind it: npm's variables reach the install step as they do for a user.
		child = spawn('npm', ['start', '--', '--port', String(port), '--settings', settingsFile], { cwd: REPO_DIR, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.on('data', (data) => (output += data));
		child.stderr.on('data', (data) => (output += data));
		await until(() => /^\s*(http:\/\/127\.0\.0\.1:\d+\/\?\S+)$/m.test(output) || child.exitCode !== null, 'npm start printed no URL', 180000);
		browser = await launchChromium();
	});
	after(async () => {
		await browser?.close();
		if (child?.pid) {
			try {
				process.kill(-child.pid, 'SIGINT');
			} catch {
				// already gone
			}
			await until(() => child.exitCode !== null || child.signalCode !== null, 'npm start did not stop on Ctrl+C', 20000).catch(() => process.kill(-child.pid, 'SIGKILL'));
		}
		await model?.close();
		if (settingsDir) fs.rmSync(settingsDir, { recursive: true, force: true });
	});

	it('prints the URL and no npm warning, and leaves the smoke-test driver out', () => {
		assert.equal(child.exitCode, null, `npm start exited:\n${output.slice(-3000)}`);
		assert.doesNotMatch(output, /npm warn/i, 'a clean start prints no npm warnings');
		assert.doesNotMatch(output, /payload=.*extensionDevelopmentPath/, 'the extension is installed, not loaded through the test-only URL payload');
	});

	it('shows Switchboard, and Test Connection answers in a toast', async () => {
		const url = output.match(/^\s*(http:\/\/127\.0\.0\.1:\d+\/\?\S+)$/m)[1];
		const page = browser.context.pages()[0] ?? (await browser.context.newPage());
		await page.goto(url);
		await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
		await page.locator('.activitybar .action-label[aria-label^="Switchboard"]').waitFor({ timeout: 90000 });
		await page.keyboard.press('F1');
		await page.keyboard.type('Switchboard: Test Connection');
		await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Test Connection' }).first().waitFor({ timeout: 30000 });
		await page.keyboard.press('Enter');
		const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /answered/ });
		await toast.waitFor({ timeout: 60000 });
		assert.match(await toast.textContent(), /scripted-1/);
		assert.ok(model.chatRequests().length >= 1, 'the test request reached the server');
	});
});
