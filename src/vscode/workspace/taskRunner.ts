// The TaskPort over vscode.tasks. The stable API cannot read a task terminal's text (onDidWriteTerminalData is
// proposed), so a shell or process task is re-run as a CustomExecution whose Pseudoterminal spawns the same command
// itself: the user still sees it live in a task terminal, and we get the output, the exit code, and a process
// group we can kill on timeout or Stop (no orphans). Tasks we cannot reproduce faithfully (custom executions, or
// variables beyond the workspace/env ones) run natively through executeTask: exit code only, no output.
// Known limit of the re-run: fetched tasks do not expose `dependsOn`, so a task's dependencies are not run first.
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { killProcessTree, treeSpawnOptions } from '../../platform/processTree';
import { OutputTail, type TaskCommand, type TaskInfo, type TaskPort, type TaskRunOptions, type TaskRunResult } from '../../tools/runTask';
import { ToolError } from '../../tools/types';
import { PacedEcho } from './pacedEcho';
import { absoluteCwd, defaultShell, defaultShellArgs, quoteArgument, resolveAll, resolveEnv, resolveVariables, stripAnsi, type Quoting } from './taskCommandLine';

/** What the pseudoterminal runs: a shell command line, or a program with arguments. */
interface CommandSpec {
	file: string;
	args: string[];
	/** Shown in the terminal header, as VS Code does for its own tasks. */
	display: string;
	cwd: string;
	env: NodeJS.ProcessEnv;
}

/** After SIGTERM, a process group gets this long before SIGKILL. */
const killGraceMs = 1500;
/** Makes each run's task definition unique, so two runs of one task do not meet VS Code's "already active" prompt. */
let runCounter = 0;

export class VscodeTaskRunner implements TaskPort {
	async list(): Promise<TaskInfo[]> {
		const tasks = await vscode.tasks.fetchTasks();
		return tasks.map((task) => ({ label: task.name, source: task.source, ...(task.detail ? { detail: task.detail } : {}) }));
	}

	/** What the approval card shows: the command line `run` will spawn, or, for a task VS Code runs itself, its own. */
	async describe(label: string): Promise<TaskCommand> {
		let task: vscode.Task;
		try {
			task = await findTask(label);
		} catch (error) {
			if (error instanceof ToolError && error.reason === 'not-found') return { kind: 'not-found' };
			throw error;
		}
		const commandLine = commandSpec(task)?.display ?? unresolvedCommandLine(task);
		return commandLine !== undefined ? { kind: 'command', commandLine } : { kind: 'no-command-line', source: task.source };
	}

	async run(label: string, options: TaskRunOptions): Promise<TaskRunResult> {
		if (options.signal.aborted) throw cancelled();
		const task = await findTask(label);
		const spec = commandSpec(task);
		return spec ? runCaptured(task, spec, options) : runNative(task, options);
	}
}

async function findTask(label: string): Promise<vscode.Task> {
	const tasks = await vscode.tasks.fetchTasks();
	// tasks.json first: a user's 'build' beats an npm script of the same name.
	const matches = tasks.filter((task) => task.name === label || `${task.source}: ${task.name}` === label);
	const task = matches.find((candidate) => candidate.source === 'Workspace') ?? matches[0];
	if (task) return task;
	const known = tasks.slice(0, 30).map((candidate) => candidate.source === 'Workspace' ? candidate.name : `${candidate.source}: ${candidate.name}`);
	throw new ToolError('not-found', `No task is labelled '${label}'.${known.length > 0 ? ` Available: ${known.join(', ')}.` : ' This workspace has no tasks.'}`);
}

/** An argument as the shell should get it, by the quoting the task asked for. */
function shellArgument(argument: string | vscode.ShellQuotedString): string {
	if (typeof argument === 'string') return quoteArgument(argument);
	const quoting: Quoting = argument.quoting === vscode.ShellQuoting.Escape ? 'escape' : argument.quoting === vscode.ShellQuoting.Weak ? 'weak' : 'strong';
	return quoteArgument(argument.value, quoting);
}

function folderOf(task: vscode.Task): vscode.WorkspaceFolder | undefined {
	if (typeof task.scope === 'object') return task.scope;
	return vscode.workspace.workspaceFolders?.[0];
}

/** The command a shell or process task runs, with variables resolved; undefined when we cannot reproduce it. */
function commandSpec(task: vscode.Task): CommandSpec | undefined {
	const execution = task.execution;
	const folder = folderOf(task);
	const resolve = (text: string): string | undefined => resolveVariables(text, folder?.uri.fsPath);
	if (execution instanceof vscode.ShellExecution) {
		const parts = execution.commandLine !== undefined
			? [execution.commandLine]
			: [execution.command, ...(execution.args ?? [])].filter((part) => part !== undefined).map(shellArgument);
		const commandLine = resolveAll(parts, resolve)?.join(' ');
		const shell = execution.options?.executable ?? (vscode.env.shell || defaultShell());
		const shellArgs = execution.options?.shellArgs ?? defaultShellArgs(shell);
		const cwd = resolveAll([execution.options?.cwd ?? folder?.uri.fsPath ?? os.homedir()], resolve)?.[0];
		const env = resolveEnv(execution.options?.env, resolve);
		if (commandLine === undefined || cwd === undefined || env === undefined) return undefined;
		return { file: shell, args: [...shellArgs, commandLine], display: commandLine, cwd: absoluteCwd(cwd, folder?.uri.fsPath), env };
	}
	if (execution instanceof vscode.ProcessExecution) {
		const all = resolveAll([execution.process, ...execution.args], resolve);
		const cwd = resolveAll([execution.options?.cwd ?? folder?.uri.fsPath ?? os.homedir()], resolve)?.[0];
		const env = resolveEnv(execution.options?.env, resolve);
		if (all === undefined || cwd === undefined || env === undefined) return undefined;
		return { file: all[0], args: all.slice(1), display: all.join(' '), cwd: absoluteCwd(cwd, folder?.uri.fsPath), env };
	}
	return undefined;
}

/** A shell or process task with variables only VS Code resolves (${config:…}): its command as written. */
function unresolvedCommandLine(task: vscode.Task): string | undefined {
	const execution = task.execution;
	if (execution instanceof vscode.ShellExecution) {
		return execution.commandLine ?? [execution.command, ...(execution.args ?? [])].filter((part) => part !== undefined).map(shellArgument).join(' ');
	}
	if (execution instanceof vscode.ProcessExecution) return [execution.process, ...execution.args].join(' ');
	return undefined;
}

async function runCaptured(task: vscode.Task, spec: CommandSpec, options: TaskRunOptions): Promise<TaskRunResult> {
	const terminal = new CapturingTerminal(spec);
	const wrapped = new vscode.Task(
		{ type: 'switchboard', task: task.name, run: ++runCounter },
		task.scope ?? vscode.TaskScope.Workspace,
		task.name,
		task.source,
		new vscode.CustomExecution(async () => terminal),
		task.problemMatchers,
	);
	wrapped.presentationOptions = task.presentationOptions;
	wrapped.group = task.group;
	const stop = (reason: 'timeout' | 'cancel'): void => terminal.stop(reason);
	const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
	const onAbort = (): void => stop('cancel');
	options.signal.addEventListener('abort', onAbort, { once: true });
	try {
		await vscode.tasks.executeTask(wrapped);
		const ended = await terminal.ended;
		if (ended.stoppedBy === 'cancel') throw cancelled();
		const { output, truncated } = terminal.output.result();
		return {
			exitCode: ended.exitCode,
			output: stripAnsi(output),
			truncated,
			timedOut: ended.stoppedBy === 'timeout',
			...(ended.stoppedBy === 'user' ? { stoppedByUser: true } : {}),
		};
	} finally {
		clearTimeout(timer);
		options.signal.removeEventListener('abort', onAbort);
		terminal.stop('cancel');
	}
}

/** timeout and cancel come from the call; user is Ctrl+C or closing the terminal. */
type StopReason = 'timeout' | 'cancel' | 'user';

interface Ended {
	exitCode: number | undefined;
	stoppedBy?: StopReason;
}

/** A task terminal that runs `spec`, echoes its output and keeps the tail; stop() kills its whole process group. */
class CapturingTerminal implements vscode.Pseudoterminal {
	readonly output = new OutputTail();
	readonly ended: Promise<Ended>;
	private readonly writeEmitter = new vscode.EventEmitter<string>();
	private readonly closeEmitter = new vscode.EventEmitter<number | void>();
	private readonly echo = new PacedEcho((text) => this.writeEmitter.fire(text), skippedNote);
	readonly onDidWrite = this.writeEmitter.event;
	readonly onDidClose = this.closeEmitter.event;
	private child: ChildProcess | undefined;
	private stoppedBy: StopReason | undefined;
	private finished = false;
	private finish!: (ended: Ended) => void;

	constructor(private readonly spec: CommandSpec) {
		this.ended = new Promise((resolve) => (this.finish = resolve));
	}

	open(): void {
		if (this.finished || this.stoppedBy) return this.end(undefined);
		this.writeEmitter.fire(`\x1b[1m> ${vscode.l10n.t('Executing task: {0}', this.spec.display)} <\x1b[0m\r\n\r\n`);
		// Spawned so that one kill reaches everything it started (its own process group on POSIX).
		const child = spawn(this.spec.file, this.spec.args, { cwd: this.spec.cwd, env: this.spec.env, ...treeSpawnOptions(), stdio: ['pipe', 'pipe', 'pipe'] });
		this.child = child;
		const onData = (text: string): void => {
			this.output.push(text);
			this.echo.push(text.replace(/\r?\n/g, '\r\n'));
		};
		child.stdout?.setEncoding('utf8').on('data', onData);
		child.stderr?.setEncoding('utf8').on('data', onData);
		child.stdin?.on('error', () => undefined);
		child.on('error', (error) => {
			onData(`Could not start ${this.spec.file}: ${error.message}\n`);
			this.end(undefined);
		});
		child.on('close', (code) => this.end(code ?? undefined));
	}

	handleInput(data: string): void {
		// Typing into the task terminal reaches the command (a prompt, or Ctrl+C to stop it).
		if (data === '\x03') return this.stop('user');
		this.child?.stdin?.write(data.replace(/\r/g, '\n'));
		this.echo.flush();
		this.writeEmitter.fire(data.replace(/\r/g, '\r\n'));
	}

	/** The user closed the terminal: the command goes with it. */
	close(): void {
		this.stop('user');
	}

	stop(reason: StopReason): void {
		if (this.finished || this.stoppedBy) return;
		this.stoppedBy = reason;
		const child = this.child;
		if (!child || child.pid === undefined) return this.end(undefined);
		killProcessTree(child, 'SIGTERM');
		// A command that ignores SIGTERM is not allowed to outlive the call (on Windows the first kill is forced).
		setTimeout(() => killProcessTree(child, 'SIGKILL'), killGraceMs).unref();
	}

	private end(exitCode: number | undefined): void {
		if (this.finished) return;
		this.finished = true;
		const note =
			this.stoppedBy === 'timeout' ? vscode.l10n.t('Task stopped: timeout')
			: this.stoppedBy ? vscode.l10n.t('Task stopped')
			: exitCode === undefined ? vscode.l10n.t('Task finished with an unknown exit code')
			: vscode.l10n.t('Task finished with exit code {0}', exitCode);
		this.echo.dispose();
		this.writeEmitter.fire(`\r\n\x1b[2m${note}.\x1b[0m\r\n`);
		this.finish({ exitCode: this.stoppedBy ? undefined : exitCode, stoppedBy: this.stoppedBy });
		this.closeEmitter.fire(exitCode ?? 1);
	}
}

function skippedNote(chars: number): string {
	const size = chars >= 1048576 ? `${(chars / 1048576).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} KB`;
	const text = vscode.l10n.t('[{0} of output not shown here, to keep VS Code responsive; the tool result keeps the end]', size);
	return `\r\n\x1b[2m${text}\x1b[0m\r\n`;
}

/** A task we cannot re-run ourselves: VS Code runs it; we learn the exit code and can terminate it. */
async function runNative(task: vscode.Task, options: TaskRunOptions): Promise<TaskRunResult> {
	const disposables: vscode.Disposable[] = [];
	let execution: vscode.TaskExecution | undefined;
	let stoppedBy: 'timeout' | 'cancel' | undefined;
	const isOurs = (candidate: vscode.TaskExecution): boolean => candidate === execution
		|| (candidate.task.name === task.name && candidate.task.source === task.source);
	const ended = new Promise<number | undefined>((resolve) => {
		disposables.push(
			vscode.tasks.onDidEndTaskProcess((event) => isOurs(event.execution) && resolve(event.exitCode)),
			// Tasks without a process (custom executions) only end; the process event, when there is one, comes first.
			vscode.tasks.onDidEndTask((event) => isOurs(event.execution) && setTimeout(() => resolve(undefined), 200)),
		);
	});
	const stop = (reason: 'timeout' | 'cancel'): void => {
		stoppedBy ??= reason;
		execution?.terminate();
	};
	const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
	const onAbort = (): void => stop('cancel');
	options.signal.addEventListener('abort', onAbort, { once: true });
	try {
		execution = await vscode.tasks.executeTask(task);
		if (stoppedBy) execution.terminate();
		const exitCode = await ended;
		if (stoppedBy === 'cancel') throw cancelled();
		return {
			exitCode: stoppedBy ? undefined : exitCode,
			output: '',
			truncated: false,
			timedOut: stoppedBy === 'timeout',
			outputUnavailable: 'this task runs in its own terminal, whose text VS Code does not let extensions read; it is visible to the user',
		};
	} finally {
		clearTimeout(timer);
		options.signal.removeEventListener('abort', onAbort);
		for (const disposable of disposables) disposable.dispose();
	}
}

function cancelled(): ToolError {
	return new ToolError('cancelled', 'The task was stopped because the call was cancelled.');
}
