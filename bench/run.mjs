#!/usr/bin/env node
// `npm run bench`: builds the production bundles and the .vsix, runs each benchmark in its own process, prints
// the table (measure | figure | budget | holds?), writes bench/results.json and the table in bench/README.md.
// Not part of `npm test`. Options: --only <id,id> runs some benchmarks (e.g. --only providers,search).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, ensureNodeModules } from '../test/harness/setup.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const tmp = join(here, 'tmp');
const register = ['-r', './test/support/register.cjs'];
const benches = [
	{ id: 'providers', args: [...register, 'bench/providers.ts'], timeoutS: 240 },
	{ id: 'agent-loop', args: [...register, 'bench/agentLoop.ts'], timeoutS: 120 },
	{ id: 'search', args: [...register, 'bench/search.ts'], timeoutS: 180 },
	{ id: 'mentions', args: [...register, 'bench/mentions.ts'], timeoutS: 120 },
	{ id: 'read', args: [...register, 'bench/readHuge.ts'], timeoutS: 60 },
	{ id: 'history', args: [...register, 'bench/history.ts'], timeoutS: 60 },
	{ id: 'webview', args: ['bench/webview/webview.mjs'], timeoutS: 300 },
	{ id: 'activation', args: ['bench/activation.mjs'], timeoutS: 240, vscode: true },
	{ id: 'e2e', args: ['bench/e2e/e2e.mjs'], timeoutS: 480, vscode: true },
	{ id: 'continue-adapters', args: [...register, 'bench/sideBySide/continueAdapters.ts'], timeoutS: 180, agents: true },
	{ id: 'agents', args: [...register, 'bench/sideBySide/wholeAgent.ts'], timeoutS: 420, agents: true },
];
/** One real VS Code at a time on a shared machine: the code-server benches wait for this lock (as the UI tests do). */
const vscodeLock = '/tmp/switchboard-vscode.lock';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
const started = Date.now();
// The machine is shared: the load average says how much the absolute (non-ratio) figures were disturbed.
const loadBefore = os.loadavg();
const log = (line) => process.stderr.write(`${line}\n`);
mkdirSync(tmp, { recursive: true });
// Like npm test, it installs what it needs: the packages, and code-server (activation; its ripgrep for search).
ensureNodeModules();
ensureCodeServer();

/** The other agents of the side-by-side rows, pinned in bench/agents (its own package and lockfile), installed once. */
function ensureAgents() {
	const dir = join(here, 'agents');
	const stamp = join(dir, 'node_modules/.package-lock.json');
	const wanted = Object.keys(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies);
	if (existsSync(stamp) && wanted.every((name) => readFileSync(stamp, 'utf8').includes(`"node_modules/${name}"`))) return undefined;
	// npm install, not npm ci: it installs the lockfile's versions too, but npm ci refuses this lockfile because
	// @qwen-code/qwen-code names optional clipboard packages for other platforms that cannot be locked.
	log('[bench] installing the side-by-side agents into bench/agents (npm install from its lockfile, once; about 1.3 GB)');
	const installed = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
	return installed.status === 0 ? undefined : `npm install in bench/agents failed: ${(installed.stderr || String(installed.error)).trim().split('\n').slice(-3).join(' ')}`;
}

function run(command, args, timeoutS, env = {}) {
	return spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: timeoutS * 1000, killSignal: 'SIGKILL', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/**
 * The shipped artefacts: production bundles and the .vsix. When `npm run package` fails, the .vsix is packed again
 * with relative README links left alone (the one check that fails without a repository URL), and the row says so.
 */
function build() {
	log('[bench] npm run package (production bundles + .vsix)');
	const packaged = run('npm', ['run', 'package'], 180);
	if (packaged.status === 0) return undefined;
	const output = `${packaged.stdout}\n${packaged.stderr}`;
	log(`[bench] npm run package failed:\n${output}`);
	const built = run(process.execPath, ['esbuild.mjs', '--production'], 120);
	if (built.status !== 0) throw new Error(`build failed:\n${built.stderr}`);
	const reason = /ERROR\s+(.*)/.exec(output)?.[1]?.split('. ')[0] ?? 'see the log';
	const fallback = run('npx', ['vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', 'dist/switchboard-chat.vsix'], 180);
	if (fallback.status !== 0) return `npm run package failed: ${reason}`;
	return `npm run package failed (${reason}); packed with --no-rewrite-relative-links`;
}

let lockWaitMs = 0;
/** Each bench's own time, lock waits excluded: the whole run has a budget, so where it goes is reported. */
const secondsByBench = {};
const hasFlock = spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0;

function runBench(bench, env) {
	const out = join(tmp, `${bench.id}.json`);
	rmSync(out, { force: true });
	log(`[bench] ${bench.id} …`);
	const benchStarted = Date.now();
	// Waiting for the lock is not the bench's time: the moment it is held is written down, the wait counted apart
	// (up to 20 minutes of it are allowed on top of the bench's own timeout).
	const locked = join(tmp, `${bench.id}.locked`);
	rmSync(locked, { force: true });
	const command = bench.vscode && hasFlock ? 'flock' : process.execPath;
	const args = bench.vscode && hasFlock ? [vscodeLock, 'sh', '-c', 'date +%s%3N > "$0"; exec "$@"', locked, process.execPath, ...bench.args] : bench.args;
	const result = run(command, args, bench.timeoutS + (bench.vscode ? 1200 : 0), { ...env, BENCH_OUT: out });
	const waitedMs = existsSync(locked) ? Math.max(0, Number(readFileSync(locked, 'utf8')) - benchStarted) : 0;
	lockWaitMs += waitedMs;
	if (result.stderr) process.stderr.write(result.stderr);
	secondsByBench[bench.id] = Math.round((Date.now() - benchStarted - waitedMs) / 1000);
	const seconds = secondsByBench[bench.id].toFixed(0);
	if (result.status === 0 && existsSync(out)) {
		log(`[bench] ${bench.id} done in ${seconds} s`);
		return JSON.parse(readFileSync(out, 'utf8'));
	}
	const why = result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGKILL' ? `timed out after ${bench.timeoutS} s` : `failed (exit ${result.status})`;
	return [{ id: bench.id, measure: bench.id, figure: `n/a (${why})`, budget: '', holds: false }];
}

function table(rows) {
	const header = ['measure', 'figure', 'budget', 'holds?'];
	const cells = rows.map((row) => [row.measure, row.figure, row.budget, row.holds === null ? '—' : row.holds ? 'yes' : 'NO']);
	const markdown = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...cells.map((line) => `| ${line.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`)].join('\n');
	const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column].length)));
	const text = [header, ...cells].map((line) => line.map((cell, column) => cell.padEnd(widths[column])).join(' | ')).join('\n');
	return { markdown, text };
}

/**
 * Other work in this checkout rebuilds dist/ (development bundles) at any time, so the shipped files are
 * snapshotted at once: the .vsix unpacked (what the webview and activation benches load) and the CLI copied.
 */
function snapshot() {
	const shipped = join(tmp, 'shipped');
	rmSync(shipped, { recursive: true, force: true });
	mkdirSync(shipped, { recursive: true });
	copyFileSync(join(root, 'dist/cli.js'), join(shipped, 'cli.js'));
	const vsix = join(root, 'dist/switchboard-chat.vsix');
	if (existsSync(vsix)) {
		copyFileSync(vsix, join(shipped, 'switchboard-chat.vsix'));
		const unzipped = run('unzip', ['-q', '-o', vsix, '-d', shipped], 60);
		if (unzipped.status !== 0) log(`[bench] could not unpack the .vsix (${unzipped.stderr || unzipped.error}); using dist/`);
	}
	return shipped;
}

const packageNote = build();
const shipped = snapshot();
const agentsProblem = benches.some((bench) => bench.agents && (!only || only.includes(bench.id))) ? ensureAgents() : undefined;
const rows = [];
for (const bench of benches) {
	if (only && !only.includes(bench.id)) continue;
	if (bench.agents && agentsProblem) {
		rows.push({ id: bench.id, measure: bench.id, figure: `n/a (${agentsProblem})`, budget: '', holds: false });
		continue;
	}
	rows.push(...runBench(bench, { BENCH_SHIPPED: shipped, ...(packageNote ? { BENCH_PACKAGE_NOTE: packageNote } : {}) }));
}
const lockWaitSeconds = lockWaitMs / 1000;
const totalSeconds = (Date.now() - started) / 1000 - lockWaitSeconds;
const budgetSeconds = 600;
if (!only) {
	const parts = Object.entries(secondsByBench).map(([id, seconds]) => `${id} ${seconds}`).join(', ');
	rows.push({
		id: 'bench-time',
		measure: 'npm run bench: its own run time (build and package included, waits for the shared VS Code lock excluded)',
		figure: `${totalSeconds.toFixed(0)} s (${parts} s; the rest building)`,
		budget: `< ${budgetSeconds} s on 2 cores`,
		holds: totalSeconds < budgetSeconds,
		data: { secondsByBench },
	});
}
const { markdown, text } = table(rows);
console.log(`\n${text}\n`);
const failed = rows.filter((row) => row.holds === false).length;
console.log(`${rows.length} rows, ${failed} budget(s) missed, ${totalSeconds.toFixed(0)} s (and ${lockWaitSeconds.toFixed(0)} s waiting for the VS Code lock)`);

const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 1e9), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage1mBefore: loadBefore[0], loadAverage1mAfter: os.loadavg()[0] };
if (!only) {
	writeFileSync(join(here, 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), totalSeconds, lockWaitSeconds, machine, rows }, null, '\t')}\n`);
	const readme = join(here, 'README.md');
	if (existsSync(readme)) {
		const load = `load average ${machine.loadAverage1mBefore.toFixed(1)} → ${machine.loadAverage1mAfter.toFixed(1)}`;
		const stamp = `Latest run: ${new Date().toISOString().slice(0, 10)}, ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}, ${load}, ${totalSeconds.toFixed(0)} s in all (not counting ${lockWaitSeconds.toFixed(0)} s waiting for the shared VS Code lock).`;
		const updated = readFileSync(readme, 'utf8').replace(/<!-- results:start -->[\s\S]*<!-- results:end -->/, `<!-- results:start -->\n${stamp}\n\n${markdown}\n<!-- results:end -->`);
		writeFileSync(readme, updated);
	}
}
