import * as assert from 'node:assert/strict';
import { PacedEcho, type PacedEchoOptions } from '../../../../src/vscode/workspace/pacedEcho';

const note = (chars: number): string => `<skipped ${chars}>\n`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function recorder(options?: PacedEchoOptions): { echo: PacedEcho; written: string[] } {
	const written: string[] = [];
	return { echo: new PacedEcho((text) => written.push(text), note, options), written };
}

describe('paced terminal echo', () => {
	it('writes output at once while the task prints slowly', () => {
		const { echo, written } = recorder();
		echo.push('hello\r\n');
		echo.push('world\r\n');
		assert.deepEqual(written, ['hello\r\n', 'world\r\n']);
		echo.dispose();
		assert.deepEqual(written, ['hello\r\n', 'world\r\n']);
	});

	it('spreads a burst over ticks, in order and whole, when it fits the backlog', async () => {
		const { echo, written } = recorder({ charsPerTick: 10, tickMs: 5, maxBacklog: 1000 });
		const input = Array.from({ length: 12 }, (_, i) => `line ${i}\n`).join('');
		for (let i = 0; i < input.length; i += 7) echo.push(input.slice(i, i + 7));
		assert.ok(written.join('').length <= 10, `${written.join('').length} characters written in the first tick`);
		const deadline = Date.now() + 5000;
		while (written.join('') !== input && Date.now() < deadline) await sleep(5);
		assert.equal(written.join(''), input);
		assert.ok(written.every((text) => text.length <= 10));
		assert.equal(echo.skippedChars, 0);
		echo.dispose();
	});

	it('keeps what it holds back bounded under a 50 MB flood, and accounts for every character', () => {
		const options = { charsPerTick: 256 * 1024, tickMs: 50, maxBacklog: 1024 * 1024 };
		const { echo, written } = recorder(options);
		const line = `${'x'.repeat(99)}\n`;
		const chunk = line.repeat(640); // 64,000 characters, as a pipe delivers them
		let total = 0;
		for (let i = 0; i < 800; i++) {
			echo.push(chunk);
			total += chunk.length;
		}
		echo.push('end-of-flood\n');
		total += 'end-of-flood\n'.length;
		const beforeFlush = written.join('').length;
		assert.ok(beforeFlush <= options.charsPerTick, `${beforeFlush} characters written before any tick`);
		echo.dispose();
		const text = written.join('');
		assert.ok(text.endsWith(`${line}end-of-flood\n`), 'the end of the output is shown');
		const notes = [...text.matchAll(/<skipped (\d+)>\n/g)];
		assert.equal(notes.length, 1);
		const skipped = Number(notes[0][1]);
		assert.equal(skipped, echo.skippedChars);
		assert.equal(text.length - notes[0][0].length + skipped, total, 'shown + skipped = printed');
		assert.ok(text.length < 2 * options.maxBacklog, `${text.length} characters shown`);
		// The skip ends at a line start, so the note is followed by whole lines.
		assert.ok(text.slice(text.indexOf(notes[0][0]) + notes[0][0].length).startsWith(line));
	});

	it('never splits a surrogate pair when it skips or paces', () => {
		const { echo, written } = recorder({ charsPerTick: 3, tickMs: 1000, maxBacklog: 16 });
		const input = '😀'.repeat(40);
		echo.push('ab');
		echo.push(input);
		echo.dispose();
		const text = written.join('').replace(/<skipped \d+>\n/, '');
		assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text), 'no lone surrogate');
		assert.ok(text.endsWith('😀😀'));
	});

	it('writes what it held back before the user’s typing is echoed', () => {
		const { echo, written } = recorder({ charsPerTick: 4, tickMs: 1000, maxBacklog: 100 });
		echo.push('Your name? ');
		assert.equal(written.join(''), '');
		echo.flush();
		written.push('Ada');
		assert.equal(written.join(''), 'Your name? Ada');
		echo.dispose();
	});
});
