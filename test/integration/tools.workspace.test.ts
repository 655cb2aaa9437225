// The read tools through the VS Code Workspace adapter, in a real extension host: unsaved editor text, binary and
// huge files, paths leaving the workspace, and search with the ripgrep VS Code ships.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findFilesTool } from '../../src/tools/findFiles';
import { listDirectoryTool } from '../../src/tools/listDirectory';
import { readFileCapBytes, readFileTool } from '../../src/tools/readFile';
import { searchTextTool } from '../../src/tools/searchText';
import { ToolError, type AnyTool, type ToolContext } from '../../src/tools/types';
import { VscodeWorkspace } from '../../src/vscode/workspace/workspaceAdapter';

function root(): string {
	const folder = vscode.workspace.workspaceFolders?.[0];
	if (!folder) throw new Error('the tests need the sample workspace open');
	return folder.uri.fsPath;
}

async function call(tool: AnyTool, args: unknown, context: ToolContext): Promise<string> {
	const output = await tool.invoke(tool.parse(args), context);
	if (output.type !== 'text') throw new Error(`expected text, got ${JSON.stringify(output)}`);
	return output.value;
}

describe('workspace tools in VS Code', () => {
	let workspace: VscodeWorkspace;
	let context: ToolContext;
	const created: string[] = [];

	before(() => {
		workspace = new VscodeWorkspace();
		context = { workspace, signal: new AbortController().signal };
	});

	after(async () => {
		workspace.dispose();
		for (const file of created) fs.rmSync(file, { recursive: true, force: true });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	function create(relative: string, data: string | Buffer): string {
		const file = path.join(root(), relative);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, data);
		created.push(file);
		return file;
	}

	it('takes its folders from vscode.workspace', () => {
		assert.deepEqual(workspace.folders, [root()]);
	});

	it('read_file returns the unsaved text of a file open with changes in an editor', async () => {
		const file = create('unsaved.txt', 'saved text\n');
		const document = await vscode.workspace.openTextDocument(file);
		const editor = await vscode.window.showTextDocument(document);
		await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'UNSAVED EDIT '));
		assert.equal(document.isDirty, true);
		assert.equal(await call(readFileTool, { path: 'unsaved.txt' }, context), 'UNSAVED EDIT saved text\n');
		assert.equal(fs.readFileSync(file, 'utf8'), 'saved text\n');
		const read = await workspace.readText(await workspace.resolve('unsaved.txt'), 1000, context.signal);
		assert.equal(read.fromEditor, true);
		await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
		assert.equal(await call(readFileTool, { path: 'unsaved.txt' }, context), 'saved text\n');
	});

	it('read_file refuses a binary file with a message', async () => {
		create('image.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02]));
		await assert.rejects(call(readFileTool, { path: 'image.bin' }, context), (error: unknown) =>
			error instanceof ToolError && error.reason === 'binary' && /binary file/.test(error.message));
	});

	it('read_file returns a capped result for a 50 MB file without reading all of it', async () => {
		const line = 'x'.repeat(99) + '\n';
		create('huge.log', Buffer.from(line.repeat(50 * 1024 * 1024 / 100)));
		const started = Date.now();
		const text = await call(readFileTool, { path: 'huge.log' }, context);
		assert.ok(text.length < readFileCapBytes + 500, `${text.length} characters returned`);
		assert.match(text, /\[Truncated: showing the first 100000 bytes of 52428800\./);
		assert.ok(Date.now() - started < 5000);
		const ranged = await call(readFileTool, { path: 'huge.log', startLine: 3, endLine: 4 }, context);
		assert.equal(ranged, `${line}${line.slice(0, -1)}`);
	});

	it('resolves "..", absolute paths and a symlink leaving the folder as outside, and they always ask', async () => {
		const outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-outside-'));
		created.push(outsideDir);
		fs.writeFileSync(path.join(outsideDir, 'secret.txt'), 'outside');
		const link = path.join(root(), 'escape');
		fs.symlinkSync(outsideDir, link);
		created.push(link);
		for (const candidate of ['../outside.txt', path.join(outsideDir, 'secret.txt'), 'escape/secret.txt', '~/x.txt']) {
			const resolved = await workspace.resolve(candidate);
			assert.equal(resolved.inside, false, candidate);
			const approval = await readFileTool.approval({ path: candidate }, context);
			assert.match(approval.forcedReason ?? '', /outside the workspace/, candidate);
		}
		const inside = await readFileTool.approval({ path: 'src/greet.ts' }, context);
		assert.equal(inside.forcedReason, undefined);
		const protectedPath = await readFileTool.approval({ path: '.vscode/tasks.json' }, context);
		assert.match(protectedPath.forcedReason ?? '', /\.vscode/);
	});

	it('search_text finds matches with the ripgrep inside VS Code, not one on PATH', async () => {
		assert.ok(workspace.ripgrepPath, 'VS Code ripgrep found');
		assert.ok(workspace.ripgrepPath.startsWith(vscode.env.appRoot), `${workspace.ripgrepPath} is under ${vscode.env.appRoot}`);
		assert.notEqual(workspace.ripgrepPath, '/usr/bin/rg');
		const text = await call(searchTextTool, { query: 'greet in more languages' }, context);
		assert.equal(text, 'src/greet.ts:1: // TODO: greet in more languages.');
		// The adapter really runs the binary it names: a broken one makes the search fail.
		const broken = new VscodeWorkspace({ ripgrepPath: path.join(os.tmpdir(), 'no-such-rg') });
		await assert.rejects(broken.searchText({ query: 'x', isRegex: false, caseSensitive: false, maxResults: 5 }, context.signal), /Could not run ripgrep/);
		broken.dispose();
	});

	it('search_text and find_files honour files.exclude, and search_text honours search.exclude', async () => {
		create('generated/out.ts', 'const token = "zebra-quartz";\n');
		create('vendored/lib.ts', 'const token = "zebra-quartz";\n');
		create('src/kept.ts', 'const token = "zebra-quartz";\n');
		const config = vscode.workspace.getConfiguration();
		await config.update('files.exclude', { '**/generated': true }, vscode.ConfigurationTarget.Workspace);
		await config.update('search.exclude', { '**/vendored': true }, vscode.ConfigurationTarget.Workspace);
		try {
			assert.equal(await call(searchTextTool, { query: 'zebra-quartz' }, context), 'src/kept.ts:1: const token = "zebra-quartz";');
			const files = (await call(findFilesTool, { glob: '**/*.ts' }, context)).split('\n');
			assert.ok(files.includes('src/kept.ts') && files.includes('vendored/lib.ts'), files.join(', '));
			assert.ok(!files.some((file) => file.startsWith('generated/')), files.join(', '));
		} finally {
			await config.update('files.exclude', undefined, vscode.ConfigurationTarget.Workspace);
			await config.update('search.exclude', undefined, vscode.ConfigurationTarget.Workspace);
		}
		const after = await call(searchTextTool, { query: 'zebra-quartz' }, context);
		assert.match(after, /generated\/out\.ts/);
	});

	it('find_files matches a glob and list_directory lists folders first', async () => {
		const files = await call(findFilesTool, { glob: 'src/*.ts' }, context);
		assert.match(files, /^src\/greet\.ts$/m);
		const listing = (await call(listDirectoryTool, { path: '.' }, context)).split('\n');
		assert.ok(listing.includes('src/') && listing.includes('README.md') && listing.includes('notes.txt'), listing.join(', '));
		assert.ok(listing.indexOf('src/') < listing.indexOf('README.md'));
	});
});
