import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ToolOutput } from '../../../src/shared/chat';
import { NodeWorkspace } from '../../../src/tools/nodeWorkspace';
import { ToolRegistry, workspaceTools } from '../../../src/tools/registry';
import type { AnyTool, ToolContext } from '../../../src/tools/types';
import { createTempWorkspace, type TempWorkspace } from './tempWorkspace';

describe('workspace tools', () => {
	let temp: TempWorkspace;
	let context: ToolContext;
	const registry = new ToolRegistry(workspaceTools);
	const tool = (name: string): AnyTool => registry.get(name) as AnyTool;
	const text = (output: ToolOutput): string => {
		assert.ok(output.type === 'text' || output.type === 'error-text', `unexpected ${output.type}`);
		return output.value as string;
	};
	before(() => {
		temp = createTempWorkspace();
		context = { workspace: new NodeWorkspace([temp.root]), signal: new AbortController().signal };
	});
	after(() => temp.cleanup());

	it('registers the four read tools under their model-facing names with object schemas', () => {
		assert.deepEqual(registry.specs().map((s) => s.name), ['read_file', 'search_text', 'find_files', 'list_directory']);
		for (const spec of registry.specs()) assert.equal(spec.inputSchema.type, 'object');
		for (const t of registry.list()) assert.equal(t.risk, 'read');
		assert.throws(() => registry.register(workspaceTools[0]), /Two tools are named 'read_file'/);
	});

	it('read_file summarizes the line range and returns just those lines', async () => {
		const input = { path: 'src/app.ts', startLine: 4, endLine: 5 };
		const approval = await tool('read_file').approval(input, context);
		assert.deepEqual(approval, { risk: 'read', summary: 'Read src/app.ts lines 4–5', summaryPhrase: { key: 'readLines', args: ['src/app.ts', 4, 5] } });
		assert.equal(text(await tool('read_file').invoke(input, context)), 'export function main(): number {\n\tconst total = add(2, 3);');
	});

	it('read_file forces an ask for a path outside the workspace or a protected one', async () => {
		const outside = await tool('read_file').approval({ path: '../outside/secret.txt' }, context);
		assert.match(outside.forcedReason ?? '', /outside the workspace folders/);
		const symlinked = await tool('read_file').approval({ path: 'escape/secret.txt' }, context);
		assert.match(symlinked.forcedReason ?? '', /outside the workspace folders/);
		const git = await tool('read_file').approval({ path: '.git/config' }, context);
		assert.match(git.forcedReason ?? '', /inside \.git\//);
		const fine = await tool('list_directory').approval({ path: 'src' }, context);
		assert.equal(fine.forcedReason, undefined);
	});

	it('read_file caps a large file at 100 KB and says how to read further', async () => {
		fs.writeFileSync(path.join(temp.root, 'large.txt'), 'x'.repeat(300_000));
		const value = text(await tool('read_file').invoke({ path: 'large.txt' }, context));
		assert.ok(value.startsWith('x'.repeat(100_000)));
		assert.match(value, /\[Truncated: showing the first 100000 bytes of 300000\. Pass startLine\/endLine to read further\.\]$/);
	});

	it('read_file refuses a binary file with a message (the runner turns it into an error result)', async () => {
		await assert.rejects(tool('read_file').invoke({ path: 'image.bin' }, context), /image\.bin is a binary file/);
	});

	it('read_file says when startLine is past the end', async () => {
		const output = await tool('read_file').invoke({ path: 'src/util/math.ts', startLine: 500 }, context);
		assert.equal(output.type, 'error-text');
		assert.match(text(output), /startLine 500 is past the end of src\/util\/math\.ts \(9 lines\)/);
	});

	it('search_text returns file:line: text lines', async () => {
		const value = text(await tool('search_text').invoke({ query: 'multiply', include: 'src/**' }, context));
		assert.deepEqual(value.split('\n').sort(), [
			'src/app.ts:2: import { add, multiply } from \'./util/math\';',
			'src/app.ts:6: \treturn multiply(total, 4);',
			'src/util/math.ts:6: export function multiply(a: number, b: number): number {',
		]);
		assert.match(text(await tool('search_text').invoke({ query: 'zebra' }, context)), /No matches for "zebra"/);
	});

	it('find_files notes when the list was cut at maxResults', async () => {
		const value = text(await tool('find_files').invoke({ glob: '**/*.ts', maxResults: 1 }, context));
		assert.match(value, /^src\/[\w/]+\.ts\n\[Stopped at 1 files; use a narrower glob\.\]$/);
	});

	it('list_directory marks folders with a trailing slash', async () => {
		assert.equal(text(await tool('list_directory').invoke({ path: 'src' }, context)), 'util/\napp.ts');
	});
});
