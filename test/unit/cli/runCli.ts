// Builds dist/cli.js the way `npm run build` does and runs it as a child process, as a user would.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';

export const repoRoot = path.join(__dirname, '..', '..', '..');
export const cliPath = path.join(repoRoot, 'dist', 'cli.js');

/** Bundles src/cli/main.ts to dist/cli.js with the same options as esbuild.mjs's CLI entry. */
export async function buildCli(): Promise<void> {
	await build({
		entryPoints: [path.join(repoRoot, 'src', 'cli', 'main.ts')], outfile: cliPath, bundle: true, platform: 'node', format: 'cjs',
		target: 'node20', sourcemap: true, logLevel: 'warning', legalComments: 'none', banner: { js: '#!/usr/bin/env node' },
	});
}

export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs `node dist/cli.js ...args` with stdin not a TTY (a pipe closed at once), as in CI. */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = repoRoot): Promise<CliRun> {
	return new Promise((resolve, reject) => {
		const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'SWITCHBOARD_API_KEY')) as Record<string, string>;
		const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...clean, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
		child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
		child.stdin.end();
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
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
