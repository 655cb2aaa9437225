import * as assert from 'node:assert/strict';
import { compileGlob, splitGlobs } from '../../../src/tools/glob';

describe('compileGlob', () => {
	it('matches a slash-free glob against the file name at any depth', () => {
		const match = compileGlob('*.ts');
		assert.ok(match('a.ts') && match('src/deep/b.ts'));
		assert.ok(!match('a.tsx'));
	});

	it('anchors a glob with a slash at the folder root, ** spanning directories', () => {
		const match = compileGlob('src/**/*.ts');
		assert.ok(match('src/a.ts') && match('src/x/y/a.ts'));
		assert.ok(!match('lib/src/a.ts'));
		assert.ok(compileGlob('src/*')('src/a') && !compileGlob('src/*')('src/a/b'));
	});

	it('supports ?, character classes and brace alternatives', () => {
		assert.ok(compileGlob('file?.{js,ts}')('file1.ts'));
		assert.ok(!compileGlob('file?.{js,ts}')('file10.ts'));
		assert.ok(compileGlob('[ab].md')('b.md') && !compileGlob('[ab].md')('c.md'));
		assert.ok(compileGlob('a.(b)+')('a.(b)+'));
	});

	it('matches a glob without wildcards exactly, as its compiled form would', () => {
		for (const [glob, path, expected] of [
			['package.json', 'package.json', true],
			['package.json', 'deep/dir/package.json', true],
			['package.json', 'package.jsonx', false],
			['package.json', 'package-json', false],
			['.github/workflows', '.github/workflows', true],
			['.github/workflows', 'x/.github/workflows', false],
			['./a+b (1).txt', 'a+b (1).txt', true],
			['/root.txt', 'root.txt', true],
		] as const) assert.equal(compileGlob(glob)(path), expected, `${glob} on ${path}`);
	});

	it('splits comma lists outside braces only', () => {
		assert.deepEqual(splitGlobs('src/**, *.{js,ts} ,'), ['src/**', '*.{js,ts}']);
	});
});
