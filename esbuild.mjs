// Three bundles: the extension host (Node, CommonJS, 'vscode' external), the webview (browser IIFE) and the CLI.
import { copyFileSync, mkdirSync } from 'node:fs';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
const builds = [
	{ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
	{ ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'chrome120' },
	{ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
];

// The webview loads VS Code's codicon font from the extension itself (the CSP allows nothing remote), so ship both files.
function copyCodicons() {
	mkdirSync('dist', { recursive: true });
	for (const name of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${name}`, `dist/${name}`);
}

copyCodicons();
if (watch) {
	for (const options of builds) {
		const context = await esbuild.context(options);
		await context.watch();
	}
	console.log('[esbuild] watching');
} else {
	const started = Date.now();
	await Promise.all(builds.map((options) => esbuild.build(options)));
	console.log(`[esbuild] built ${builds.length} bundles in ${Date.now() - started} ms`);
}
