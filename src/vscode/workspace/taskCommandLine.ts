// How run_task rebuilds the command line of a shell or process task so it can run it itself (taskRunner.ts):
// the predefined variables that need no editor state, the quoting VS Code applies to each argument, the shell's
// own arguments, the working directory and the environment. No 'vscode' here, so it is tested in plain Node.
import * as os from 'node:os';
import * as path from 'node:path';

/** How VS Code's ShellQuoting asks for an argument to be quoted (absent: a plain string argument). */
export type Quoting = 'escape' | 'strong' | 'weak';

/** Every text resolved, or undefined when one of them cannot be. */
export function resolveAll(texts: readonly string[], resolve: (text: string) => string | undefined): string[] | undefined {
	const resolved = texts.map(resolve);
	return resolved.every((text): text is string => text !== undefined) ? resolved : undefined;
}

// The full environment, key variables included, unlike command tools (src/tools/commandTool.ts commandEnv): a task
// is the user's own command from tasks.json (a protected path the model cannot write without a click), the model
// only picks which one runs, and VS Code would give it the same environment when the user runs it. The panel's keys
// live in SecretStorage, not in this environment.
export function resolveEnv(env: Record<string, string> | undefined, resolve: (text: string) => string | undefined, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv | undefined {
	const result: NodeJS.ProcessEnv = { ...base };
	for (const [key, value] of Object.entries(env ?? {})) {
		const resolved = resolve(value);
		if (resolved === undefined) return undefined;
		result[key] = resolved;
	}
	return result;
}

/**
 * The predefined variables that need no editor state. Anything else (${file}, ${input:…}, ${command:…}) returns
 * undefined, and the task runs natively so VS Code resolves it, rather than us running a different command.
 */
export function resolveVariables(text: string, folder: string | undefined): string | undefined {
	let unknown = false;
	const result = text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
		if ((name === 'workspaceFolder' || name === 'workspaceRoot') && folder) return folder;
		if (name === 'workspaceFolderBasename' && folder) return path.basename(folder);
		if (name === 'userHome') return os.homedir();
		if (name === 'pathSeparator' || name === '/') return path.sep;
		if (name.startsWith('env:')) return process.env[name.slice(4)] ?? '';
		unknown = true;
		return whole;
	});
	return unknown ? undefined : result;
}

/** One argument for a POSIX shell command line: a plain string is quoted only when it needs to be. */
export function quoteArgument(value: string, quoting?: Quoting): string {
	if (quoting === 'escape') return value.replace(/([^A-Za-z0-9_\-./=:@%+,])/g, '\\$1');
	if (quoting === 'weak') return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
	if (quoting === undefined && /^[A-Za-z0-9_\-./=:@%+,${}]+$/.test(value)) return value;
	return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function defaultShell(): string {
	return process.platform === 'win32' ? process.env.ComSpec ?? 'cmd.exe' : '/bin/sh';
}

/** What comes between the shell and the command line: `-c`, cmd's `/d /c`, PowerShell's `-Command`. */
export function defaultShellArgs(shell: string): string[] {
	const name = path.basename(shell).toLowerCase();
	if (name.startsWith('pwsh') || name.startsWith('powershell')) return ['-NoProfile', '-Command'];
	if (name === 'cmd.exe' || name === 'cmd') return ['/d', '/c'];
	return ['-c'];
}

/** A task's cwd relative to its folder (the home directory without one). */
export function absoluteCwd(cwd: string, folder: string | undefined): string {
	return path.isAbsolute(cwd) ? cwd : path.resolve(folder ?? os.homedir(), cwd);
}

const ansiPattern = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[ -/]*[@-~]`, 'g');

/** The task's output as the model reads it: colours and cursor moves taken out. */
export function stripAnsi(text: string): string {
	return text.replace(ansiPattern, '');
}
