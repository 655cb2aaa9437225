#!/usr/bin/env node
// `npm start`: VS Code (code-server) in your browser with Switchboard loaded from this checkout.
// Installs what is missing, builds, starts the server and prints the URL; Ctrl+C stops it.
//   node test/harness/start.mjs [--workspace DIR] [--port N] [--host ADDRESS] [--settings FILE.json]
// Without --workspace it opens a scratch copy of test/harness/workspace.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_DIR, SAMPLE_WORKSPACE, copyDir, startCodeServer, workbenchUrl } from './lib.mjs';
import { build, ensureCodeServer, ensureNodeModules, say } from './setup.mjs';

/**
 * Starts code-server with the extension as a development extension on `workspace` and resolves with
 * { url, server, workspace, stop }. `settings` are user settings; `env` reaches the extension host.
 */
export async function startDevServer({ workspace, port, host, settings = {}, env = {} } = {}) {
	ensureNodeModules();
	ensureCodeServer();
	build();
	const folder = workspace ? path.resolve(workspace) : copyDir(SAMPLE_WORKSPACE, 'switchboard-sample-');
	say('starting code-server');
	// Installed (linked), not a development extension: a development extension needs the smoke-test driver, which
	// hides the notification toasts a person relies on ("API key saved", Test Connection's answer).
	const server = await startCodeServer({ port, host, settings, env, testDriver: false, installed: [REPO_DIR] });
	const url = workbenchUrl(server, { folder });
	const stop = async () => {
		await server.stop();
		if (!workspace) fs.rmSync(folder, { recursive: true, force: true });
	};
	return { url, server, workspace: folder, stop };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const { values: options } = parseArgs({
		options: {
			workspace: { type: 'string' },
			port: { type: 'string', default: process.env.PORT },
			host: { type: 'string', default: '127.0.0.1' },
			settings: { type: 'string' },
		},
	});
	const settings = options.settings ? JSON.parse(fs.readFileSync(options.settings, 'utf8')) : {};
	const dev = await startDevServer({ workspace: options.workspace, port: options.port ? Number(options.port) : undefined, host: options.host, settings });
	let stopping = false;
	const shutdown = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\n[switchboard] stopping code-server');
		await dev.stop();
		process.exit(0);
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
	dev.server.child.on('exit', (code) => {
		if (stopping) return;
		console.error(`[switchboard] code-server exited (${code}):\n${dev.server.output.join('').slice(-2000)}`);
		process.exit(1);
	});
	console.log(`\n  Switchboard is running in VS Code (code-server) on the workspace ${dev.workspace}`);
	console.log('  Open this URL in your browser (after a rebuild, run "Developer: Reload Window" there):\n');
	console.log(`  ${dev.url}\n`);
	console.log('  Press Ctrl+C to stop.');
}
