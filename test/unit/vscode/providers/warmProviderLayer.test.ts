// The provider layer (both SDKs) loads a moment after a chat panel opens, while the user types: not at activation,
// and not on the way from the first prompt to its first token.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../../..');

describe('warmProviderLayer', () => {
	it('loads the provider SDKs once its delay has passed, not before', () => {
		// A fresh process: the other tests of this run load the SDKs themselves.
		const script = `
			require('./bench/lib/vscodeShim').installVscodeShim();
			const { warmProviderLayer } = require('./src/vscode/providers/chatProviderSetup');
			const loaded = () => Object.keys(require.cache).some((file) => file.includes('@anthropic-ai') && file.includes('sdk'));
			const atStart = loaded();
			warmProviderLayer(50);
			warmProviderLayer(50);
			const atCall = loaded();
			setTimeout(() => process.stdout.write(JSON.stringify({ atStart, atCall, after: loaded() })), 1000);`;
		const out = execFileSync(process.execPath, ['-r', './test/support/register.cjs', '-e', script], { cwd: repo, encoding: 'utf8' });
		assert.deepEqual(JSON.parse(out), { atStart: false, atCall: false, after: true });
	});
});
