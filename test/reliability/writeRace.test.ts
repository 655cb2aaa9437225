// A folder swapped for a symlink between the check of a write and the write itself (TOCTOU): the call was
// checked as inside the workspace, so it must write there or nowhere. The swap is made at the exact moment
// through a Workspace that wraps the real one; the write tools and the CLI's EditPort are the real ones.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ApprovalHook, ApprovalPolicy } from '../../src/chat/approvals';
import { runCalls } from '../../src/chat/toolRunner';
import { createCreateFileTool } from '../../src/tools/createFile';
import { createEditFileTool } from '../../src/tools/editFile';
import { NodeEditPort } from '../../src/tools/nodeEditPort';
import { NodeWorkspace } from '../../src/tools/nodeWorkspace';
import { ToolRegistry } from '../../src/tools/registry';
import type { ReadResult, ResolvedPath, Workspace } from '../../src/tools/types';
import { Tally } from './tally';

/** The real workspace, with `swap()` run once, right after the read that apply() makes before writing. */
class SwappingWorkspace implements Workspace {
	private reads = 0;
	constructor(private readonly inner: NodeWorkspace, private readonly swapAtRead: number, private readonly swap: () => void) {}
	get folders(): readonly string[] {
		return this.inner.folders;
	}
	resolve(input: string): Promise<ResolvedPath> {
		return this.inner.resolve(input);
	}
	async readText(target: ResolvedPath, maxBytes: number, signal: AbortSignal): Promise<ReadResult> {
		try {
			return await this.inner.readText(target, maxBytes, signal);
		} finally {
			if (++this.reads === this.swapAtRead) this.swap();
		}
	}
	listDirectory: Workspace['listDirectory'] = (target, signal) => this.inner.listDirectory(target, signal);
	findFiles: Workspace['findFiles'] = (glob, max, signal) => this.inner.findFiles(glob, max, signal);
	searchText: Workspace['searchText'] = (options, signal) => this.inner.searchText(options, signal);
}

describe('write race: a parent swapped for a symlink after the check is never written through', function () {
	this.timeout(30_000);
	const tally = new Tally('write race');
	let base: string;
	let root: string;
	let outside: string;
	beforeEach(() => {
		base = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-race-'));
		root = path.join(base, 'repo');
		outside = path.join(base, 'outside');
		fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
		fs.mkdirSync(outside);
		fs.writeFileSync(path.join(root, 'sub', 'a.txt'), 'same text\n');
		// The attacker's copy outside holds the same text, so the edit's own "changed since read" check passes.
		fs.writeFileSync(path.join(outside, 'a.txt'), 'same text\n');
	});
	afterEach(() => fs.rmSync(base, { recursive: true, force: true }));
	after(() => tally.print());

	const swap = (): void => {
		fs.renameSync(path.join(root, 'sub'), path.join(root, 'sub-moved'));
		fs.symlinkSync(outside, path.join(root, 'sub'));
	};

	async function run(toolName: string, input: Record<string, unknown>) {
		// Reads: approval's proposal, invoke's proposal, then apply's check; the swap follows the last one.
		const workspace = new SwappingWorkspace(new NodeWorkspace([root], { ripgrepPath: null }), 3, swap);
		const port = new NodeEditPort(workspace);
		const registry = new ToolRegistry([createEditFileTool(port), createCreateFileTool(port)]);
		const policy = (): ApprovalPolicy => ({ risks: { read: 'auto', write: 'auto', execute: 'auto' }, alwaysAllow: new Set() });
		const approve: ApprovalHook = async () => ({ approved: false });
		const [outcome] = await runCalls(
			[{ callId: 'c1', providerId: 'p1', toolName, rawInput: JSON.stringify(input), state: 'parsed', input }],
			{ registry, context: { workspace, signal: new AbortController().signal }, policy, approve, emit: () => undefined },
		);
		return outcome.record;
	}

	it('create_file into the swapped folder: refused, nothing created outside', async () => {
		await tally.check('create_file race', async () => {
			const record = await run('create_file', { path: 'sub/new.sh', content: 'echo pwned\n' });
			assert.deepEqual(fs.readdirSync(outside).sort(), ['a.txt'], `a file was created outside: ${JSON.stringify(record.result)}`);
			assert.equal(record.status, 'error');
			assert.match(JSON.stringify(record.result), /folder on its path changed/);
		});
	});

	it('edit_file of a file in the swapped folder: refused, the outside file untouched', async () => {
		await tally.check('edit_file race', async () => {
			const record = await run('edit_file', { path: 'sub/a.txt', edits: [{ search: 'same', replace: 'changed' }] });
			assert.equal(fs.readFileSync(path.join(outside, 'a.txt'), 'utf8'), 'same text\n', `the outside file was written: ${JSON.stringify(record.result)}`);
			assert.equal(record.status, 'error');
		});
	});

	it('create_file in a new folder under the swapped one: refused, nothing made outside', async () => {
		await tally.check('create_file new folder race', async () => {
			const record = await run('create_file', { path: 'sub/deep/er/x.txt', content: 'x\n' });
			assert.deepEqual(fs.readdirSync(outside).sort(), ['a.txt']);
			assert.equal(record.status, 'error');
		});
	});
});
