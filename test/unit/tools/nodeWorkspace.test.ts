import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeWorkspace, protectedReasonFor } from '../../../src/tools/nodeWorkspace';
import { findRipgrepOnPath } from '../../../src/tools/ripgrep';
import { ToolError } from '../../../src/tools/types';
import { createTempWorkspace, type TempWorkspace } from './tempWorkspace';

const signal = new AbortController().signal;
const rgPath = findRipgrepOnPath();

describe('NodeWorkspace paths', () => {
	let temp: TempWorkspace;
	let workspace: NodeWorkspace;
	before(() => {
		temp = createTempWorkspace();
		workspace = new NodeWorkspace([temp.root], { ripgrepPath: null });
	});
	after(() => temp.cleanup());

	it('resolves a relative path inside the folder with a /-separated display path', async () => {
		const resolved = await workspace.resolve('src/util/math.ts');
		assert.equal(resolved.inside, true);
		assert.equal(resolved.display, 'src/util/math.ts');
		assert.equal(resolved.absolute, path.join(fs.realpathSync(temp.root), 'src', 'util', 'math.ts'));
	});

	it('treats .. that leaves the folder as outside', async () => {
		const resolved = await workspace.resolve('../outside/secret.txt');
		assert.equal(resolved.inside, false);
		assert.equal(resolved.display, path.join(fs.realpathSync(temp.outside), 'secret.txt'));
	});

	it('treats an absolute path outside as outside and one inside as inside', async () => {
		assert.equal((await workspace.resolve('/etc/passwd')).inside, false);
		assert.equal((await workspace.resolve(path.join(temp.root, 'README.md'))).inside, true);
	});

	it('expands ~ to the home directory, which is outside the workspace', async () => {
		const resolved = await workspace.resolve('~/.ssh/id_rsa');
		assert.equal(resolved.inside, false);
		assert.ok(resolved.absolute.endsWith(path.join('.ssh', 'id_rsa')));
	});

	it('treats a symlink whose real path leaves the folder as outside, also for files below it', async () => {
		assert.equal((await workspace.resolve('escape')).inside, false);
		const below = await workspace.resolve('escape/secret.txt');
		assert.equal(below.inside, false);
		assert.equal(below.absolute, path.join(fs.realpathSync(temp.outside), 'secret.txt'));
	});

	it('keeps a symlink that stays inside the folder inside', async () => {
		const resolved = await workspace.resolve('inner-link/math.ts');
		assert.equal(resolved.inside, true);
		assert.equal(resolved.display, 'src/util/math.ts');
	});

	it('resolves a path that does not exist yet against its existing parent', async () => {
		const resolved = await workspace.resolve('escape/new-file.txt');
		assert.equal(resolved.inside, false);
		assert.equal((await workspace.resolve('src/new/file.ts')).inside, true);
	});

	it('marks .git/, .vscode/*.json and *.code-workspace as protected', async () => {
		assert.match((await workspace.resolve('.git/config')).protectedReason ?? '', /\.git\//);
		assert.match((await workspace.resolve('.vscode/settings.json')).protectedReason ?? '', /\.vscode/);
		assert.match((await workspace.resolve('project.code-workspace')).protectedReason ?? '', /code-workspace/);
		assert.equal((await workspace.resolve('src/app.ts')).protectedReason, undefined);
		assert.equal(protectedReasonFor('docs/.vscode-notes.json'), undefined);
	});

	it('picks the folder by name in a multi-root workspace', async () => {
		const multi = new NodeWorkspace([temp.root, temp.outside], { ripgrepPath: null });
		const resolved = await multi.resolve('outside/secret.txt');
		assert.equal(resolved.inside, true);
		assert.equal(resolved.display, 'outside/secret.txt');
	});
});

describe('NodeWorkspace reading', () => {
	let temp: TempWorkspace;
	let workspace: NodeWorkspace;
	before(() => {
		temp = createTempWorkspace();
		workspace = new NodeWorkspace([temp.root], { ripgrepPath: null });
	});
	after(() => temp.cleanup());

	it('reads a text file whole when it fits', async () => {
		const read = await workspace.readText(await workspace.resolve('src/util/math.ts'), 100_000, signal);
		assert.equal(read.truncated, false);
		assert.match(read.text, /export function add/);
	});

	it('refuses a binary file with ToolError(binary)', async () => {
		await assert.rejects(workspace.readText(await workspace.resolve('image.bin'), 100_000, signal), (error: unknown) => {
			return error instanceof ToolError && error.reason === 'binary' && /binary file/.test(error.message);
		});
	});

	it('reports a missing file as not-found naming the path', async () => {
		await assert.rejects(workspace.readText(await workspace.resolve('src/nope.ts'), 100, signal), /src\/nope\.ts does not exist/);
	});

	it('reads only the cap of a huge file, never the whole of it', async () => {
		const big = path.join(temp.root, 'huge.txt');
		fs.writeFileSync(big, 'line of text\n'.repeat(1000));
		fs.truncateSync(big, 512 * 1024 * 1024); // sparse: 512 MB on paper, instant to create
		const before = process.memoryUsage().arrayBuffers;
		const read = await workspace.readText(await workspace.resolve('huge.txt'), 100_000, signal);
		const grown = process.memoryUsage().arrayBuffers - before;
		assert.equal(read.truncated, true);
		assert.equal(read.size, 512 * 1024 * 1024);
		assert.ok(read.text.length <= 100_000);
		assert.ok(grown < 16 * 1024 * 1024, `read allocated ${grown} bytes`);
	});

	it('does not split a multi-byte character at the cap', async () => {
		fs.writeFileSync(path.join(temp.root, 'wide.txt'), '北'.repeat(100));
		const read = await workspace.readText(await workspace.resolve('wide.txt'), 10, signal);
		assert.equal(read.text, '北北北');
	});

	it('lists a directory with folders first', async () => {
		const entries = await workspace.listDirectory(await workspace.resolve('src'), signal);
		assert.deepEqual(entries, [{ name: 'util', type: 'directory' }, { name: 'app.ts', type: 'file' }]);
	});
});

for (const engine of ['ripgrep', 'js'] as const) {
	describe(`NodeWorkspace search (${engine})`, function () {
		let temp: TempWorkspace;
		let workspace: NodeWorkspace;
		before(function () {
			if (engine === 'ripgrep' && !rgPath) this.skip();
			temp = createTempWorkspace();
			workspace = new NodeWorkspace([temp.root], { ripgrepPath: engine === 'ripgrep' ? rgPath : null });
			assert.equal(workspace.searchEngine, engine);
		});
		after(() => temp?.cleanup());

		const search = (query: string, extra: Partial<import('../../../src/tools/types').SearchOptions> = {}) =>
			workspace.searchText({ query, isRegex: false, caseSensitive: false, maxResults: 50, ...extra }, signal);

		it('finds a literal with file and line, skipping .git and node_modules and outside symlinks', async () => {
			const { matches } = await search('greeting');
			const files = matches.map((m) => m.path);
			assert.ok(files.includes('src/app.ts'));
			assert.ok(files.includes('docs/guide.md'));
			assert.ok(!files.some((f) => f.startsWith('.git') || f.startsWith('node_modules') || f.startsWith('escape')), files.join(','));
			const hit = matches.find((m) => m.path === 'src/app.ts' && m.text.includes('export const greeting'));
			assert.equal(hit?.line, 10);
		});

		if (engine === 'ripgrep') {
			it('respects .gitignore', async () => {
				const files = (await search('greeting')).matches.map((m) => m.path);
				assert.ok(!files.includes('build/out.js') && !files.includes('debug.log'), files.join(','));
			});
		}

		it('treats the query literally unless isRegex, and honours caseSensitive', async () => {
			assert.equal((await search('add(2, 3)')).matches.length, 1);
			assert.equal((await search('add\\(\\d', { isRegex: true })).matches.length, 1);
			assert.equal((await search('HELLO', { caseSensitive: true })).matches.length, 0);
			assert.equal((await search('HELLO')).matches.length, 1);
		});

		it('applies include and exclude globs', async () => {
			const included = (await search('greeting', { include: '*.md' })).matches.map((m) => m.path);
			assert.deepEqual([...new Set(included)], ['docs/guide.md']);
			const excluded = (await search('greeting', { exclude: 'src/**' })).matches.map((m) => m.path);
			assert.ok(!excluded.some((f) => f.startsWith('src/')));
		});

		it('caps the results and says the limit was hit', async () => {
			const { matches, limitHit } = await search('a', { maxResults: 2 });
			assert.equal(matches.length, 2);
			assert.equal(limitHit, true);
		});

		it('reports an invalid regex as an error the model can act on', async () => {
			await assert.rejects(search('(unclosed', { isRegex: true }), (error: unknown) => error instanceof ToolError && /regex|unclosed|group/i.test(error.message));
		});

		it('finds files by glob', async () => {
			assert.deepEqual((await workspace.findFiles('**/*.ts', 10, signal)).sort(), ['src/app.ts', 'src/util/math.ts']);
			assert.deepEqual(await workspace.findFiles('src/util/*', 10, signal), ['src/util/math.ts']);
			assert.deepEqual(await workspace.findFiles('package.json', 10, signal), ['package.json']);
		});
	});
}
