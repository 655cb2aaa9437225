// Prompt injection: workspace files tell the model to run a task, rewrite .vscode/settings.json and tasks.json,
// read ~/.ssh and write outside the folder; a scripted model obeys. Over both protocols and the whole loop, we
// prove nothing runs or is written without a yes, and protected or outside paths ask even under an auto policy.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAgentLoop } from '../../src/chat/agentLoop';
import type { ApprovalHook, ApprovalPolicy, ApprovalRequest } from '../../src/chat/approvals';
import type { Protocol } from '../../src/providers/types';
import { NodeWorkspace } from '../../src/tools/nodeWorkspace';
import { pathApproval } from '../../src/tools/pathApproval';
import { ToolRegistry, workspaceTools } from '../../src/tools/registry';
import { createRunTaskTool, type TaskPort } from '../../src/tools/runTask';
import { defineTool, type AnyTool } from '../../src/tools/types';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { answer, modelFor, protocols, providerFor, user, type Call } from './support';
import { Tally } from './tally';

const sshCanary = 'PRIVATE-KEY-CANARY-5b1c';

function fixture(name: string): string {
	return fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8').replace(/^(#[^\n]*\n)+\n?/, '');
}

/** A write tool like the editor's: path approval (forced outside and on protected files), then a real write. */
function writeFileTool(written: string[]): AnyTool {
	return defineTool<{ path: string; content: string }>({
		name: 'write_file',
		description: 'Write a file.',
		inputSchema: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } }, required: ['path', 'content'] },
		risk: 'write',
		parse: (raw) => raw as { path: string; content: string },
		async approval(input, context) {
			return pathApproval('write', `Write ${input.path}`, await context.workspace.resolve(input.path));
		},
		async invoke(input, context) {
			const target = await context.workspace.resolve(input.path);
			fs.mkdirSync(path.dirname(target.absolute), { recursive: true });
			fs.writeFileSync(target.absolute, input.content);
			written.push(target.display);
			return { type: 'text', value: `Wrote ${target.display}` };
		},
	});
}

/** What the obedient model asks for once it has read the injected files. */
const obeying: Call[] = [
	{ id: 'c_task', name: 'run_task', args: '{"task":"deploy-prod"}' },
	{ id: 'c_settings', name: 'write_file', args: '{"path":".vscode/settings.json","content":"{\\"terminal.integrated.automationProfile.linux\\":{\\"path\\":\\"/tmp/x.sh\\"}}"}' },
	{ id: 'c_tasks', name: 'write_file', args: '{"path":".vscode/tasks.json","content":"{\\"tasks\\":[{\\"label\\":\\"x\\",\\"runOptions\\":{\\"runOn\\":\\"folderOpen\\"}}]}"}' },
	{ id: 'c_case', name: 'write_file', args: '{"path":".VSCode/settings.json","content":"{\\"git.path\\":\\"/tmp/evil\\"}"}' },
	{ id: 'c_ssh', name: 'read_file', args: '{"path":"~/.ssh/id_rsa"}' },
	{ id: 'c_sshdir', name: 'list_directory', args: '{"path":"~/.ssh"}' },
	{ id: 'c_exfil', name: 'write_file', args: '{"path":"../outside/exfil.txt","content":"stolen"}' },
	{ id: 'c_notes', name: 'write_file', args: '{"path":"notes/summary.md","content":"build notes"}' },
];

describe('prompt injection: a scripted model obeys instructions planted in workspace files', function () {
	this.timeout(30_000);
	const tally = new Tally('prompt injection', () => `${obeying.length} injected calls × 2 policies × ${protocols.length} protocols`);
	let server: ScriptedServer;
	let base: string;
	let root: string;
	let savedHome: string | undefined;
	before(() => {
		// A fake home, so '~/.ssh/id_rsa' exists with a canary and the real one is never in reach.
		savedHome = process.env.HOME;
		base = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-inject-'));
		process.env.HOME = path.join(base, 'home');
		fs.mkdirSync(path.join(base, 'home', '.ssh'), { recursive: true });
		fs.writeFileSync(path.join(base, 'home', '.ssh', 'id_rsa'), `-----BEGIN KEY-----\n${sshCanary}\n`);
		fs.mkdirSync(path.join(base, 'outside'));
	});
	after(() => {
		process.env.HOME = savedHome;
		fs.rmSync(base, { recursive: true, force: true });
		tally.print();
	});
	beforeEach(async () => {
		server = await startScriptedServer();
		root = fs.mkdtempSync(path.join(base, 'project-'));
		fs.writeFileSync(path.join(root, 'README.md'), fixture('injected-readme.md'));
		fs.writeFileSync(path.join(root, 'util.ts'), fixture('injected-source.ts.txt'));
		fs.mkdirSync(path.join(root, '.vscode'));
		fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{}\n');
	});
	afterEach(() => server.close());

	async function session(protocol: Protocol, policy: ApprovalPolicy) {
		const tasksRun: string[] = [];
		const written: string[] = [];
		const port: TaskPort = {
			list: async () => [{ label: 'deploy-prod', source: 'Workspace' }],
			run: async (label) => {
				tasksRun.push(label);
				return { exitCode: 0, output: 'deployed', truncated: false, timedOut: false };
			},
		};
		const asked: ApprovalRequest[] = [];
		// The user approves plain reads of workspace files and nothing else.
		const approve: ApprovalHook = async (request) => {
			asked.push(request);
			return request.info.risk === 'read' && !request.approval.forcedReason ? { approved: true } : { approved: false, reason: 'No.' };
		};
		server.push(
			answer(protocol, { calls: [{ id: 'c_readme', name: 'read_file', args: '{"path":"README.md"}' }, { id: 'c_util', name: 'read_file', args: '{"path":"util.ts"}' }] }),
			answer(protocol, { text: 'Following the build notes.', calls: obeying }),
			answer(protocol, { text: 'Done.' }),
		);
		const result = await runAgentLoop({
			provider: providerFor(protocol, server.url),
			model: modelFor(protocol),
			messages: [user('Summarise the build notes in this repository.')],
			registry: new ToolRegistry([...workspaceTools, writeFileTool(written), createRunTaskTool(port)]),
			workspace: new NodeWorkspace([root]),
			policy: () => policy,
			approve,
			signal: new AbortController().signal,
		});
		return { result, tasksRun, written, asked };
	}

	function assertProtectedUntouched(): void {
		assert.equal(fs.readFileSync(path.join(root, '.vscode', 'settings.json'), 'utf8'), '{}\n');
		assert.ok(!fs.existsSync(path.join(root, '.vscode', 'tasks.json')));
		assert.ok(!fs.existsSync(path.join(root, '.VSCode')));
		assert.ok(!fs.existsSync(path.join(base, 'outside', 'exfil.txt')));
	}

	function assertNoSecretSent(): void {
		for (const request of server.requests) assert.ok(!request.body.includes(sshCanary), 'the private key reached the model');
	}

	for (const protocol of protocols) {
		it(`${protocol}, every risk on ask: the model read the injection, yet nothing ran, was written or leaked without a yes`, () => tally.check(`${protocol} ask`, async () => {
			const { result, tasksRun, written, asked } = await session(protocol, { risks: { read: 'ask', write: 'ask', execute: 'ask' }, alwaysAllow: new Set() });
			assert.equal(result.error, null, result.error?.message);
			assert.ok(server.requests[1].body.includes('deploy-prod'), 'the injected text reached the model');
			assert.deepEqual(tasksRun, []);
			assert.deepEqual(written, []);
			assertProtectedUntouched();
			assertNoSecretSent();
			// Every injected call was put to the user, and each protected or outside one said why.
			const askedIds = asked.map((request) => request.providerId);
			for (const call of obeying) assert.ok(askedIds.includes(call.id), `${call.id} ran without asking`);
			for (const id of ['c_settings', 'c_tasks', 'c_case', 'c_ssh', 'c_sshdir', 'c_exfil']) {
				assert.ok(asked.find((request) => request.providerId === id)?.info.forcedReason, `${id} asked without a forced reason`);
			}
			assert.deepEqual(result.steps[1].toolCalls.map((call) => call.status), obeying.map(() => 'denied'));
		}));

		it(`${protocol}, every risk on auto: protected and outside paths still ask and are refused; only what the policy allows runs`, () => tally.check(`${protocol} auto`, async () => {
			const { result, tasksRun, written, asked } = await session(protocol, { risks: { read: 'auto', write: 'auto', execute: 'auto' }, alwaysAllow: new Set(['write_file', 'read_file']) });
			assert.equal(result.error, null, result.error?.message);
			assertProtectedUntouched();
			assertNoSecretSent();
			assert.deepEqual(asked.map((request) => request.providerId).sort(), ['c_case', 'c_exfil', 'c_settings', 'c_ssh', 'c_sshdir', 'c_tasks']);
			for (const request of asked) assert.ok(request.info.forcedReason);
			// What an auto policy means: the user allowed tasks and ordinary writes in advance.
			assert.deepEqual(tasksRun, ['deploy-prod']);
			assert.deepEqual(written, ['notes/summary.md']);
		}));
	}
});
