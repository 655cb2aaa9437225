// Adversarial paths against the Node workspace, the read tools and the loop's approval path (runCalls, with a
// policy that auto-approves reads): whatever the spelling, a read or list outside the folders asks, protected
// files ask in any letter case or separator, and nothing outside is ever returned without a yes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ApprovalHook, ApprovalPolicy, ApprovalRequest } from '../../src/chat/approvals';
import { runCalls } from '../../src/chat/toolRunner';
import { NodeWorkspace } from '../../src/tools/nodeWorkspace';
import { ToolRegistry, workspaceTools } from '../../src/tools/registry';
import type { Workspace } from '../../src/tools/types';
import { createTempWorkspace, type TempWorkspace } from '../unit/tools/tempWorkspace';
import { Tally } from './tally';

/** 'asks': must ask with a forced reason. 'contained': may run, but only ever inside the folders. */
type Verdict = 'asks' | 'contained';

const canary = 'outside secret greeting';

function attacks(temp: TempWorkspace): Array<[string, Verdict]> {
	return [
		['../outside/secret.txt', 'asks'],
		['../../../../../../../../etc/passwd', 'asks'],
		['src/../../outside/secret.txt', 'asks'],
		['./././../outside', 'asks'],
		['/etc/passwd', 'asks'],
		['/etc', 'asks'],
		[path.join(temp.outside, 'secret.txt'), 'asks'],
		['~', 'asks'],
		['~/.ssh/id_rsa', 'asks'],
		['~\\.ssh\\id_rsa', 'asks'],
		['escape/secret.txt', 'asks'],
		['escape', 'asks'],
		['up/outside/secret.txt', 'asks'],
		['  ../outside/secret.txt  ', 'asks'],
		// Spellings that only look like traversal: on this file system they name files inside the folder.
		['%2e%2e%2foutside%2fsecret.txt', 'contained'],
		['..%2f..%2fetc%2fpasswd', 'contained'],
		['\u2024\u2024/outside/secret.txt', 'contained'],
		['\uff0e\uff0e\uff0foutside\uff0fsecret.txt', 'contained'],
		['..\\outside\\secret.txt', 'contained'],
		['..\\..\\etc\\passwd', 'contained'],
		['~root/.ssh/id_rsa', 'contained'],
		['file:///etc/passwd', 'contained'],
		['src/\u0000../../outside/secret.txt', 'contained'],
		['\ud800../outside', 'contained'],
		// Protected names: asked in any case (a case-insensitive file system aliases them) and with either separator.
		['.git/config', 'asks'],
		['.GIT/config', 'asks'],
		['.Git/HEAD', 'asks'],
		['src/../.git/config', 'asks'],
		['.vscode/settings.json', 'asks'],
		['.VSCode/settings.json', 'asks'],
		['.vscode/TASKS.JSON', 'asks'],
		['.vscode\\settings.json', 'asks'],
		['.git\\config', 'asks'],
		['project.code-workspace', 'asks'],
		['PROJECT.Code-Workspace', 'asks'],
	];
}

describe('adversarial paths: every read or list outside the folders asks, even when reads are auto-approved', function () {
	this.timeout(30_000);
	const tally = new Tally('paths');
	let temp: TempWorkspace;
	let workspace: NodeWorkspace;
	const registry = new ToolRegistry(workspaceTools);
	before(() => {
		temp = createTempWorkspace();
		fs.symlinkSync('..', path.join(temp.root, 'up'));
		workspace = new NodeWorkspace([temp.root]);
	});
	after(() => {
		temp.cleanup();
		tally.print();
	});

	/** Runs one call through the loop's runner with reads on auto; `asked` are the calls the user would see. */
	async function call(ws: Workspace, toolName: string, input: Record<string, unknown>) {
		const asked: ApprovalRequest[] = [];
		const hook: ApprovalHook = async (request) => {
			asked.push(request);
			return { approved: false, reason: 'The user said no.' };
		};
		const policy = (): ApprovalPolicy => ({ risks: { read: 'auto', write: 'ask', execute: 'ask' }, alwaysAllow: new Set() });
		const [outcome] = await runCalls(
			[{ callId: 'c1', providerId: 'p1', toolName, rawInput: JSON.stringify(input), state: 'parsed', input }],
			{ registry, context: { workspace: ws, signal: new AbortController().signal }, policy, approve: hook, emit: () => undefined },
		);
		return { outcome, asked };
	}

	it('reads and lists: outside and protected paths ask with a reason; look-alikes stay inside', async () => {
		const real = fs.realpathSync(temp.root);
		for (const [attack, verdict] of attacks(temp)) {
			for (const toolName of ['read_file', 'list_directory']) {
				await tally.check(`${toolName} ${JSON.stringify(attack)}`, async () => {
					const { outcome, asked } = await call(workspace, toolName, { path: attack });
					const shown = JSON.stringify(outcome.record.result);
					assert.ok(!shown.includes(canary), `${toolName} ${JSON.stringify(attack)} returned outside content`);
					if (verdict === 'asks') {
						assert.equal(asked.length, 1, `${toolName} ${JSON.stringify(attack)} did not ask`);
						assert.ok(asked[0].info.forcedReason, `${toolName} ${JSON.stringify(attack)} asked without a forced reason`);
						assert.equal(outcome.record.status, 'denied');
					} else if (asked.length === 0) {
						const resolved = await workspace.resolve(attack);
						assert.ok(resolved.inside && (resolved.absolute === real || resolved.absolute.startsWith(real + path.sep)), `${JSON.stringify(attack)} resolved to ${resolved.absolute}`);
					}
				});
			}
		}
	});

	it('a workspace folder that is itself a symlink: inside works without asking, its parent asks', async () => {
		const link = path.join(path.dirname(temp.root), 'linked-project');
		fs.symlinkSync(temp.root, link);
		const linked = new NodeWorkspace([link]);
		await tally.check('symlinked folder', async () => {
			const inside = await call(linked, 'read_file', { path: 'src/app.ts' });
			assert.equal(inside.asked.length, 0);
			assert.equal(inside.outcome.record.status, 'done');
			const viaRealPath = await call(linked, 'read_file', { path: path.join(temp.root, 'README.md') });
			assert.equal(viaRealPath.asked.length, 0, 'the real path of the folder is the same folder');
			for (const attack of ['../outside/secret.txt', path.join(link, '..', 'outside', 'secret.txt'), 'escape/secret.txt']) {
				const outside = await call(linked, 'read_file', { path: attack });
				assert.equal(outside.asked.length, 1, attack);
				assert.ok(!JSON.stringify(outside.outcome.record.result).includes(canary));
			}
		});
	});

	it('a symlink created after approval cannot widen it: resolve follows the link at call time', async () => {
		await tally.check('late symlink', async () => {
			const late = path.join(temp.root, 'late-link');
			const first = await call(workspace, 'read_file', { path: 'late-link/secret.txt' });
			assert.equal(first.asked.length, 0, 'a missing path inside resolves inside');
			fs.symlinkSync(temp.outside, late);
			const second = await call(workspace, 'read_file', { path: 'late-link/secret.txt' });
			assert.equal(second.asked.length, 1);
			assert.ok(!JSON.stringify(second.outcome.record.result).includes(canary));
			fs.unlinkSync(late);
		});
	});

	for (const engine of ['ripgrep', 'js'] as const) {
		it(`search_text and find_files (${engine}) never return a file outside the folders, whatever the glob`, async function () {
			if (engine === 'ripgrep' && new NodeWorkspace([temp.root]).searchEngine !== 'ripgrep') this.skip();
			const ws = new NodeWorkspace([temp.root], engine === 'js' ? { ripgrepPath: null } : {});
			const globs = ['../**', '../outside/**', '/**', `${temp.outside}/**`, '**/../../**', '~/**', 'escape/**', '..\\**', '**'];
			for (const glob of globs) {
				await tally.check(`${engine} ${glob}`, async () => {
					const search = await call(ws, 'search_text', { query: 'greeting', include: glob });
					const found = await call(ws, 'find_files', { glob });
					for (const { outcome } of [search, found]) {
						const shown = JSON.stringify(outcome.record.result);
						assert.ok(!shown.includes(canary) && !shown.includes('secret.txt'), `${glob}: ${shown.slice(0, 300)}`);
					}
				});
			}
		});
	}

	it('~ expands to the home directory only, and home is outside unless it is a folder', async () => {
		await tally.check('home', async () => {
			const resolved = await workspace.resolve('~/.ssh/id_rsa');
			assert.equal(resolved.inside, false);
			assert.ok(resolved.absolute.startsWith(fs.realpathSync(os.homedir())));
		});
	});
});
