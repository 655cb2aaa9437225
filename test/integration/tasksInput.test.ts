// run_task with a task that asks for input ("ask for a name" in test/harness/workspace/.vscode/tasks.json: it
// prints a prompt, reads a line, greets). Answered from its task terminal, by Terminal.sendText and by real keys
// typed into the focused terminal in the browser, the answer reaches the process and its reply is in the result.
// Unanswered, the timeout or a cancel ends it, and no process of it is left.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';
import { createRunTaskTool } from '../../src/tools/runTask';
import { ToolError, type AnyTool, type ToolContext } from '../../src/tools/types';
import { VscodeTaskRunner } from '../../src/vscode/workspace/taskRunner';
import { VscodeWorkspace } from '../../src/vscode/workspace/workspaceAdapter';
import { drive, waitFor } from './support';

const label = 'ask for a name';

/** The task's shell, waiting in `read`: its command line holds the task's command. */
function asking(): boolean {
	return spawnSync('pgrep', ['-f', 'read name; echo']).status === 0;
}

/** The call's result text; `expected` is 'error-text' where the task must fail (a non-zero exit or the timeout). */
async function call(tool: AnyTool, args: unknown, context: ToolContext, expected: 'text' | 'error-text' = 'text'): Promise<string> {
	const output = await tool.invoke(tool.parse(args), context);
	if (output.type !== expected) throw new Error(`expected ${expected}, got ${JSON.stringify(output)}`);
	return output.value;
}

/** Starts the task and returns the call and its terminal, once the shell is waiting for the answer. */
async function startAsking(tool: AnyTool, context: ToolContext, expected: 'text' | 'error-text' = 'text'): Promise<{ running: Promise<string>; terminal: vscode.Terminal }> {
	// VS Code reuses a finished task's terminal for the next task: close them all, so the one with our name is ours.
	for (const terminal of vscode.window.terminals) terminal.dispose();
	await waitFor('old terminals to close', () => vscode.window.terminals.length === 0 || undefined);
	const running = call(tool, { task: label }, context, expected);
	// A failed start would otherwise only surface after the wait below.
	running.catch(() => undefined);
	await waitFor('the task to wait for its answer', () => asking() || undefined);
	const terminal = await waitFor('the task terminal', () => vscode.window.terminals.find((candidate) => candidate.name.includes(label)));
	return { running, terminal };
}

describe('run_task with a task that asks for input, in VS Code', function () {
	this.timeout(90000);
	let workspace: VscodeWorkspace;
	const figures: string[] = [];
	const patient = createRunTaskTool(new VscodeTaskRunner(), { timeoutMs: 60000 });
	const quick = createRunTaskTool(new VscodeTaskRunner(), { timeoutMs: 4000 });
	const context = (signal = new AbortController().signal): ToolContext => ({ workspace, signal });

	before(() => {
		workspace = new VscodeWorkspace();
	});

	afterEach(async () => {
		// Whatever a test did, it leaves no shell waiting for an answer.
		await waitFor('no asking process to be left', () => !asking() || undefined, 6000);
	});

	after(() => {
		console.log(`      tasks asking for input: ${figures.join('; ')}`);
		workspace.dispose();
		for (const terminal of vscode.window.terminals) terminal.dispose();
	});

	it('takes the answer sent to its terminal (Terminal.sendText) and returns the reply', async () => {
		const { running, terminal } = await startAsking(patient, context());
		terminal.sendText('Ada Lovelace');
		const text = await running;
		assert.match(text, /^Task 'ask for a name' finished with exit code 0\./);
		assert.match(text, /Your name\?/);
		assert.match(text, /hello, Ada Lovelace$/);
		figures.push('answered by sendText');
	});

	it('takes an answer typed key by key into the focused task terminal', async () => {
		const { running, terminal } = await startAsking(patient, context());
		terminal.show(false);
		// The terminal's input is xterm's hidden textarea: wait until it has the keyboard, then type as a user does.
		await waitFor('the terminal to have focus', async () => {
			await drive({ waitFor: '.terminal-wrapper.active .xterm' });
			return vscode.window.activeTerminal === terminal || undefined;
		});
		await drive({ click: '.terminal-wrapper.active .xterm-screen', type: 'Grace Hopper', press: 'Enter' });
		const text = await running;
		assert.match(text, /^Task 'ask for a name' finished with exit code 0\./);
		assert.match(text, /hello, Grace Hopper$/);
		figures.push('answered by typing');
	});

	it('unanswered, it ends at the timeout with its prompt, and no process is left', async () => {
		const { running } = await startAsking(quick, context(), 'error-text');
		const text = await running;
		assert.match(text, /^Task 'ask for a name' was stopped after 4 s \(timeout\)\./);
		assert.match(text, /Your name\?/);
		assert.doesNotMatch(text, /hello,/);
		await waitFor('the asking shell to be gone', () => !asking() || undefined, 6000);
		figures.push('unanswered: timeout, no process left');
	});

	it('unanswered, a cancelled call ends it, and no process is left', async () => {
		const controller = new AbortController();
		const { running } = await startAsking(patient, context(controller.signal));
		controller.abort();
		await assert.rejects(running, (error: unknown) => error instanceof ToolError && error.reason === 'cancelled');
		await waitFor('the asking shell to be gone', () => !asking() || undefined, 6000);
		figures.push('cancel, no process left');
	});
});
