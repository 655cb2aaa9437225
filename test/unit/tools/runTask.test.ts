// The run_task tool's own logic: the output tail and the text the model gets. The TaskPort is exercised against
// the real vscode.tasks in test/integration/tools.tasks.test.ts; here a port that records calls stands in for it.
import * as assert from 'node:assert/strict';
import { noWorkspace } from '../../../src/tools/noWorkspace';
import { createRunTaskTool, OutputTail, type TaskPort, type TaskRunResult } from '../../../src/tools/runTask';

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
		assert.deepEqual(output, { type: 'text', value: "Task 'build' finished with exit code 2.\nOutput:\n[Output truncated: showing the last 16 KB.]\nerror TS1" });
		const slow = createRunTaskTool(portReturning({ exitCode: undefined, output: '', truncated: false, timedOut: true }), { timeoutMs: 5000 });
		assert.deepEqual(await slow.invoke(slow.parse({ task: 'build' }), context), { type: 'text', value: "Task 'build' was stopped after 5 s (timeout).\n(no output)" });
	});
});
