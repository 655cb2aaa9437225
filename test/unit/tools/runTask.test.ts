// The run_task tool's own logic: the output tail and the text the model gets. The TaskPort is exercised against
// the real vscode.tasks in test/integration/tools.tasks.test.ts; here a port that records calls stands in for it.
import * as assert from 'node:assert/strict';
import { noWorkspace } from '../../../src/tools/noWorkspace';
import { createRunTaskTool, OutputTail, type TaskCommand, type TaskPort, type TaskRunResult } from '../../../src/tools/runTask';

function portReturning(result: TaskRunResult, calls: Array<{ label: string; timeoutMs: number }> = []): TaskPort {
	return {
		list: async () => [{ label: 'build', source: 'Workspace' }, { label: 'test', source: 'npm', detail: 'mocha' }],
		run: async (label, options) => {
			calls.push({ label, timeoutMs: options.timeoutMs });
			return result;
		},
	};
}

const context = { workspace: noWorkspace, signal: new AbortController().signal };

describe('run_task', () => {
	it('keeps only the last bytes of a long output, without splitting a UTF-8 character', () => {
		const tail = new OutputTail(10);
		for (let index = 0; index < 100; index++) tail.push(`line ${index}\n`);
		tail.push('ééé');
		const { output, truncated } = tail.result();
		assert.equal(truncated, true);
		assert.ok(Buffer.byteLength(output) <= 10);
		assert.ok(output.endsWith('ééé'));
		assert.ok(!output.includes('\ufffd'));
	});

	it('reports short output whole, untruncated', () => {
		const tail = new OutputTail(100);
		tail.push('a\n');
		tail.push('b\n');
		assert.deepEqual(tail.result(), { output: 'a\nb\n', truncated: false });
	});

	it('lists tasks with the detector named for detected ones', async () => {
		const tool = createRunTaskTool(portReturning({ exitCode: 0, output: '', truncated: false, timedOut: false }));
		const output = await tool.invoke(tool.parse({ mode: 'list' }), context);
		assert.deepEqual(output, { type: 'text', value: 'build\nnpm: test — mocha' });
	});

	it('passes the label and the configured timeout, and reports exit code, truncation and timeout', async () => {
		const calls: Array<{ label: string; timeoutMs: number }> = [];
		const tool = createRunTaskTool(portReturning({ exitCode: 2, output: 'error TS1\n', truncated: true, timedOut: false }, calls), { timeoutMs: 5000 });
		const output = await tool.invoke(tool.parse({ task: ' build ' }), context);
		assert.deepEqual(calls, [{ label: 'build', timeoutMs: 5000 }]);
		// A non-zero exit is a failed call (an error result), as for the command tools.
		assert.deepEqual(output, { type: 'error-text', value: "Task 'build' finished with exit code 2.\nOutput:\n[Output truncated: showing the last 16 KB.]\nerror TS1" });
		const slow = createRunTaskTool(portReturning({ exitCode: undefined, output: '', truncated: false, timedOut: true }), { timeoutMs: 5000 });
		assert.deepEqual(await slow.invoke(slow.parse({ task: 'build' }), context), { type: 'error-text', value: "Task 'build' was stopped after 5 s (timeout).\n(no output)" });
	});

	it('reports exit code 0, or an unknown one, as a plain result, and a stop by the user as a failure', async () => {
		const ok = createRunTaskTool(portReturning({ exitCode: 0, output: 'built\n', truncated: false, timedOut: false }));
		assert.deepEqual(await ok.invoke(ok.parse({ task: 'build' }), context), { type: 'text', value: "Task 'build' finished with exit code 0.\nOutput:\nbuilt" });
		const unknown = createRunTaskTool(portReturning({ exitCode: undefined, output: '', truncated: false, timedOut: false }));
		assert.equal((await unknown.invoke(unknown.parse({ task: 'build' }), context)).type, 'text');
		const stopped = createRunTaskTool(portReturning({ exitCode: undefined, output: '', truncated: false, timedOut: false, stoppedByUser: true }));
		assert.equal((await stopped.invoke(stopped.parse({ task: 'build' }), context)).type, 'error-text');
	});

	it('shows the command line a task runs in its approval, or says why there is none', async () => {
		const port = (command: TaskCommand): TaskPort => ({ ...portReturning({ exitCode: 0, output: '', truncated: false, timedOut: false }), describe: async () => command });
		const approval = async (command: TaskCommand) => {
			const tool = createRunTaskTool(port(command));
			return tool.approval(tool.parse({ task: 'build' }), context);
		};
		assert.deepEqual(await approval({ kind: 'command', commandLine: 'npm run build' }), {
			risk: 'execute', summary: "Run task 'build'", summaryPhrase: { key: 'runTask', args: ['build'] }, detail: 'npm run build',
		});
		assert.deepEqual(await approval({ kind: 'not-found' }), {
			risk: 'execute', summary: "Run task 'build'", summaryPhrase: { key: 'runTask', args: ['build'] },
			detail: 'No task has this label: nothing will run.', detailPhrase: { key: 'taskNotFound', args: [] },
		});
		assert.equal((await approval({ kind: 'no-command-line', source: 'gulp' })).detail, 'A gulp task without a command line: its extension runs it.');
		// A port without describe (or one that fails) leaves the summary alone.
		const plain = createRunTaskTool(portReturning({ exitCode: 0, output: '', truncated: false, timedOut: false }));
		assert.equal((await plain.approval(plain.parse({ task: 'build' }), context)).detail, undefined);
	});
});
