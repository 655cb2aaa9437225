// run_task, get_diagnostics and the toolset through the real vscode.tasks and vscode.languages APIs. The tasks
// are the shell tasks in test/harness/workspace/.vscode/tasks.json.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createGetDiagnosticsTool } from '../../src/tools/getDiagnostics';
import { createRunTaskTool } from '../../src/tools/runTask';
import { ToolError, type AnyTool, type ToolContext } from '../../src/tools/types';
import { VscodeDiagnostics } from '../../src/vscode/workspace/diagnosticsAdapter';
import { VscodeTaskRunner } from '../../src/vscode/workspace/taskRunner';
import { buildToolset } from '../../src/vscode/workspace/toolset';
import { VscodeWorkspace } from '../../src/vscode/workspace/workspaceAdapter';
import { waitFor } from './support';

/** The command of the "sleep forever" task, unique enough to find its process. */
const sleepMarker = 'sleep 987654';
/** The same for "sleep natively", which VS Code runs itself. */
const nativeSleepMarker = 'sleep 876543';

function sleepersAlive(marker = sleepMarker): boolean {
	return spawnSync('pgrep', ['-f', `^${marker}$`]).status === 0;
}

/** The text the model gets: a plain result, or an error result (a non-zero exit, a timeout, a stop). */
async function call(tool: AnyTool, args: unknown, context: ToolContext): Promise<string> {
	const output = await tool.invoke(tool.parse(args), context);
	if (output.type !== 'text' && output.type !== 'error-text') throw new Error(`expected text, got ${JSON.stringify(output)}`);
	return output.value;
}

describe('run_task in VS Code', function () {
	this.timeout(60000);
	let workspace: VscodeWorkspace;
	const runTask = createRunTaskTool(new VscodeTaskRunner());
	const quickTimeout = createRunTaskTool(new VscodeTaskRunner(), { timeoutMs: 2000 });

	before(() => {
		workspace = new VscodeWorkspace();
	});

	after(async () => {
		workspace.dispose();
		for (const terminal of vscode.window.terminals) terminal.dispose();
	});

	const context = (signal = new AbortController().signal): ToolContext => ({ workspace, signal });

	it('lists the tasks of tasks.json', async () => {
		const text = await call(runTask, { mode: 'list' }, context());
		for (const label of ['echo and fail', 'sleep forever', 'print a lot', 'process task']) assert.match(text, new RegExp(`^${label}$`, 'm'));
		assert.deepEqual(await runTask.approval(runTask.parse({ mode: 'list' }), context()), { risk: 'execute', summary: 'List tasks', summaryPhrase: { key: 'listTasks', args: [] } });
	});

	it('runs a shell task in a visible task terminal and returns its exit code and output', async () => {
		const folderName = path.basename(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '?');
		// The approval shows the command line as the task terminal runs it, variables resolved.
		assert.deepEqual(await runTask.approval(runTask.parse({ task: 'echo and fail' }), context()), {
			risk: 'execute', summary: "Run task 'echo and fail'", summaryPhrase: { key: 'runTask', args: ['echo and fail'] },
			detail: `echo hello-from-task; echo to-stderr 1>&2; echo folder=${folderName}; exit 3`,
		});
		assert.equal((await runTask.approval(runTask.parse({ task: 'needs the editor' }), context())).detail, 'echo tab=${config:editor.tabSize}; exit 5');
		assert.equal((await runTask.approval(runTask.parse({ task: 'no such task' }), context())).detail, 'No task has this label: nothing will run.');
		assert.equal((await runTask.invoke(runTask.parse({ task: 'echo and fail' }), context())).type, 'error-text', 'exit code 3 is a failed call');
		const text = await call(runTask, { task: 'echo and fail' }, context());
		assert.match(text, /^Task 'echo and fail' finished with exit code 3\./);
		assert.match(text, /hello-from-task/);
		assert.match(text, /to-stderr/);
		assert.match(text, new RegExp(`folder=${path.basename(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '?')}`));
		assert.ok(vscode.window.terminals.some((terminal) => terminal.name.includes('echo and fail')), vscode.window.terminals.map((terminal) => terminal.name).join(', '));
	});

	it('runs a process task (no shell) with its arguments and returns its exit code and output', async () => {
		const text = await call(runTask, { task: 'process task' }, context());
		assert.match(text, /^Task 'process task' finished with exit code 4\./);
		assert.match(text, new RegExp(`from-process ${path.basename(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '?')}`));
	});

	it('lets VS Code run a task with variables only it can resolve, and reports the exit code without output', async () => {
		const text = await call(runTask, { task: 'needs the editor' }, context());
		assert.match(text, /^Task 'needs the editor' finished with exit code 5\./);
		assert.match(text, /Output not captured/);
	});

	it('runs the same task twice at once (parallel tool calls) without VS Code refusing the second', async () => {
		const [first, second] = await Promise.all([call(runTask, { task: 'echo and fail' }, context()), call(runTask, { task: 'echo and fail' }, context())]);
		for (const text of [first, second]) assert.match(text, /exit code 3\.[\s\S]*hello-from-task/);
	});

	it('returns the tail of a long output with a note', async () => {
		const text = await call(runTask, { task: 'print a lot' }, context());
		assert.match(text, /exit code 0/);
		assert.match(text, /\[Output truncated: showing the last 16 KB\.\]/);
		assert.match(text, /chatty line 20000$/);
		assert.doesNotMatch(text, /chatty line 1\n/);
		assert.ok(text.length < 17 * 1024, `${text.length} characters`);
	});

	it('stops a never-ending task at the timeout and leaves no process behind', async () => {
		const running = call(quickTimeout, { task: 'sleep forever' }, context());
		await waitFor('the sleep process to start', () => sleepersAlive() || undefined);
		const text = await running;
		assert.match(text, /^Task 'sleep forever' was stopped after 2 s \(timeout\)\./);
		assert.match(text, /sleeping/);
		await waitFor('the sleep process to be gone', () => !sleepersAlive() || undefined, 5000);
	});

	it('stops a running task when the call is cancelled, leaving no process behind', async () => {
		const controller = new AbortController();
		const running = call(runTask, { task: 'sleep forever' }, context(controller.signal));
		await waitFor('the sleep process to start', () => sleepersAlive() || undefined);
		controller.abort();
		await assert.rejects(running, (error: unknown) => error instanceof ToolError && error.reason === 'cancelled');
		await waitFor('the sleep process to be gone', () => !sleepersAlive() || undefined, 5000);
	});

	it('reports a task the user stops with Ctrl+C in its terminal, leaving no process behind', async () => {
		const running = call(runTask, { task: 'sleep forever' }, context());
		await waitFor('the sleep process to start', () => sleepersAlive() || undefined);
		const terminal = [...vscode.window.terminals].reverse().find((candidate) => candidate.name.includes('sleep forever'));
		assert.ok(terminal, 'the task terminal');
		terminal.sendText('\x03', false);
		assert.match(await running, /^Task 'sleep forever' was stopped by the user before it finished\./);
		await waitFor('the sleep process to be gone', () => !sleepersAlive() || undefined, 5000);
	});

	it('stops a task VS Code runs itself at the timeout, leaving no process behind', async () => {
		const running = call(quickTimeout, { task: 'sleep natively' }, context());
		await waitFor('the sleep process to start', () => sleepersAlive(nativeSleepMarker) || undefined);
		assert.match(await running, /^Task 'sleep natively' was stopped after 2 s \(timeout\)\./);
		await waitFor('the sleep process to be gone', () => !sleepersAlive(nativeSleepMarker) || undefined, 5000);
	});

	it('names the available tasks when the label is unknown, and needs a label to run', async () => {
		await assert.rejects(call(runTask, { task: 'no such task' }, context()), (error: unknown) =>
			error instanceof ToolError && error.reason === 'not-found' && /Available: .*echo and fail/.test(error.message));
		assert.throws(() => runTask.parse({}), (error: unknown) => error instanceof ToolError && error.reason === 'invalid-arguments');
	});
});

describe('get_diagnostics in VS Code', () => {
	let workspace: VscodeWorkspace;
	let collection: vscode.DiagnosticCollection;
	const tool = createGetDiagnosticsTool(new VscodeDiagnostics());

	before(() => {
		workspace = new VscodeWorkspace();
		collection = vscode.languages.createDiagnosticCollection('switchboard-test');
		const root = vscode.workspace.workspaceFolders?.[0]?.uri;
		if (!root) throw new Error('no workspace folder');
		const error = new vscode.Diagnostic(new vscode.Range(1, 4, 1, 9), 'Cannot find name "greeet".', vscode.DiagnosticSeverity.Error);
		error.source = 'ts';
		error.code = 2304;
		const warning = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 2), 'Unexpected TODO comment.', vscode.DiagnosticSeverity.Warning);
		warning.source = 'eslint';
		const hint = new vscode.Diagnostic(new vscode.Range(2, 0, 2, 1), 'a hint the model does not need', vscode.DiagnosticSeverity.Hint);
		collection.set(vscode.Uri.joinPath(root, 'src/greet.ts'), [warning, error, hint]);
		collection.set(vscode.Uri.joinPath(root, 'README.md'), [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), 'Heading style.', vscode.DiagnosticSeverity.Warning)]);
	});

	after(() => {
		collection.dispose();
		workspace.dispose();
	});

	it('reports the errors and warnings of one file with file:line:col, errors first', async () => {
		const context = { workspace, signal: new AbortController().signal };
		assert.deepEqual(await tool.approval(tool.parse({ path: 'src/greet.ts' }), context), { risk: 'read', summary: 'Diagnostics for src/greet.ts', summaryPhrase: { key: 'diagnosticsFor', args: ['src/greet.ts'] } });
		const text = await call(tool, { path: 'src/greet.ts' }, context);
		assert.equal(text, [
			'1 error(s), 1 warning(s) in src/greet.ts.',
			'error src/greet.ts:2:5: Cannot find name "greeet". (ts 2304)',
			'warning src/greet.ts:1:1: Unexpected TODO comment. (eslint)',
		].join('\n'));
	});

	it('reports the whole workspace without a path, and says when a file is clean', async () => {
		const context = { workspace, signal: new AbortController().signal };
		const text = await call(tool, {}, context);
		assert.match(text, /^1 error\(s\), 2 warning\(s\) in the workspace\./);
		assert.match(text, /warning README\.md:1:1: Heading style\./);
		assert.equal(await call(tool, { path: 'notes.txt' }, context), 'No errors or warnings in notes.txt.');
	});
});

describe('the extension-host toolset', () => {
	it('offers the read tools, get_diagnostics and run_task in a trusted workspace', () => {
		const names = buildToolset({ isTrusted: true }).map((tool) => tool.name);
		assert.deepEqual(names, ['read_file', 'search_text', 'find_files', 'list_directory', 'get_diagnostics', 'run_task']);
	});

	it('leaves execute tools out in Restricted Mode', () => {
		const tools = buildToolset({ isTrusted: false });
		assert.ok(!tools.some((tool) => tool.name === 'run_task' || tool.risk === 'execute'));
		assert.ok(tools.some((tool) => tool.name === 'get_diagnostics'));
	});

	it('follows vscode.workspace.isTrusted by default', () => {
		const names = buildToolset().map((tool) => tool.name);
		assert.equal(names.includes('run_task'), vscode.workspace.isTrusted);
	});
});
