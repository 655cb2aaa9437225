// Runs the CLI, or the `switchboard` an npm install put on disk, with text on its standard input and a hook to
// signal it, as a script or a user at a terminal would. Same environment rules as runCli.
import { spawn, type ChildProcess } from 'node:child_process';
import { cliPath, repoRoot, type JsonOutput } from './runCli';

export interface CommandRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface CommandOptions {
	env?: Record<string, string>;
	cwd?: string;
	/** Written to standard input, which is then closed; by default it is closed at once. */
	stdin?: string;
	/** Called once the process runs, e.g. to send it SIGINT. */
	onSpawn?: (child: ChildProcess) => void;
	/** The program and its first arguments; default `node dist/cli.js`. */
	command?: string[];
}

export function runCommand(args: string[], options: CommandOptions = {}): Promise<CommandRun> {
	const [program, ...first] = options.command ?? [process.execPath, cliPath];
	return new Promise((resolve, reject) => {
		const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'SWITCHBOARD_API_KEY')) as Record<string, string>;
		const child = spawn(program, [...first, ...args], { cwd: options.cwd ?? repoRoot, env: { ...clean, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
		child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
		child.stdin.end(options.stdin);
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
		options.onSpawn?.(child);
	});
}

export function jsonOf(run: CommandRun): JsonOutput {
	try {
		return JSON.parse(run.stdout) as JsonOutput;
	} catch {
		throw new Error(`stdout is not one JSON object (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`);
	}
}
