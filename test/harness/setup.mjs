// The install and build steps shared by `npm test` and `npm start`. Imports nothing from node_modules, so it
// runs on a fresh clone before `npm ci`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { INSTALL_SCRIPT, REPO_DIR } from './lib.mjs';

export function say(text) {
	console.log(`\n[switchboard] ${text}`);
}

export function mustRun(command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: REPO_DIR, stdio: 'inherit', ...options });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** npm ci when node_modules is missing or older than the lockfile (npm's hidden lockfile records the last install). */
export function ensureNodeModules() {
	const installed = path.join(REPO_DIR, 'node_modules/.package-lock.json');
	const lock = path.join(REPO_DIR, 'package-lock.json');
	if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return;
	say('npm ci (node_modules is missing or older than package-lock.json)');
	mustRun('npm', ['ci', '--no-audit', '--no-fund']);
}

/** Chromium, Node 24 and code-server (VS Code 1.139) in the cache directory. */
export function ensureCodeServer() {
	mustRun('bash', [INSTALL_SCRIPT]);
}

export function build(extraArgs = []) {
	say('build');
	mustRun(process.execPath, ['esbuild.mjs', ...extraArgs]);
}

// `npm run setup`: the install steps alone, exactly as `npm start` and `npm test` take them (inside an npm script,
// so with npm's environment). `.ci/run` calls it on an empty VS Code cache to prove a new user's first run.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
	ensureNodeModules();
	ensureCodeServer();
}
