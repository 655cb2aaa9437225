import * as assert from 'node:assert/strict';
import { fileBlock, folderBlock, problemsBlock } from '../../../../src/chat/attachments/attachmentText';

describe('attachment text', () => {
	it('numbers a file\'s lines and names its path', () => {
		const block = fileBlock('file', 'src/a.ts', 'one\ntwo\n', 1000);
		assert.equal(block.text, '<attachment kind="file" path="src/a.ts">\n1 | one\n2 | two\n</attachment>');
		assert.equal(block.omitted, 0);
	});

	it('numbers a selection from its first line and says which lines it holds', () => {
		const block = fileBlock('selection', 'src/a.ts', 'nine\nten\r\neleven', 1000, { firstLine: 9 });
		assert.equal(block.text, '<attachment kind="selection" path="src/a.ts" lines="9-11">\n 9 | nine\n10 | ten\n11 | eleven\n</attachment>');
	});

	it('cuts a long file at a line, says how much was left out and how read_file gets the rest', () => {
		const text = Array.from({ length: 100 }, (_, index) => `line ${index + 1}`).join('\n');
		const block = fileBlock('file', 'big.txt', text, 200);
		const lines = block.text.split('\n');
		const shown = lines.filter((line) => /^\s*\d+ \| /.test(line));
		assert.ok(shown.length > 5 && shown.length < 30, `${shown.length} lines shown`);
		assert.ok(shown.join('\n').length <= 200);
		const next = shown.length + 1;
		assert.match(block.text, new RegExp(`\\[Cut: [\\d,]+ characters \\(lines ${next}-100\\) were left out\\. Call read_file with path "big.txt" and startLine ${next} to read the rest\\.\\]`));
		assert.match(lines[0], new RegExp(`lines="1-${shown.length}"`));
		assert.equal(block.omitted, text.split('\n').slice(shown.length).join('\n').length);
	});

	it('cuts a one-line (minified) file inside the line rather than sending nothing', () => {
		const block = fileBlock('file', 'min.js', 'x'.repeat(5000), 100);
		assert.match(block.text, /^<attachment kind="file" path="min.js" lines="1-1">\n1 \| x+\n\[Cut: 4,904 characters \(the rest of line 1\)/);
		assert.equal(block.omitted, 4904);
	});

	it('says when the reader stopped before the end of the file', () => {
		const block = fileBlock('file', 'huge.log', 'a\nb\n', 1000, { fileTruncated: true, fileSize: 10_000_000 });
		assert.match(block.text, /\[The file \(10,000,000 bytes\) goes on past line 2; call read_file with path "huge.log" and startLine 3 to read further\.\]/);
		assert.ok(block.omitted > 9_000_000);
	});

	it('keeps a quote in a path from ending the attribute', () => {
		assert.match(fileBlock('file', 'a"b.ts', 'x', 100).text, /path="a&quot;b.ts"/);
	});

	it('lists a folder and bounds the listing by entries and characters', () => {
		assert.equal(folderBlock('src/', ['a.ts', 'util/', 'util/b.ts'], 1000).text, '<attachment kind="folder" path="src/">\na.ts\nutil/\nutil/b.ts\n</attachment>');
		const many = Array.from({ length: 700 }, (_, index) => `file${index}.ts`);
		const cut = folderBlock('big/', many, 1_000_000);
		assert.match(cut.text, /\[Cut: 200 more entries were left out\. Call list_directory or find_files on "big\/" to see the rest\.\]/);
		const small = folderBlock('big/', many, 100);
		assert.ok(small.text.split('\n').length < 15);
		assert.match(folderBlock('empty/', [], 100).text, /has no files/);
	});

	it('lists problems errors first, bounded, and says when none are reported', () => {
		const problems = [
			{ file: '/w/b.ts', display: 'b.ts', line: 2, column: 1, severity: 'warning' as const, message: 'unused', source: 'ts', code: '6133' },
			{ file: '/w/a.ts', display: 'a.ts', line: 9, column: 4, severity: 'error' as const, message: 'bad type' },
		];
		assert.equal(problemsBlock(problems, 1000).text, '<attachment kind="problems">\nerror a.ts:9:4: bad type\nwarning b.ts:2:1: unused (ts 6133)\n</attachment>');
		assert.match(problemsBlock(problems, 30).text, /\[Cut: 1 more problems were left out\. Call get_diagnostics to see them\.\]/);
		assert.match(problemsBlock([], 100).text, /No problems are reported\./);
	});
});
