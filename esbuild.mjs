// Three bundles: the extension host (Node, CommonJS, 'vscode' external), the webview (browser IIFE) and the CLI.
import { copyFileSync, mkdirSync } from 'node:fs';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// `--cli-only`: just dist/cli.js, for packing the CLI (src/cli/pack.mjs) without touching the extension's bundles.
const cliOnly = process.argv.includes('--cli-only');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
const allBuilds = [
	{ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
	{ ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'chrome120' },
	// jsonc-parser's main file is a UMD wrapper whose require() calls esbuild cannot follow; its ESM build bundles.
	{ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' }, alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' } },
];
const builds = cliOnly ? allBuilds.filter((options) => options.outfile === 'dist/cli.js') : allBuilds;

// The webview loads VS Code's codicon font from the extension itself (the CSP allows nothing remote), so ship both files.
function copyCodicons() {
	mkdirSync('dist', { recursive: true });
	for (const name of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${name}`, `dist/${name}`);
}

if (!cliOnly) copyCodicons();
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
