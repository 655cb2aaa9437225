import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveAttachments } from '../../../../src/chat/attachments/resolveAttachments';
import { MentionIndex } from '../../../../src/chat/attachments/mentionIndex';
import { NodeWorkspace } from '../../../../src/tools/nodeWorkspace';
import { createTempWorkspace, type TempWorkspace } from '../../tools/tempWorkspace';

describe('resolving attachments', () => {
	let temp: TempWorkspace;
	let workspace: NodeWorkspace;
	const signal = new AbortController().signal;
	before(() => {
		temp = createTempWorkspace();
		workspace = new NodeWorkspace([temp.root]);
	});
	after(() => temp.cleanup());

	it('sends a file with its path and numbered lines, and a chip naming it', async () => {
		const { parts, chips } = await resolveAttachments([{ kind: 'file', path: 'src/util/math.ts' }], { workspace }, signal);
		const text = fs.readFileSync(path.join(temp.root, 'src/util/math.ts'), 'utf8');
		assert.equal(parts.length, 1);
		assert.match(parts[0].text, /^<attachment kind="file" path="src\/util\/math.ts">\n1 \| /);
		assert.ok(parts[0].text.includes(`1 | ${text.split('\n')[0]}`));
		assert.deepEqual(chips, [{ kind: 'file', label: 'src/util/math.ts', path: 'src/util/math.ts' }]);
	});

	it('lists a folder without the files .gitignore hides', async () => {
		const { parts, chips } = await resolveAttachments([{ kind: 'folder', path: '.' }], { workspace: new NodeWorkspace([temp.root], { ripgrepPath: null }) }, signal);
		assert.match(parts[0].text, /^<attachment kind="folder" path=".">/);
		assert.ok(parts[0].text.includes('\nsrc/\n'));
		assert.ok(parts[0].text.includes('\nsrc/util/math.ts\n'));
		assert.equal(chips[0].label, './');
		const sub = await resolveAttachments([{ kind: 'folder', path: 'src' }], { workspace }, signal);
		assert.match(sub.parts[0].text, /^<attachment kind="folder" path="src\/">\napp.ts\nutil\/\nutil\/math.ts\n<\/attachment>$/);
	});

	it('sends a selection as picked, numbered from its first line', async () => {
		const { parts, chips } = await resolveAttachments([{ kind: 'selection', path: 'src/app.ts', startLine: 3, endLine: 4, text: 'three\nfour' }], { workspace }, signal);
		assert.equal(parts[0].text, '<attachment kind="selection" path="src/app.ts" lines="3-4">\n3 | three\n4 | four\n</attachment>');
		assert.equal(chips[0].label, 'src/app.ts:3-4');
	});

	it('sends the workspace\'s problems and leaves out other files\' ones', async () => {
		const diagnostics = {
			get: async () => [
				{ file: path.join(temp.root, 'src/app.ts'), line: 1, column: 2, severity: 'error' as const, message: 'boom' },
				{ file: path.join(temp.outside, 'secret.txt'), line: 1, column: 1, severity: 'error' as const, message: 'not ours' },
			],
		};
		const { parts, chips } = await resolveAttachments([{ kind: 'problems' }], { workspace, diagnostics }, signal);
		assert.equal(parts[0].text, '<attachment kind="problems">\nerror src/app.ts:1:2: boom\n</attachment>');
		assert.deepEqual(chips, [{ kind: 'problems', label: 'Problems' }]);
	});

	it('refuses a path outside the workspace, and says a missing or binary file was not attached', async () => {
		const { parts, chips } = await resolveAttachments([
			{ kind: 'file', path: path.join(temp.outside, 'secret.txt') },
			{ kind: 'file', path: 'escape/secret.txt' },
			{ kind: 'file', path: 'gone.ts' },
			{ kind: 'file', path: 'image.bin' },
		], { workspace }, signal);
		for (const part of parts) assert.ok(!part.text.includes('outside secret'), part.text);
		assert.match(chips[0].error ?? '', /outside the workspace/);
		assert.match(chips[1].error ?? '', /outside the workspace/);
		assert.match(chips[2].error ?? '', /does not exist/);
		assert.match(chips[3].error ?? '', /binary/);
		assert.match(parts[2].text, /\[Not attached: gone.ts does not exist\.\]/);
	});

	it('shares one total budget between the attachments and marks the chips of cut ones', async () => {
		fs.writeFileSync(path.join(temp.root, 'big.txt'), Array.from({ length: 5000 }, (_, index) => `row ${index}`).join('\n'));
		const limits = { perAttachmentChars: 3000, totalChars: 4000, folderEntries: 10, problems: 10 };
		const { parts, chips } = await resolveAttachments([{ kind: 'file', path: 'big.txt' }, { kind: 'file', path: 'big.txt' }, { kind: 'file', path: 'src/app.ts' }], { workspace, limits }, signal);
		// The same item twice is sent once.
		assert.equal(parts.length, 2);
		assert.ok(parts[0].text.length < 3500, `${parts[0].text.length}`);
		assert.ok((chips[0].omitted ?? 0) > 30_000);
		assert.match(parts[0].text, /\[Cut: most of the file's [\d,]+ bytes \(line \d+ onward\) were left out\. Call read_file with path "big.txt" and startLine \d+ to read the rest/);
		assert.ok(parts[1].text.length <= 1300, `${parts[1].text.length}`);
	});
});

describe('the mention index', () => {
	const files = ['src/vscode/chat/chatController.ts', 'src/chat/agentLoop.ts', 'README.md', 'src/webview/render/composer.ts', 'test/unit/chat/agentLoop.test.ts', 'docs/controller-notes.md'];
	const index = new MentionIndex(files);

	it('offers the folders that hold the files as well', () => {
		assert.equal(index.size, files.length + ['src', 'src/vscode', 'src/vscode/chat', 'src/chat', 'src/webview', 'src/webview/render', 'test', 'test/unit', 'test/unit/chat', 'docs'].length);
		assert.deepEqual(index.search('render', 3)[0], { path: 'src/webview/render', kind: 'folder' });
	});

	it('ranks a file-name match first, then a path match, then letters in order', () => {
		assert.deepEqual(index.search('agentloop', 5).map((item) => item.path), ['src/chat/agentLoop.ts', 'test/unit/chat/agentLoop.test.ts']);
		// A name that starts with the query comes before one that only contains it.
		assert.deepEqual(index.search('controller', 5).map((item) => item.path), ['docs/controller-notes.md', 'src/vscode/chat/chatController.ts']);
		assert.equal(index.search('chctrl', 5)[0].path, 'src/vscode/chat/chatController.ts');
		assert.deepEqual(index.search('zzz', 5), []);
	});

	it('lists short paths first for an empty query, and stops at the limit', () => {
		assert.equal(index.search('', 1)[0].path, 'src');
		assert.equal(index.search('', 4).length, 4);
		assert.equal(index.search('s', 3).length, 3);
	});
});
