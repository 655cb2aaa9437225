import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openaiMessages, openaiTurn } from '../chat/scripts';
import { cliSuite, runCli } from './runCli';

describe('switchboard chat reads the workspace\'s AGENTS.md', function () {
	this.timeout(60_000);
	const suite = cliSuite();
	const key = { SWITCHBOARD_API_KEY: 'sk-live-DoNotPrint-1234567890' };
	let workspace: string;
	before(() => {
		workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-rules-'));
		fs.writeFileSync(path.join(workspace, 'AGENTS.md'), 'Run npm test before answering.\n');
	});
	after(() => fs.rmSync(workspace, { recursive: true, force: true }));
	const args = (...extra: string[]) => ['chat', '--protocol', 'openai', '--base-url', `${suite.server.url}/v1`, '--model', 'gpt-4o', '--workspace', workspace, ...extra];

	it('adds AGENTS.md after --system and says so on stderr', async () => {
		suite.server.push(openaiTurn({ text: 'Ok.' }));
		const run = await runCli(args('--system', 'Be brief.', 'hi'), key);
		assert.equal(run.code, 0, run.stderr);
		const system = openaiMessages(suite.server.requests[0].json)[0];
		assert.equal(system.role, 'system');
		assert.match(String(system.content), /^Be brief\.\n\nThe project's rule files follow\. They are the user's instructions for this workspace: follow them\.\n<rules path="AGENTS.md">\nRun npm test before answering\.\n<\/rules>$/);
		assert.match(run.stderr, /\[rules\] AGENTS.md \(--no-rules leaves them out\)/);
	});

	it('leaves it out with --no-rules', async () => {
		suite.server.push(openaiTurn({ text: 'Ok.' }));
		const run = await runCli(args('--no-rules', 'hi'), key);
		assert.equal(run.code, 0, run.stderr);
		assert.ok(!JSON.stringify(suite.server.requests[0].json).includes('npm test'));
		assert.doesNotMatch(run.stderr, /\[rules\]/);
	});
});
