// The block splitter against marked itself: streaming a document one character at a time, the finished blocks
// (each rendered once, from the tokens lexed then) followed by the open rest must render exactly as the whole prefix does.
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import type { Marked, TokensList } from 'marked' with { 'resolution-mode': 'import' };
import { finishedBlocks, joinRaw, markedOptions } from '../../../src/webview/render/blocks';

// marked is an ES module; this test runs as CommonJS.
let marked: Marked;
const render = (source: string): string => marked.parse(source, { async: false });
const lexBlocks = (source: string): TokensList => marked.lexer(source);

/** Replays the stream: returns every prefix whose split render differed from the one-shot render, and the blocks cut. */
function replay(document: string, step = 1): { mismatches: number[]; commits: string[] } {
	let committed = 0;
	let committedHtml = '';
	const commits: string[] = [];
	const mismatches: number[] = [];
	for (let length = step; length < document.length + step; length += step) {
		const prefix = document.slice(0, Math.min(length, document.length));
		const tokens = lexBlocks(prefix.slice(committed));
		const finished = finishedBlocks(tokens);
		let index = 0;
		while (index < finished) {
			let end = index + 1;
			while (end < finished && tokens[end].type === 'space') end++;
			const raw = joinRaw(tokens, index, end);
			commits.push(raw);
			committedHtml += marked.parser(tokens.slice(index, end));
			committed += raw.length;
			index = end;
		}
		if (committedHtml + render(prefix.slice(committed)) !== render(prefix)) mismatches.push(prefix.length);
	}
	return { mismatches, commits };
}

const tricky = [
	'# Title\n\nIntro with **bold** and a [link](https://example.com).\n\n',
	'- one\n- two\n\n  continued after a blank line\n  - nested\n\n    deeper paragraph\n- three\n\n',
	'1. first\n2. second\n\n10. tenth\n\nAfter the list.\n\n',
	'```ts\nconst a = 1;\n\n\nconst b = 2;\n```\n\n',
	'~~~\nunclosed tilde? no:\n\n```\n~~~\n\n',
	'| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 | 4 |\n\n',
	'> quote\ncontinued lazily\n\n> another\n\n',
	'Setext heading\n---\n\nPara then\n# heading at once\nand text\n#hashtag\n\n',
	'    indented code\n\n    still code\n\nend\n\n',
	'<details>\n\ninside\n\n</details>\n\n',
	'***\n\nLast paragraph.',
].join('');

describe('webview block splitter', () => {
	before(async () => { marked = new (await import('marked')).Marked(markedOptions); });

	it('renders every prefix of a tricky document the same split as one-shot (nested lists, fences with blank lines, a table)', function () {
		this.timeout(30_000);
		const { mismatches, commits } = replay(tricky);
		assert.deepEqual(mismatches, []);
		assert.ok(commits.length >= 8, `expected the document cut into blocks, got ${commits.length}`);
	});

	it('agrees with one-shot rendering on every prefix of documents glued from random pieces, blank lines or not', function () {
		this.timeout(30_000);
		const pieces = ['- a', '- b', '  indented', '1. x', '2) y', '10. z', '```', '~~~ js', 'code', '', '', '# H', 'Para', '---', '===', '| h | i |', '|---|---|', '> q', '    four', '*', '[r]', 'tail *em*'];
		let seed = Number(process.env.FUZZ_SEED ?? 7);
		const next = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
		for (let run = 0; run < Number(process.env.FUZZ_RUNS ?? 40); run++) {
			const lines: string[] = [];
			for (let line = 0; line < 14; line++) lines.push(pieces[next() % pieces.length]);
			const document = lines.join('\n');
			assert.deepEqual(replay(document).mismatches, [], JSON.stringify(document));
		}
	});

	it('keeps a list open while the next block may become another item of it', () => {
		const tokens = lexBlocks('1. a\n\n2');
		assert.equal(finishedBlocks(tokens), 0);
		assert.equal(finishedBlocks(lexBlocks('- a\n\n-')), 0);
		assert.equal(finishedBlocks(lexBlocks('- a\n\nText')), 2);
	});

	it('never cuts inside a fenced block, blank lines included', () => {
		assert.equal(finishedBlocks(lexBlocks('```\na\n\n\nb')), 0);
		assert.equal(finishedBlocks(lexBlocks('Para\n\n```\na\n\nb')), 2);
	});

	it('keeps a paragraph open when the next line may still join it (no blank line between)', () => {
		assert.equal(finishedBlocks(lexBlocks('Para\n#')), 0);
		assert.equal(finishedBlocks(lexBlocks('Para\n- x')), 0);
	});

	it('stops cutting at raw HTML, which may wrap the blocks after it', () => {
		assert.equal(finishedBlocks(lexBlocks('Para\n\n<div>\n\nin\n\n</div>\n\nafter')), 2);
	});
});
