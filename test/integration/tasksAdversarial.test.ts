// run_task against tasks that misbehave, in the real extension host: one that ignores SIGTERM and leaves a
// background child (the process tree must still be gone after the timeout and after a cancel), one that prints
// 50 MB (the result is capped, the terminal echo paced, the extension host's memory stays bounded), and one that waits for input (it ends by
// the timeout, with the prompt in the result). The simpler cases
// (a plain never-ending task, a 20,000-line output) are in tools.tasks.test.ts.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';
import { createRunTaskTool } from '../../src/tools/runTask';
import { ToolError, type AnyTool, type ToolContext } from '../../src/tools/types';
import { liveMemory } from '../support/liveMemory';
import { VscodeTaskRunner } from '../../src/vscode/workspace/taskRunner';
import { VscodeWorkspace } from '../../src/vscode/workspace/workspaceAdapter';
import { waitFor } from './support';

/** The two sleeps of "ignore SIGTERM with a child": the shell's foreground one and its background child. */
const stubborn = ['sleep 765431', 'sleep 765432'];

function alive(command: string): boolean {
	return spawnSync('pgrep', ['-f', `^${command}$`]).status === 0;
}

/** The call's result text; `expected` is 'error-text' where the task must fail (a non-zero exit or the timeout). */
async function call(tool: AnyTool, args: unknown, context: ToolContext, expected: 'text' | 'error-text' = 'text'): Promise<string> {
	const output = await tool.invoke(tool.parse(args), context);
	if (output.type !== expected) throw new Error(`expected ${expected}, got ${JSON.stringify(output)}`);
	return output.value;
}

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;

describe('run_task against misbehaving tasks in VS Code', function () {
	this.timeout(120000);
	let workspace: VscodeWorkspace;
	const figures: string[] = [];
	// Long enough for a busy extension host to start both sleeps before the timeout.
	const quick = createRunTaskTool(new VscodeTaskRunner(), { timeoutMs: 5000 });
	const patient = createRunTaskTool(new VscodeTaskRunner(), { timeoutMs: 90000 });
	const context = (signal = new AbortController().signal): ToolContext => ({ workspace, signal });

	before(() => {
		workspace = new VscodeWorkspace();
	});

	after(() => {
		console.log(`      misbehaving tasks: ${figures.join('; ')}`);
		workspace.dispose();
		for (const terminal of vscode.window.terminals) terminal.dispose();
	});

	it('a task that ignores SIGTERM and has a background child is killed, tree and all, at the timeout', async () => {
		const running = call(quick, { task: 'ignore SIGTERM with a child' }, context(), 'error-text');
		await waitFor('both sleeps to start', () => stubborn.every(alive) || undefined);
		const text = await running;
		assert.match(text, /^Task 'ignore SIGTERM with a child' was stopped after 5 s \(timeout\)\./);
		assert.match(text, /stubborn/);
		await waitFor('both sleeps to be gone', () => !stubborn.some(alive) || undefined, 6000);
		figures.push('SIGTERM-ignoring tree gone after timeout');
	});

	it('the same task is killed, tree and all, when the call is cancelled', async () => {
		const controller = new AbortController();
		const running = call(patient, { task: 'ignore SIGTERM with a child' }, context(controller.signal));
		await waitFor('both sleeps to start', () => stubborn.every(alive) || undefined);
		controller.abort();
		await assert.rejects(running, (error: unknown) => error instanceof ToolError && error.reason === 'cancelled');
		await waitFor('both sleeps to be gone', () => !stubborn.some(alive) || undefined, 6000);
		figures.push('and after cancel');
	});

	it('a task that prints 50 MB returns its capped tail, and the extension host heap stays bounded', async () => {
		// The live heap, sampled after a full collection: the garbage of 50 MB passing through is not retention, and
		// how much of it a plain sample catches depends on the GC's timing (a 100 MB bound on that once failed).
		// A first run warms up what stays loaded after any task (modules, JIT, terminal state), so the baseline is
		// taken between runs. External memory (buffers) is reported, not bounded: its backing stores are freed by a
		// concurrent sweeper, so a sample of it is noise.
		await call(patient, { task: 'print 50 MB' }, context());
		liveMemory();
		const before = liveMemory();
		let peak = before.heapUsed;
		let peakExternal = before.external;
		let samples = 0;
		const sampler = setInterval(() => {
			const now = liveMemory();
			samples++;
			peak = Math.max(peak, now.heapUsed);
			peakExternal = Math.max(peakExternal, now.external);
		}, 200);
		const started = Date.now();
		let text: string;
		try {
			text = await call(patient, { task: 'print 50 MB' }, context());
		} finally {
			clearInterval(sampler);
		}
		const seconds = (Date.now() - started) / 1000;
		const after = liveMemory();
		assert.match(text, /^Task 'print 50 MB' finished with exit code 0\./);
		assert.match(text, /\[Output truncated: showing the last 16 KB\.\]/);
		assert.match(text, /end-of-flood$/);
		assert.ok(text.length < 17 * 1024, `${text.length} characters returned`);
		// Only a 16 KB tail is kept and the terminal echo is paced (at most 1 MB held back): what is alive during and
		// after the run is a fraction of the 50 MB printed.
		assert.ok(samples >= 2, `${samples} samples`);
		assert.ok(after.heapUsed - before.heapUsed < 12 * 1048576, `heap kept ${mb(after.heapUsed - before.heapUsed)} after the run`);
		assert.ok(peak - before.heapUsed < 32 * 1048576, `live heap grew by ${mb(peak - before.heapUsed)} at its peak`);
		figures.push(
			`50 MB in ${seconds.toFixed(1)} s, ${text.length} characters returned, live heap ${mb(before.heapUsed)} → peak ${mb(peak)} ` +
				`(${samples} samples) → ${mb(after.heapUsed)}, external ${mb(before.external)} → peak ${mb(peakExternal)}`,
		);
	});

	it('a task waiting for input ends at the timeout with its prompt in the result', async () => {
		const text = await call(quick, { task: 'ask for a name' }, context(), 'error-text');
		assert.match(text, /^Task 'ask for a name' was stopped after 5 s \(timeout\)\./);
		assert.match(text, /Your name\?/);
		assert.doesNotMatch(text, /hello,/);
		figures.push('input prompt ended by timeout');
	});
});
