// Command tools that misbehave: one that never ends (timeout and cancel leave no process of its group behind),
// one that prints 50 MB (output capped, memory bounded), one that waits for input (stdin is closed after the
// arguments, so it gets end-of-file instead of hanging).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createCommandTool } from '../../src/tools/commandTool';
import { noWorkspace } from '../../src/tools/noWorkspace';
import { ToolError } from '../../src/tools/types';
import { liveMemory } from '../support/liveMemory';
import { Tally } from './tally';

/** Processes whose command line contains `marker`, from ps. */
function processesWith(marker: string): string[] {
	const out = execFileSync('ps', ['-eo', 'pid,pgid,args'], { encoding: 'utf8' });
	return out.split('\n').filter((line) => line.includes(marker) && !line.includes('ps -eo'));
}

async function gone(marker: string): Promise<string[]> {
	// SIGKILL is immediate, but the kernel reaps asynchronously; give it a moment.
	for (let i = 0; i < 20; i++) {
		const left = processesWith(marker);
		if (left.length === 0) return left;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return processesWith(marker);
}

/** A shell that starts two grandchildren (a pipeline), each carrying `marker` in its arguments, and never ends. */
function neverEnding(marker: string): string {
	return `node -e "setInterval(() => {}, 1000)" ${marker} | node -e "process.stdin.resume()" ${marker}`;
}

describe('command tools that misbehave', function () {
	this.timeout(30_000);
	const tally = new Tally('command tools');
	after(() => tally.print());
	const context = (signal = new AbortController().signal) => ({ workspace: noWorkspace, signal });

	it('a command that never ends is killed at the timeout with its whole process group, and says so', () => tally.check('timeout', async () => {
		const marker = `sb-never-${randomBytes(6).toString('hex')}`;
		const tool = createCommandTool({ name: 'hang', description: '', parameters: {}, command: neverEnding(marker) }, { timeoutMs: 700 });
		const pending = tool.invoke({}, context());
		await new Promise((resolve) => setTimeout(resolve, 400));
		assert.ok(processesWith(marker).length >= 2, 'the pipeline is running');
		const output = await pending;
		assert.deepEqual(output, { type: 'error-text', value: 'The tool \'hang\' timed out after 0.7 s.' });
		assert.deepEqual(await gone(marker), []);
	}));

	it('cancelling a never-ending command rejects as cancelled and leaves no process', () => tally.check('cancel', async () => {
		const marker = `sb-cancel-${randomBytes(6).toString('hex')}`;
		const tool = createCommandTool({ name: 'hang', description: '', parameters: {}, command: neverEnding(marker) }, { timeoutMs: 60_000 });
		const controller = new AbortController();
		const pending = tool.invoke({}, context(controller.signal));
		await new Promise((resolve) => setTimeout(resolve, 400));
		assert.ok(processesWith(marker).length >= 2);
		controller.abort();
		await assert.rejects(pending, (error: unknown) => error instanceof ToolError && error.reason === 'cancelled');
		assert.deepEqual(await gone(marker), []);
	}));

	it('a command that prints 50 MB: the result is capped and says so, and memory stays bounded', () => tally.check('50 MB', async () => {
		const tool = createCommandTool({ name: 'flood', description: '', parameters: {}, command: 'head -c 52428800 /dev/zero | tr "\\0" x' });
		// Held memory (sampled after full collections): 50 MB of pipe chunks pass through as garbage.
		const baseline = liveMemory().heapUsed;
		let peak = 0;
		let samples = 0;
		const sampler = setInterval(() => {
			samples++;
			peak = Math.max(peak, liveMemory().heapUsed - baseline);
		}, 25);
		const output = await tool.invoke({}, context());
		clearInterval(sampler);
		assert.equal(output.type, 'text');
		const text = output.value as string;
		assert.ok(text.length <= 300 * 1024, `result is ${text.length} chars`);
		assert.match(text, /\[Output truncated: 52428800 bytes, showing 262144\.\]$/);
		// Holding the whole output would cost 50 MB or more; chunks beyond the cap are dropped as they come.
		assert.ok(samples >= 3, `${samples} samples`);
		assert.ok(peak < 16 * 1024 * 1024, `live heap grew by ${(peak / 1048576).toFixed(1)} MB`);
	}));

	it('a command that waits for more input gets end-of-file after the arguments instead of hanging', () => tally.check('stdin', async () => {
		const tool = createCommandTool({ name: 'ask', description: '', parameters: {}, command: 'read first; if read second; then echo "got two lines"; else echo "input ended after: $first"; fi' }, { timeoutMs: 5000 });
		const started = Date.now();
		const output = await tool.invoke({ question: 'continue?' }, context());
		assert.deepEqual(output, { type: 'text', value: 'input ended after: {"question":"continue?"}' });
		assert.ok(Date.now() - started < 3000);
	}));

	it('a command that reads a terminal it does not have fails fast instead of waiting', () => tally.check('tty', async () => {
		const tool = createCommandTool({ name: 'prompt', description: '', parameters: {}, command: 'read answer < /dev/tty; echo "answer: $answer"' }, { timeoutMs: 5000 });
		const started = Date.now();
		const output = await tool.invoke({}, context());
		assert.ok(Date.now() - started < 3000);
		// Either no controlling terminal (an error) or an empty answer: never a hang.
		assert.ok(output.type === 'error-text' || (output.type === 'text' && output.value === 'answer: '), JSON.stringify(output));
	}));
});
