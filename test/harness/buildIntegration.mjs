// Compiles test/integration/**/*.ts to out/integration/ for the extension host: one CommonJS file per test file
// (mocha loads each after setting up its globals), with 'vscode' and 'mocha' left to the host's require.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { REPO_DIR } from './lib.mjs';

export const INTEGRATION_OUT = path.join(REPO_DIR, 'out/integration');
export const INTEGRATION_ENTRY = path.join(INTEGRATION_OUT, 'index.js');

export async function buildIntegrationTests() {
	const source = path.join(REPO_DIR, 'test/integration');
	const entryPoints = fs.readdirSync(source, { recursive: true, encoding: 'utf8' })
		.filter((file) => file === 'index.ts' || file.endsWith('.test.ts'))
		.map((file) => path.join(source, file));
	fs.rmSync(INTEGRATION_OUT, { recursive: true, force: true });
	await esbuild.build({
		entryPoints, outbase: source, outdir: INTEGRATION_OUT, bundle: true, platform: 'node', format: 'cjs',
		target: 'node20', sourcemap: 'inline', external: ['vscode', 'mocha'], logLevel: 'warning',
	});
	return entryPoints.length;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	console.log(`[build] ${await buildIntegrationTests()} integration entry points -> ${path.relative(REPO_DIR, INTEGRATION_OUT)}`);
}
