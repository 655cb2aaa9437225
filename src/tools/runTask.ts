// run_task: runs a task the user defined (tasks.json) or that VS Code detected (npm scripts …), or lists them.
// No 'vscode' here: the editor is reached through the TaskPort (src/vscode/workspace/taskRunner.ts implements it).
import { approvalInfo } from './pathApproval';
import { formatPhrase, phrase } from './phrases';
import { defineTool, ToolError, type AnyTool, type ApprovalInfo } from './types';

export interface TaskInfo {
	/** The task's name, as in tasks.json's "label". */
	label: string;
	/** Where it comes from: 'Workspace' for tasks.json, else the detector ('npm', 'shell' …). */
	source: string;
	detail?: string;
}

export interface TaskRunResult {
	/** undefined when the task ended without one (killed, or a task type that does not report it). */
	exitCode: number | undefined;
	/** The tail of what the task printed. */
	output: string;
	/** True when `output` is only the tail. */
	truncated: boolean;
	timedOut: boolean;
	/** The user stopped it (Ctrl+C in its terminal, or closed the terminal). */
	stoppedByUser?: boolean;
	/** Set when the output could not be captured (a task type we cannot observe); says why. */
	outputUnavailable?: string;
}

export interface TaskRunOptions {
	timeoutMs: number;
	/** Aborting ends the task and its processes. */
	signal: AbortSignal;
}

/** What running a task will do, as the approval card shows it. */
export type TaskCommand =
	| { kind: 'command'; commandLine: string }
	/** A task its extension runs itself (a custom execution): there is no command line to show. */
	| { kind: 'no-command-line'; source: string }
	| { kind: 'not-found' };

/** The editor's tasks as run_task needs them. */
export interface TaskPort {
	list(): Promise<TaskInfo[]>;
	/** The command line the task with this label runs, as `run` would resolve it. */
	describe?(label: string): Promise<TaskCommand>;
	/** Throws ToolError('not-found') for an unknown label. Resolves once the task has ended. */
	run(label: string, options: TaskRunOptions): Promise<TaskRunResult>;
}

export interface RunTaskInput {
	task?: string;
	mode?: 'run' | 'list';
}

export interface RunTaskToolOptions {
	/** Default 120 s. */
	timeoutMs?: number;
}

/** Most output returned to the model: the end of a build log is where the errors are. */
export const taskOutputCapBytes = 16 * 1024;

export function createRunTaskTool(port: TaskPort, options: RunTaskToolOptions = {}): AnyTool {
	const timeoutMs = options.timeoutMs ?? 120_000;
	return defineTool<RunTaskInput>({
		name: 'run_task',
		description: 'Run a VS Code task (from .vscode/tasks.json or detected, e.g. npm scripts) and get its exit code and output. '
			+ 'Use mode "list" first to see the available task labels. The task runs in a terminal the user can see; '
			+ `it is stopped after ${timeoutMs / 1000} s. Only the last ${taskOutputCapBytes / 1024} KB of output are returned.`,
		inputSchema: {
			type: 'object',
			properties: {
				task: { type: 'string', description: 'The task label, e.g. "build" or "npm: test". Required to run.' },
				mode: { type: 'string', enum: ['run', 'list'], description: '"run" (default) runs the task; "list" returns the available tasks.' },
			},
			additionalProperties: false,
		},
		risk: 'execute',
		parse(raw) {
			const input = raw as RunTaskInput;
			if ((input.mode ?? 'run') === 'run' && !input.task?.trim()) {
				throw new ToolError('invalid-arguments', 'arguments.task: give the label of the task to run, or use mode "list" to see them.');
			}
			return input;
		},
		async approval(input) {
			if (input.mode === 'list') return approvalInfo('execute', phrase('listTasks'));
			const info = approvalInfo('execute', phrase('runTask', input.task ?? ''));
			return withCommand(info, await port.describe?.((input.task ?? '').trim()).catch(() => undefined));
		},
		async invoke(input, context) {
			if (input.mode === 'list') return { type: 'text', value: formatTaskList(await port.list()) };
			const label = (input.task ?? '').trim();
			const result = await port.run(label, { timeoutMs, signal: context.signal });
			const value = formatRunResult(label, result, timeoutMs);
			// A non-zero exit, a timeout or a stop is a failed call, as for the command tools: the card says so, and
			// the model sees an error result.
			const failed = result.timedOut || result.stoppedByUser === true || (result.exitCode !== undefined && result.exitCode !== 0);
			return failed ? { type: 'error-text', value } : { type: 'text', value };
		},
	});
}

/** The approval with what will run: the task's command line, or why there is none. */
function withCommand(info: ApprovalInfo, command: TaskCommand | undefined): ApprovalInfo {
	if (!command) return info;
	if (command.kind === 'command') return { ...info, detail: command.commandLine };
	const detailPhrase = command.kind === 'not-found' ? phrase('taskNotFound') : phrase('taskNoCommandLine', command.source);
	return { ...info, detail: formatPhrase(detailPhrase), detailPhrase };
}

function formatTaskList(tasks: readonly TaskInfo[]): string {
	if (tasks.length === 0) return 'No tasks are defined or detected in this workspace.';
	return tasks.map((task) => {
		const name = task.source === 'Workspace' ? task.label : `${task.source}: ${task.label}`;
		return task.detail ? `${name} — ${task.detail}` : name;
	}).join('\n');
}

function formatRunResult(label: string, result: TaskRunResult, timeoutMs: number): string {
	const status = result.timedOut
		? `Task '${label}' was stopped after ${timeoutMs / 1000} s (timeout).`
		: result.stoppedByUser
			? `Task '${label}' was stopped by the user before it finished.`
			: `Task '${label}' finished with exit code ${result.exitCode ?? 'unknown'}.`;
	if (result.outputUnavailable) return `${status}\n[Output not captured: ${result.outputUnavailable}]`;
	const output = result.output.trimEnd();
	if (output === '') return `${status}\n(no output)`;
	const note = result.truncated ? `[Output truncated: showing the last ${taskOutputCapBytes / 1024} KB.]\n` : '';
	return `${status}\nOutput:\n${note}${output}`;
}

/** Keeps the last `capBytes` of a stream of text, and whether anything was dropped. */
export class OutputTail {
	private chunks: string[] = [];
	private length = 0;
	private dropped = false;

	constructor(private readonly capBytes = taskOutputCapBytes) {}

	push(text: string): void {
		this.chunks.push(text);
		this.length += text.length;
		// Compact only when well past the cap, so pushing stays cheap for chatty tasks.
		if (this.length > this.capBytes * 4) this.compact();
	}

	result(): { output: string; truncated: boolean } {
		this.compact();
		return { output: this.chunks.join(''), truncated: this.dropped };
	}

	private compact(): void {
		const joined = this.chunks.join('');
		let tail = joined;
		if (Buffer.byteLength(joined) > this.capBytes) {
			const bytes = Buffer.from(joined, 'utf8');
			let start = bytes.length - this.capBytes;
			while (start < bytes.length && (bytes[start] & 0xc0) === 0x80) start++;
			tail = bytes.subarray(start).toString('utf8');
			this.dropped = true;
		}
		this.chunks = [tail];
		this.length = tail.length;
	}
}
