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

	it('splits comma lists outside braces only', () => {
		assert.deepEqual(splitGlobs('src/**, *.{js,ts} ,'), ['src/**', '*.{js,ts}']);
	});
});
