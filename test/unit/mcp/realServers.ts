// The MCP servers from npm (devDependencies, pinned) and the CLI that drives them: start the "everything" server
// over Streamable HTTP on a free loopback port, write a --mcp-config file, run dist/cli.js while watching stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliPath, repoRoot, type CliRun } from '../cli/runCli';
import { waitFor } from './support';

export const everythingMain = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
export const filesystemMain = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');

/** The everything server over stdio, run by this Node (no npx, no network). */
export function everythingStdio(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { command: process.execPath, args: [everythingMain, 'stdio'], ...extra };
}

export function writeMcpConfig(servers: Record<string, unknown>): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-mcp-'));
	const file = path.join(dir, 'mcp.json');
	fs.writeFileSync(file, JSON.stringify(servers, null, 2));
	return file;
}

export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

export interface HttpEverything {
	url: string;
	port: number;
	child: ChildProcess;
	/** Kills the process at once (SIGKILL), as a crash would, and waits until it is gone. */
	kill(): Promise<void>;
}

/** `node dist/index.js streamableHttp` with PORT set; resolves once it listens. */
export async function startHttpEverything(port?: number): Promise<HttpEverything> {
	const chosen = port ?? await freePort();
	const child = spawn(process.execPath, [everythingMain, 'streamableHttp'], { env: { ...process.env, PORT: String(chosen) }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
	child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text));
	let exited = false;
	child.on('exit', () => (exited = true));
	await waitFor('the HTTP everything server to listen', () => /listening on port/.test(output) || exited, 20_000);
	if (exited) throw new Error(`the everything server did not start:\n${output}`);
	return {
		url: `http://127.0.0.1:${chosen}/mcp`,
		port: chosen,
		child,
		async kill() {
			child.kill('SIGKILL');
			await waitFor('the HTTP everything server to exit', () => exited);
		},
	};
}

export interface LiveCli {
	readonly stderr: string;
	readonly stdout: string;
	/** Resolves with the first stderr match of `pattern`. */
	waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
	done: Promise<CliRun>;
}

/** Runs `node dist/cli.js ...args` (build it first with buildCli) and lets the test act while it runs. */
export function startCli(args: string[]): LiveCli {
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'SWITCHBOARD_API_KEY')) as Record<string, string>;
	const started = Date.now();
	const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
	child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
	child.stdin.end();
	const done = new Promise<CliRun>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr, elapsedMs: Date.now() - started, killed: false }));
	});
	return {
		get stderr() {
			return stderr;
		},
		get stdout() {
			return stdout;
		},
		async waitForStderr(pattern, timeoutMs = 30_000) {
			await waitFor(`${pattern} on the CLI's stderr`, () => pattern.test(stderr), timeoutMs).catch((error: Error) => {
				throw new Error(`${error.message}; it has:\n${stderr}`);
			});
			return stderr.match(pattern) as RegExpMatchArray;
		},
		done,
	};
}
