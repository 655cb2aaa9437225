import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ApprovalHook, ApprovalPolicy, ApprovalRequest } from '../../../src/chat/approvals';
import { runCalls, type CallOutcome } from '../../../src/chat/toolRunner';
import { createCreateFileTool } from '../../../src/tools/createFile';
import { applyEdits, createEditFileTool } from '../../../src/tools/editFile';
import type { EditPort, FileChange } from '../../../src/tools/fileChange';
import { NodeEditPort } from '../../../src/tools/nodeEditPort';
import { NodeWorkspace } from '../../../src/tools/nodeWorkspace';
import { ToolRegistry } from '../../../src/tools/registry';
import { ToolError } from '../../../src/tools/types';

describe('applyEdits', () => {
	it('applies blocks in order, each to the result of the ones before', () => {
		assert.equal(applyEdits('a b c', [{ search: 'a', replace: 'x' }, { search: 'x b', replace: 'y' }], 'f'), 'y c');
	});

	it('names the block that matches several times, with its lines, and changes nothing', () => {
		assert.throws(() => applyEdits('one\ntwo\none\n', [{ search: 'two', replace: '2' }, { search: 'one', replace: '1' }], 'src/a.ts'),
			(error: unknown) => error instanceof ToolError && /^Search block 2 matches 2 times in src\/a\.ts \(lines 1, 3\); include more surrounding lines/.test(error.message));
	});

	it('counts overlapping occurrences as several matches', () => {
		assert.throws(() => applyEdits('aaa', [{ search: 'aa', replace: 'b' }], 'f'), /matches 2 times/);
	});

	it('says a block was not found and how to fix it', () => {
		assert.throws(() => applyEdits('const a = 1;\n', [{ search: 'const a  = 1;', replace: '' }], 'a.ts'),
			/The search block was not found in a\.ts\. The search text must match the file exactly, including whitespace/);
	});

	it('keeps $ patterns in the replacement literal', () => {
		assert.equal(applyEdits('price', [{ search: 'price', replace: '$& $1 $$' }], 'f'), '$& $1 $$');
	});

	it('matches blocks written with \\n in a CRLF file and keeps CRLF', () => {
		assert.equal(applyEdits('a\r\nb\r\nc\r\n', [{ search: 'a\nb', replace: 'x\ny' }], 'f'), 'x\r\ny\r\nc\r\n');
	});
});

describe('edit_file and create_file through the tool runner', () => {
	let root: string;
	let workspace: NodeWorkspace;
	let previews: FileChange[];
	let closed: number;
	let asked: ApprovalRequest[];

	beforeEach(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'edit-tools-'));
		fs.writeFileSync(path.join(root, 'a.txt'), 'one\ntwo\nthree\n');
		workspace = new NodeWorkspace([root], { ripgrepPath: null });
		previews = [];
		closed = 0;
		asked = [];
	});

	afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

	async function run(toolName: string, input: Record<string, unknown>, approved = true, write: 'ask' | 'auto' = 'ask'): Promise<CallOutcome> {
		const disk = new NodeEditPort(workspace);
		const port: EditPort = {
			preview: async (change) => {
				previews.push(change);
				return { close: async () => void closed++ };
			},
			apply: (change, signal) => disk.apply(change, signal),
		};
		const registry = new ToolRegistry([createEditFileTool(port), createCreateFileTool(port)]);
		const policy = (): ApprovalPolicy => ({ risks: { read: 'auto', write, execute: 'ask' }, alwaysAllow: new Set() });
		// As a UI does: the tool's preview is open while the user decides, and closed after.
		const approve: ApprovalHook = async (request) => {
			asked.push(request);
			const shown = await request.preview?.();
			await shown?.close();
			return approved ? { approved: true } : { approved: false, reason: 'no' };
		};
		const [outcome] = await runCalls(
			[{ callId: 'c1', providerId: 'p1', toolName, rawInput: JSON.stringify(input), state: 'parsed', input }],
			{ registry, context: { workspace, signal: new AbortController().signal }, policy, approve, emit: () => undefined },
		);
		return outcome;
	}

	it('previews the whole new text before asking and writes it only once approved', async () => {
		const denied = await run('edit_file', { path: 'a.txt', edits: [{ search: 'two', replace: 'TWO' }] }, false);
		assert.equal(denied.record.status, 'denied');
		assert.equal(previews[0].before, 'one\ntwo\nthree\n');
		assert.equal(previews[0].after, 'one\nTWO\nthree\n');
		assert.equal(asked[0].info.summary, 'Edit a.txt (1 block, +1 −1 lines)');
		assert.equal(closed, 1, 'the preview is closed once the call is decided');
		assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'one\ntwo\nthree\n');

		const done = await run('edit_file', { path: 'a.txt', edits: [{ search: 'two', replace: 'TWO' }] });
		assert.equal(done.record.status, 'done');
		assert.equal(done.output.type === 'text' && done.output.value, 'Edited a.txt: +1 −1 lines.');
		assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'one\nTWO\nthree\n');
	});

	it('returns a failing block to the model without asking', async () => {
		const outcome = await run('edit_file', { path: 'a.txt', edits: [{ search: 'four', replace: '4' }] });
		assert.equal(outcome.record.status, 'error');
		assert.match(String(outcome.record.result), /The search block was not found in a\.txt/);
		assert.equal(asked.length, 0);
		assert.equal(previews.length, 0);
	});

	it('tells the model to use create_file for a missing file', async () => {
		const outcome = await run('edit_file', { path: 'b.txt', edits: [{ search: 'x', replace: 'y' }] });
		assert.match(String(outcome.record.result), /b\.txt does not exist\. Use create_file/);
	});

	it('creates a file with its folders, and refuses an existing one unless overwrite is true', async () => {
		const created = await run('create_file', { path: 'src/new/b.ts', content: 'export {};\n' });
		assert.equal(created.record.status, 'done');
		assert.equal(previews[0].before, undefined);
		assert.equal(fs.readFileSync(path.join(root, 'src/new/b.ts'), 'utf8'), 'export {};\n');

		const refused = await run('create_file', { path: 'a.txt', content: 'x' });
		assert.match(String(refused.record.result), /a\.txt already exists\. Use edit_file to change it, or pass overwrite: true/);
		const overwritten = await run('create_file', { path: 'a.txt', content: 'x', overwrite: true });
		assert.equal(overwritten.record.status, 'done');
		assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'x');
	});

	it('shows no preview when the policy lets the edit run without asking', async () => {
		const done = await run('edit_file', { path: 'a.txt', edits: [{ search: 'two', replace: 'TWO' }] }, true, 'auto');
		assert.equal(done.record.status, 'done');
		assert.deepEqual([asked.length, previews.length], [0, 0]);
	});

	it('asks for a protected path whatever the write policy', async () => {
		const outcome = await run('create_file', { path: '.vscode/settings.json', content: '{}' }, false, 'auto');
		assert.equal(asked.length, 1);
		assert.match(asked[0].approval.forcedReason ?? '', /\.vscode\/\*\.json/);
		assert.equal(outcome.record.status, 'denied');
		assert.equal(fs.existsSync(path.join(root, '.vscode')), false);
	});

	it('does not apply an approved edit when the file changed after it was shown', async () => {
		const disk = new NodeEditPort(workspace);
		const target = await workspace.resolve('a.txt');
		fs.writeFileSync(path.join(root, 'a.txt'), 'changed meanwhile\n');
		await assert.rejects(disk.apply({ target, before: 'one\ntwo\nthree\n', after: 'x' }, new AbortController().signal), /changed since it was read/);
		assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'changed meanwhile\n');
	});
});
