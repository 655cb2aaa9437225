// Builds dist/cli.js the way `npm run build` does and runs it as a child process, as a user would.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { afterEach, before, beforeEach } from 'mocha';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';

export const repoRoot = path.join(__dirname, '..', '..', '..');
export const cliPath = path.join(repoRoot, 'dist', 'cli.js');

// The CLI reads its default config file on every run: point XDG_CONFIG_HOME and APPDATA at an empty folder for the
// processes these helpers start, so the developer's own config file never takes part.
export const emptyConfigHome = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-noconfig-'));
process.env.XDG_CONFIG_HOME = emptyConfigHome;
process.env.APPDATA = emptyConfigHome;

/** Bundles src/cli/main.ts to dist/cli.js with the same options as esbuild.mjs's CLI entry. */
export async function buildCli(): Promise<void> {
	await build({
		entryPoints: [path.join(repoRoot, 'src', 'cli', 'main.ts')], outfile: cliPath, bundle: true, platform: 'node', format: 'cjs',
		target: 'node20', sourcemap: true, logLevel: 'warning', legalComments: 'none', banner: { js: '#!/usr/bin/env node' },
		alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
	});
}

export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
	/** How long the process ran, in ms. */
	elapsedMs: number;
	/** True when the deadline passed and the process was killed. */
	killed: boolean;
}

export interface RunCliOptions {
	/** Kill the process (SIGKILL) after this long, so a hang fails its test instead of the suite. */
	deadlineMs?: number;
	/** Send SIGINT (the user's Ctrl+C) when stderr first contains this text, `interruptDelayMs` later. */
	interruptWhen?: string;
	interruptDelayMs?: number;
}

/** Runs `node dist/cli.js ...args` with stdin not a TTY (a pipe closed at once), as in CI. */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = repoRoot, options: RunCliOptions = {}): Promise<CliRun> {
	return new Promise((resolve, reject) => {
		const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'SWITCHBOARD_API_KEY')) as Record<string, string>;
		const started = Date.now();
		const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...clean, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		let killed = false;
		let interrupted = false;
		const deadline = options.deadlineMs === undefined ? undefined : setTimeout(() => {
			killed = true;
			child.kill('SIGKILL');
		}, options.deadlineMs);
		child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
		child.stderr.setEncoding('utf8').on('data', (text: string) => {
			stderr += text;
			if (options.interruptWhen !== undefined && !interrupted && stderr.includes(options.interruptWhen)) {
				interrupted = true;
				setTimeout(() => child.kill('SIGINT'), options.interruptDelayMs ?? 0);
			}
		});
		child.stdin.end();
		child.on('error', reject);
		child.on('close', (code) => {
			if (deadline) clearTimeout(deadline);
			resolve({ code, stdout, stderr, elapsedMs: Date.now() - started, killed });
		});
	});
}

/** Writes a --tools file into a fresh temp directory and returns its path. */
export function writeToolsFile(definitions: unknown[]): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-cli-'));
	const file = path.join(dir, 'tools.json');
	fs.writeFileSync(file, JSON.stringify(definitions, null, 2));
	return file;
}

export interface JsonOutput {
	steps: Array<{
		text: string;
		reasoning: string;
		toolCalls: Array<{ id: string; name: string; arguments: unknown; status: string; result: unknown }>;
		finish: string;
		usage: { inputTokens: number; outputTokens: number } | null;
		warnings: string[];
	}>;
	error: null | { kind: string; status: number | null; message: string; retryable: boolean };
}

export function parseJson(run: CliRun): JsonOutput {
	try {
		return JSON.parse(run.stdout) as JsonOutput;
	} catch {
		throw new Error(`stdout is not one JSON object (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`);
	}
}

/** Writes `text` to a fresh temp directory as `name` (folders included) and returns its path. */
export function writeTempFile(name: string, text: string): string {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-cli-')), name);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, text);
	return file;
}

/** Mocha hooks for a suite of CLI runs: dist/cli.js built once, a fresh scripted server for each test. */
export function cliSuite(): { readonly server: ScriptedServer } {
	let server: ScriptedServer | undefined;
	before(() => buildCli());
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server?.close());
	return {
		get server(): ScriptedServer {
			if (!server) throw new Error('the scripted server runs only inside a test');
			return server;
		},
	};
}
