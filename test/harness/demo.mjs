#!/usr/bin/env node
// `npm run demo`: VS Code (code-server) with Switchboard and the test suite's scripted local model preconfigured as
// the provider "Demo (scripted)" (id `demo`, no key), on a scratch copy of the sample workspace. Prints the URL
// and stays up until Ctrl+C. Anyone can watch a whole tool conversation without an account or a key.
//   node test/harness/demo.mjs [--port N] [--host ADDRESS] [--slow]
// The scripted model always listens on loopback: only the extension host (on this machine) talks to it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startScriptedModel } from '../support/scriptedModel.mjs';
import { startDevServer } from './start.mjs';

export const DEMO_PROVIDER_ID = 'demo';
export const DEMO_PROVIDER_LABEL = 'Demo (scripted)';

/** The user settings that make the scripted model the default provider. */
export function demoSettings(model) {
	return {
		'switchboard.providers': [{ id: DEMO_PROVIDER_ID, label: DEMO_PROVIDER_LABEL, protocol: 'openai', baseUrl: model.baseUrl, models: model.models, auth: 'none' }],
		'switchboard.defaultModel': `${DEMO_PROVIDER_ID}/${model.models[0]}`,
	};
}

/** Starts the scripted model and code-server; resolves with { url, model, dev, stop }. */
export async function startDemo({ port, host, delayMs = 35 } = {}) {
	const model = await startScriptedModel({ models: ['scripted-1'], delayMs });
	try {
		const dev = await startDevServer({ port, host, settings: demoSettings(model) });
		const stop = async () => {
			await dev.stop();
			await model.close();
		};
		return { url: dev.url, model, dev, stop };
	} catch (error) {
		await model.close();
		throw error;
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const { values: options } = parseArgs({
		options: {
			port: { type: 'string', default: process.env.PORT },
			host: { type: 'string', default: '127.0.0.1' },
			slow: { type: 'boolean', default: false },
		},
	});
	const demo = await startDemo({ port: options.port ? Number(options.port) : undefined, host: options.host, delayMs: options.slow ? 120 : 35 });
	let stopping = false;
	const shutdown = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\n[switchboard demo] stopping');
		await demo.stop();
		process.exit(0);
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
	demo.dev.server.child.on('exit', (code) => {
		if (stopping) return;
		console.error(`[switchboard demo] code-server exited (${code}):\n${demo.dev.server.output.join('').slice(-2000)}`);
		void demo.model.close().then(() => process.exit(1));
	});
	console.log(`\n  Switchboard demo: VS Code with the provider "${DEMO_PROVIDER_LABEL}" (a scripted local model at ${demo.model.baseUrl}, no key)`);
	console.log(`  on a scratch copy of the sample workspace (${demo.dev.workspace}).\n`);
	console.log('  Open this URL in your browser:\n');
	console.log(`  ${demo.url}\n`);
	console.log('  Then click the Switchboard icon in the activity bar and try:');
	console.log('    What does src/greet.ts do?          (a tool call: Approve or Deny it)');
	console.log('    Compare README.md and notes.txt     (two calls at once: Approve all)');
	console.log('    slow story                          (a slow answer: press Stop)\n');
	console.log('  Press Ctrl+C to stop.');
}
