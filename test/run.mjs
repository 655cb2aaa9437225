#!/usr/bin/env node
// `npm test`: installs what is missing, builds, runs every suite and ends with one line `N passed, M failed`.
//   unit         mocha over test/unit/** in plain Node (.mocharc.json)
//   reliability  test/reliability/**: faults, adversarial inputs, secret hygiene, 2,000-input fuzz runs (plain Node)
//   integration  mocha inside a real VS Code extension host (code-server), through @vscode/test-electron + code-shim
//   ui           test/ui/**/*.test.mjs (mocha or node:test) driving the workbench or the webview in Chromium
// Options: --only unit,reliability,integration,ui   --skip-install   --verbose (passed to the extension-host runner)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_DIR, SAMPLE_WORKSPACE } from './harness/lib.mjs';
import { build, ensureCodeServer, ensureNodeModules, say } from './harness/setup.mjs';

const { values: options } = parseArgs({
	options: {
		only: { type: 'string' },
		'skip-install': { type: 'boolean', default: false },
		verbose: { type: 'boolean', default: false },
	},
});
const SUITES = ['unit', 'reliability', 'integration', 'ui'];
const selected = options.only ? options.only.split(',').map((name) => name.trim()) : SUITES;
for (const name of selected) if (!SUITES.includes(name)) throw new Error(`unknown suite "${name}" (one of ${SUITES.join(', ')})`);

/** Runs a command, echoing its output while keeping it for the summary parsers. */
function runCaptured(command, args, extra = {}) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'], ...extra });
		let output = '';
		child.stdout.on('data', (data) => {
			output += data;
			process.stdout.write(data);
		});
		child.stderr.on('data', (data) => {
			output += data;
			process.stderr.write(data);
		});
		child.on('close', (code) => resolve({ code: code ?? 1, output }));
	});
}

function lastNumber(text, pattern) {
	const all = [...text.matchAll(pattern)];
	return all.length ? Number(all[all.length - 1][1]) : 0;
}

async function unitSuite() {
	const { code, output } = await runCaptured(process.execPath, [path.join(REPO_DIR, 'node_modules/mocha/bin/mocha.js'), '--reporter', 'spec', '--no-color']);
	const passed = lastNumber(output, /^\s*(\d+) passing\b/gm);
	const failed = lastNumber(output, /^\s*(\d+) failing\b/gm);
	// A crash before mocha's summary (a syntax error in a test file) still counts as a failure.
	return { passed, failed: code !== 0 && failed === 0 ? 1 : failed };
}

/** Each file prints what it tried and what held; `npm run test:adversarial` is the long fuzz run. */
async function reliabilitySuite() {
	const { code, output } = await runCaptured(process.execPath, [
		path.join(REPO_DIR, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--require', 'test/support/register.cjs', '--extension', 'ts',
		'--reporter', 'spec', '--no-color', '--timeout', '180000', 'test/reliability/**/*.test.ts',
	]);
	const passed = lastNumber(output, /^\s*(\d+) passing\b/gm);
	const failed = lastNumber(output, /^\s*(\d+) failing\b/gm);
	return { passed, failed: code !== 0 && failed === 0 ? 1 : failed };
}

async function integrationSuite() {
	const { buildIntegrationTests, INTEGRATION_ENTRY } = await import('./harness/buildIntegration.mjs');
	await buildIntegrationTests();
	const { runTests } = await import('@vscode/test-electron');
	const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-results-')), 'exthost.json');
	let exitCode;
	try {
		exitCode = await runTests({
			vscodeExecutablePath: path.join(REPO_DIR, 'test/harness/code-shim'),
			// The second extension is another AI extension the language-model tests talk to (test/fixtures/lm-peer).
			extensionDevelopmentPath: [REPO_DIR, path.join(REPO_DIR, 'test/fixtures/lm-peer')],
			extensionTestsPath: INTEGRATION_ENTRY,
			launchArgs: [SAMPLE_WORKSPACE],
			extensionTestsEnv: { SWITCHBOARD_EXTHOST_RESULTS: resultsFile, ...(options.verbose ? { SWITCHBOARD_VERBOSE: '1' } : {}) },
		});
	} catch (error) {
		// runTests rejects on a non-zero exit; the counts file still says what happened.
		console.error(`[npm test] extension-host run: ${error instanceof Error ? error.message : error}`);
		exitCode = 1;
	}
	let counts = { passed: 0, failed: 0 };
	if (fs.existsSync(resultsFile)) counts = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
	fs.rmSync(path.dirname(resultsFile), { recursive: true, force: true });
	return { passed: counts.passed, failed: exitCode !== 0 && counts.failed === 0 ? 1 : counts.failed };
}

function uiTestFiles() {
	const dir = path.join(REPO_DIR, 'test/ui');
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.test.mjs')).sort().map((file) => path.join(dir, file));
}

async function mochaFiles(files) {
	const { code, output } = await runCaptured(process.execPath, [
		path.join(REPO_DIR, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--reporter', 'spec', '--no-color', '--timeout', '240000', ...files,
	]);
	const passed = lastNumber(output, /^\s*(\d+) passing\b/gm);
	const failed = lastNumber(output, /^\s*(\d+) failing\b/gm);
	return { passed, failed: code !== 0 && failed === 0 ? 1 : failed };
}

async function nodeTestFiles(files) {
	// One workbench at a time: each test starts its own code-server and Chromium, and CI has two cores.
	const { code, output } = await runCaptured(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', '--test-timeout=240000', ...files]);
	const passed = lastNumber(output, /^ℹ pass (\d+)/gm);
	const failed = lastNumber(output, /^ℹ fail (\d+)/gm) + lastNumber(output, /^ℹ cancelled (\d+)/gm);
	return { passed, failed: code !== 0 && failed === 0 ? 1 : failed };
}

/** UI test files may be written for node:test or for mocha; each group runs under its own runner. */
async function uiSuite() {
	const files = uiTestFiles();
	if (files.length === 0) {
		console.log('(no UI tests in test/ui)');
		return { passed: 0, failed: 0 };
	}
	const usesNodeTest = (file) => /from\s+['"](node:)?test['"]/.test(fs.readFileSync(file, 'utf8'));
	const totals = { passed: 0, failed: 0 };
	for (const [group, run] of [[files.filter((file) => !usesNodeTest(file)), mochaFiles], [files.filter(usesNodeTest), nodeTestFiles]]) {
		if (group.length === 0) continue;
		const result = await run(group);
		totals.passed += result.passed;
		totals.failed += result.failed;
	}
	return totals;
}

const started = Date.now();
const totals = { passed: 0, failed: 0 };
try {
	if (!options['skip-install']) {
		ensureNodeModules();
		if (selected.some((name) => name === 'integration' || name === 'ui')) ensureCodeServer();
	}
	build();
	const runners = { unit: unitSuite, reliability: reliabilitySuite, integration: integrationSuite, ui: uiSuite };
	for (const name of selected) {
		say(`${name} tests`);
		const suiteStarted = Date.now();
		const result = await runners[name]();
		console.log(`[npm test] ${name}: ${result.passed} passed, ${result.failed} failed (${((Date.now() - suiteStarted) / 1000).toFixed(1)} s)`);
		totals.passed += result.passed;
		totals.failed += result.failed;
	}
} catch (error) {
	console.error(`[npm test] ${error instanceof Error ? error.message : error}`);
	totals.failed += 1;
}
console.log(`\n[npm test] finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
