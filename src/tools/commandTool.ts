// Tools defined in a `--tools FILE`: OpenAI-shaped or flat function definitions, each optionally backed by a
// shell command that reads the arguments JSON on stdin and prints the result on stdout.
import { spawn } from 'node:child_process';
import { killProcessTree, treeSpawnOptions } from '../platform/processTree';
import { defineTool, ToolError, type AnyTool } from './types';

export interface ToolDefinition {
	name: string;
	description: string;
	parameters: Record<string, unknown>;
	command?: string;
}

export interface CommandToolOptions {
	/** Kill the command after this long (default 60 s). */
	timeoutMs?: number;
	cwd?: string;
	/**
	 * The environment the command gets; default the process's. Key variables are removed from it either way
	 * (commandEnv): the command is called with model-chosen arguments, so it must not be able to print the key.
	 */
	env?: NodeJS.ProcessEnv;
	/** Further variables to remove: the one the key was read from (the CLI's --api-key-env). */
	hiddenEnv?: readonly string[];
}

/** Variables that hold a provider key by convention, removed from every command tool's environment. */
export const wellKnownKeyVariables: readonly string[] = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'SWITCHBOARD_API_KEY'];
/** SWITCHBOARD_* variables that look like credentials (our own prefix, so nothing else depends on them). */
const switchboardSecret = /^SWITCHBOARD_.*(KEY|TOKEN|SECRET|PASSWORD)/i;

/**
 * `env` without the key variables: the well-known ones, `hidden`, and any variable holding the same value as one
 * of those (a key copied under another name). Matching is case-insensitive, as Windows' environment is.
 */
export function commandEnv(env: NodeJS.ProcessEnv, hidden: readonly string[] = []): NodeJS.ProcessEnv {
	const names = new Set([...wellKnownKeyVariables, ...hidden].map((name) => name.toUpperCase()));
	const isKeyName = (name: string): boolean => names.has(name.toUpperCase()) || switchboardSecret.test(name);
	// Short values ('1', 'true') are flags, not keys: matching them would drop unrelated variables.
	const secretValue = (value: string | undefined): string | undefined => value && value.trim().length >= 8 ? value.trim() : undefined;
	const secrets = new Set(Object.entries(env).filter(([name]) => isKeyName(name)).map(([, value]) => secretValue(value)).filter((value) => value !== undefined));
	return Object.fromEntries(Object.entries(env).filter(([name, value]) => {
		const secret = secretValue(value);
		return !isKeyName(name) && !(secret !== undefined && secrets.has(secret));
	}));
}

/** A problem with the tools file, phrased so the user knows which entry to fix. */
export class ToolDefinitionError extends Error {
	override readonly name = 'ToolDefinitionError';
}

const namePattern = /^[A-Za-z0-9_-]{1,64}$/;
/** Stdout beyond this is cut: the result goes into the model's context. */
const maxOutputBytes = 256 * 1024;

/** Reads a parsed tools file: an array of `{type:'function', function:{...}}` or `{name, description, parameters}`. */
export function parseToolDefinitions(json: unknown): ToolDefinition[] {
	if (!Array.isArray(json)) throw new ToolDefinitionError('The tools file must contain a JSON array of function definitions.');
	const seen = new Set<string>();
	return json.map((entry: unknown, index) => {
		const definition = parseEntry(entry, index);
		if (seen.has(definition.name)) throw new ToolDefinitionError(`Tool #${index + 1}: the name '${definition.name}' is used twice.`);
		seen.add(definition.name);
		return definition;
	});
}

function parseEntry(entry: unknown, index: number): ToolDefinition {
	const where = `Tool #${index + 1}`;
	if (!isRecord(entry)) throw new ToolDefinitionError(`${where}: expected an object.`);
	// OpenAI shape nests the function; `command` may sit at either level.
	const fn = entry.type === 'function' && isRecord(entry.function) ? entry.function : entry;
	const name = fn.name;
	if (typeof name !== 'string' || !namePattern.test(name)) {
		throw new ToolDefinitionError(`${where}: "name" must be 1-64 letters, digits, '_' or '-'.`);
	}
	const parameters = fn.parameters ?? { type: 'object', properties: {} };
	if (!isRecord(parameters)) throw new ToolDefinitionError(`${where} (${name}): "parameters" must be a JSON Schema object.`);
	const command = fn.command ?? entry.command;
	if (command !== undefined && (typeof command !== 'string' || command.trim() === '')) {
		throw new ToolDefinitionError(`${where} (${name}): "command" must be a non-empty string.`);
	}
	const description = typeof fn.description === 'string' ? fn.description : '';
	return { name, description, parameters, ...(command !== undefined ? { command } : {}) };
}

/** A model-facing tool for one definition. Without a command it answers every call with an error result. */
export function createCommandTool(definition: ToolDefinition, options: CommandToolOptions = {}): AnyTool {
	const { command } = definition;
	return defineTool<unknown>({
		name: definition.name,
		description: definition.description,
		inputSchema: definition.parameters,
		// A tool with nothing to run cannot do harm; one with a command runs arbitrary shell.
		risk: command ? 'execute' : 'read',
		parse: (raw) => raw,
		async approval(input) {
			const args = JSON.stringify(input) ?? '';
			const summary = `${definition.name} ${args.length > 120 ? `${args.slice(0, 117)}...` : args}`;
			return { risk: command ? 'execute' : 'read', summary: command ? `${summary} → ${command}` : summary };
		},
		async invoke(input, context) {
			if (!command) return { type: 'error-text', value: `The tool '${definition.name}' has no command configured, so it cannot run. Continue without it.` };
			const outcome = await runCommand(command, JSON.stringify(input ?? {}), options, context.signal);
			if (outcome.timedOut) return { type: 'error-text', value: `The tool '${definition.name}' timed out after ${(options.timeoutMs ?? 60_000) / 1000} s.` };
			if (outcome.code !== 0) {
				const detail = outcome.stderr.trim() || outcome.stdout.trim() || '(no output)';
				return { type: 'error-text', value: `The tool '${definition.name}' failed (exit code ${outcome.code ?? outcome.signal}): ${detail}` };
			}
			return { type: 'text', value: outcome.stdout.replace(/\n$/, '') };
		},
	});
}

interface CommandOutcome {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	timedOut: boolean;
}

/** Runs `command` in a shell with `stdin`; the whole process tree dies on timeout or abort. */
export function runCommand(command: string, stdin: string, options: CommandToolOptions, signal: AbortSignal): Promise<CommandOutcome> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(new ToolError('cancelled', 'The tool call was cancelled.'));
		const env = commandEnv(options.env ?? process.env, options.hiddenEnv);
		const child = spawn(command, { shell: true, cwd: options.cwd, env, ...treeSpawnOptions(), stdio: ['pipe', 'pipe', 'pipe'] });
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		let stdoutBytes = 0;
		let stderrBytes = 0;
		let timedOut = false;
		// The shell's children (the real command) go with it.
		const kill = (): void => killProcessTree(child, 'SIGKILL');
		const timer = setTimeout(() => {
			timedOut = true;
			kill();
		}, options.timeoutMs ?? 60_000);
		signal.addEventListener('abort', kill, { once: true });
		child.stdout.on('data', (chunk: Buffer) => {
			if (stdoutBytes < maxOutputBytes) stdout.push(chunk);
			stdoutBytes += chunk.length;
		});
		child.stderr.on('data', (chunk: Buffer) => {
			if (stderrBytes < maxOutputBytes) stderr.push(chunk);
			stderrBytes += chunk.length;
		});
		// A command that never reads stdin closes the pipe early; that is not an error.
		child.stdin.on('error', () => undefined);
		child.stdin.end(stdin);
		child.on('error', (error) => {
			clearTimeout(timer);
			signal.removeEventListener('abort', kill);
			reject(new ToolError('failed', `Could not start the command: ${error.message}`));
		});
		child.on('close', (code, exitSignal) => {
			clearTimeout(timer);
			signal.removeEventListener('abort', kill);
			if (signal.aborted) return reject(new ToolError('cancelled', 'The tool call was cancelled.'));
			let out = Buffer.concat(stdout).subarray(0, maxOutputBytes).toString('utf8');
			if (stdoutBytes > maxOutputBytes) out += `\n[Output truncated: ${stdoutBytes} bytes, showing ${maxOutputBytes}.]`;
			resolve({ code, signal: exitSignal, stdout: out, stderr: Buffer.concat(stderr).subarray(0, maxOutputBytes).toString('utf8'), timedOut });
		});
	});
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
