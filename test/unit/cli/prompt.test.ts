import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { UsageError } from '../../../src/cli/args';
import { maxStdinBytes, PromptCancelled, readPrompt } from '../../../src/cli/prompt';

/** A piped standard input holding `text` (already ended), or a terminal. */
function stdin(text?: string, isTTY = false): { isTTY: boolean; stream: PassThrough } {
	const stream = new PassThrough();
	if (text !== undefined) stream.end(text);
	return { isTTY, stream };
}

const live = new AbortController().signal;

describe('CLI prompt from standard input', () => {
	it('uses the argument alone and leaves standard input unread', async () => {
		const input = stdin('piped');
		assert.deepEqual(await readPrompt(['Hello'], input, live), { text: 'Hello', usedStdin: false });
		assert.equal(input.stream.read()?.toString(), 'piped');
	});

	it('reads standard input for -, also from a terminal', async () => {
		assert.deepEqual(await readPrompt(['-'], stdin('diff --git a/x b/x\n+1\n'), live), { text: 'diff --git a/x b/x\n+1\n', usedStdin: true });
		assert.deepEqual(await readPrompt(['-'], stdin('typed, then Ctrl+D', true), live), { text: 'typed, then Ctrl+D', usedStdin: true });
	});

	it('joins the argument and standard input in the order given', async () => {
		assert.equal((await readPrompt(['Review this diff:', '-'], stdin('+added line'), live)).text, 'Review this diff:\n\n+added line');
		assert.equal((await readPrompt(['-', 'Summarize the above.'], stdin('log text'), live)).text, 'log text\n\nSummarize the above.');
	});

	it('takes a piped standard input as the prompt when there is no argument, byte for byte', async () => {
		const text = 'Ünïcode ✓ and\ttabs\n\n  indented\n';
		assert.deepEqual(await readPrompt([], stdin(text), live), { text, usedStdin: true });
	});

	it('asks for a prompt when there is neither an argument nor a pipe', async () => {
		await assert.rejects(readPrompt([], stdin(undefined, true), live), (error: unknown) => error instanceof UsageError && /Give a prompt/.test(error.message));
	});

	it('refuses an empty standard input and one over the size limit', async () => {
		await assert.rejects(readPrompt(['-'], stdin(' \n'), live), (error: unknown) => error instanceof UsageError && /Standard input was empty/.test(error.message));
		const big = stdin();
		const chunk = Buffer.alloc(1024 * 1024, 'a');
		const writing = (async () => {
			for (let i = 0; i <= maxStdinBytes / chunk.length && !big.stream.destroyed; i++) big.stream.write(chunk);
		})();
		await assert.rejects(readPrompt(['-'], big, live), (error: unknown) => error instanceof UsageError && /Standard input is over 16 MB/.test(error.message));
		await writing;
	});

	it('stops waiting for standard input when cancelled', async () => {
		const controller = new AbortController();
		const reading = readPrompt(['-'], stdin(), controller.signal);
		setTimeout(() => controller.abort(), 10);
		await assert.rejects(reading, PromptCancelled);
	});
});
