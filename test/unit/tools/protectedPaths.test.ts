import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ProtectedPaths } from '../../../src/tools/protectedPaths';
import { ToolError } from '../../../src/tools/types';

const repo = path.resolve(__dirname, '../../..');

describe('ProtectedPaths', () => {
	it('matches names, folders and wildcard defaults, and user patterns', () => {
		const paths = new ProtectedPaths({ extra: ['secrets/*.key'] });
		assert.equal(paths.match('deep/package.json')?.pattern, 'package.json');
		assert.equal(paths.match('.github/workflows/ci.yml')?.pattern, '.github/workflows');
		assert.equal(paths.match('a/b.code-workspace')?.kind, 'code-workspace');
		assert.equal(paths.match('.env.local')?.pattern, '.env.*');
		assert.equal(paths.match('secrets/a.key')?.pattern, 'secrets/*.key');
		assert.equal(paths.match('src/app.ts'), undefined);
	});

	it('reports a user pattern it cannot use when it is given, not at the first write', () => {
		assert.throws(() => new ProtectedPaths({ extra: [`${'*'.repeat(1001)}`] }), ToolError);
	});

	// The extension builds the list while it activates: loading the RE2 engine there cost ~100 ms.
	it('builds the default list without loading the RE2 engine; the first match loads it', () => {
		const script = `
			const { ProtectedPaths } = require('./src/tools/protectedPaths');
			const loaded = () => Object.keys(require.cache).some((file) => file.includes('re2js'));
			const paths = new ProtectedPaths();
			const before = loaded();
			paths.match('x.code-workspace');
			process.stdout.write(JSON.stringify({ before, after: loaded() }));`;
		const out = execFileSync(process.execPath, ['-r', './test/support/register.cjs', '-e', script], { cwd: repo, encoding: 'utf8' });
		assert.deepEqual(JSON.parse(out), { before: false, after: true });
	});
});
