// Inputs a model or a repository chooses that used to hang the engine, through the CLI binary with a scripted
// model on loopback: a glob that makes a backtracking regex explode (find_files), a backtracking-prone regex in the
// JavaScript search fallback (no ripgrep on PATH), and a read_file path of 80,000 segments. Each run has a deadline:
// a hang is killed and fails its check, and Ctrl+C (SIGINT) while such a call runs ends the process.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Protocol } from '../../src/providers/types';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { buildCli, parseJson, runCli, type CliRun } from '../unit/cli/runCli';
import { answer, protocols } from './support';
import { Tally } from './tally';

/** Far more than any of these calls needs once bounded; far less than the hangs took (minutes, or forever). */
const deadlineMs = 20_000;
const explodingGlob = `${'{*,*}'.repeat(12)}Z`;
const backtrackingRegex = '^(\\w+\\s?)*$';

describe('hangs a model or a repository could cause, through the CLI', function () {
	this.timeout(90_000);
	const tally = new Tally('hangs', () => `deadline ${deadlineMs / 1000} s per CLI run`);
	let server: ScriptedServer;
	let root: string;
	before(async () => {
		await buildCli();
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-hangs-'));
		fs.writeFileSync(path.join(root, 'a-rather-long-file-name-for-backtracking.txt'), 'plain words on a line\n');
		fs.writeFileSync(path.join(root, 'notesZ'), 'the one name the glob matches\n');
		// Forty word characters then a character neither \w nor \s: a backtracking engine tries 2^40 splits.
		fs.writeFileSync(path.join(root, 'poison.txt'), `${'a'.repeat(40)}!\nhello world again\n`);
	});
	after(() => {
		fs.rmSync(root, { recursive: true, force: true });
		tally.print();
	});
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	async function call(protocol: Protocol, name: string, args: unknown, options: { env?: Record<string, string>; interrupt?: boolean } = {}): Promise<CliRun> {
		// When interrupting, the model's next answer never comes: Ctrl+C then always lands on a live process.
		const next = options.interrupt ? { headers: { 'content-type': 'text/event-stream' }, chunks: [], stall: true } : answer(protocol, { text: 'Done.' });
		server.push(answer(protocol, { calls: [{ id: 'call_1', name, args: JSON.stringify(args) }] }), next);
		const base = protocol === 'openai' ? `${server.url}/v1` : server.url;
		const argv = ['chat', '--protocol', protocol, '--base-url', base, '--model', 'm', '--max-retries', '0', '--workspace', root, '--approve', 'read', ...(options.interrupt ? [] : ['--json']), 'Go'];
		const run = await runCli(argv, { SWITCHBOARD_API_KEY: 'sk-hangs-test', ...options.env }, undefined, { deadlineMs, interruptWhen: options.interrupt ? '→' : undefined, interruptDelayMs: 1500 });
		assert.equal(run.killed, false, `${name} ran past the ${deadlineMs / 1000} s deadline and was killed`);
		return run;
	}

	const resultOf = (run: CliRun): { status: string; result: unknown } => {
		const output = parseJson(run);
		assert.equal(output.error, null, run.stderr);
		return output.steps[0].toolCalls[0];
	};

	for (const protocol of protocols) {
		it(`${protocol}: find_files with ${explodingGlob} finishes and finds the one match`, () => tally.check(`${protocol} exploding glob`, async () => {
			const call1 = resultOf(await call(protocol, 'find_files', { glob: explodingGlob }));
			assert.equal(call1.status, 'done');
			assert.equal(call1.result, 'notesZ');
		}));

		it(`${protocol}: find_files refuses a glob too long to be a path pattern, saying so`, () => tally.check(`${protocol} huge glob`, async () => {
			const call1 = resultOf(await call(protocol, 'find_files', { glob: '{*,*}'.repeat(2000) }));
			assert.equal(call1.status, 'error');
			assert.match(String(call1.result), /glob is too long \(10000 characters; at most \d+\)/);
		}));

		it(`${protocol}: Ctrl+C during find_files with the exploding glob ends the CLI`, () => tally.check(`${protocol} stop find_files`, async () => {
			const run = await call(protocol, 'find_files', { glob: explodingGlob }, { interrupt: true });
			assert.equal(run.code, 130, run.stderr);
			assert.ok(run.elapsedMs < 10_000, `took ${run.elapsedMs} ms`);
		}));

		it(`${protocol}: search_text ${backtrackingRegex} in the JavaScript fallback (no ripgrep) finishes`, () => tally.check(`${protocol} regex fallback`, async () => {
			const run = await call(protocol, 'search_text', { query: backtrackingRegex, isRegex: true }, { env: { PATH: path.join(root, 'no-ripgrep-here') } });
			const call1 = resultOf(run);
			assert.equal(call1.status, 'done', String(call1.result));
			assert.match(String(call1.result), /poison\.txt:2: hello world again/);
			assert.doesNotMatch(String(call1.result), /poison\.txt:1:/);
		}));

		it(`${protocol}: Ctrl+C during search_text in the JavaScript fallback ends the CLI`, () => tally.check(`${protocol} stop search_text`, async () => {
			const run = await call(protocol, 'search_text', { query: backtrackingRegex, isRegex: true }, { env: { PATH: path.join(root, 'no-ripgrep-here') }, interrupt: true });
			assert.equal(run.code, 130, run.stderr);
			assert.ok(run.elapsedMs < 10_000, `took ${run.elapsedMs} ms`);
		}));

		it(`${protocol}: search_text in the fallback names the syntax it does not support (as ripgrep does)`, () => tally.check(`${protocol} regex syntax`, async () => {
			const call1 = resultOf(await call(protocol, 'search_text', { query: '(a)\\1', isRegex: true }, { env: { PATH: path.join(root, 'no-ripgrep-here') } }));
			assert.equal(call1.status, 'error');
			assert.match(String(call1.result), /Invalid regular expression: .*\\1.*backreferences/);
		}));

		it(`${protocol}: read_file with an 80,000-segment path is refused at once with a clear error`, () => tally.check(`${protocol} absurd path`, async () => {
			const run = await call(protocol, 'read_file', { path: `${'a/'.repeat(80_000)}x.txt` });
			const call1 = resultOf(run);
			assert.equal(call1.status, 'error');
			assert.match(String(call1.result), /path is too long \(160005 characters; at most \d+\)/);
			assert.ok(run.elapsedMs < 10_000, `took ${run.elapsedMs} ms`);
		}));

		it(`${protocol}: read_file with a long path under the limit resolves quickly and says it does not exist`, () => tally.check(`${protocol} long path`, async () => {
			const run = await call(protocol, 'read_file', { path: `${'ab/'.repeat(1300)}x.txt` });
			const call1 = resultOf(run);
			assert.equal(call1.status, 'error');
			assert.match(String(call1.result), /does not exist/);
			assert.ok(run.elapsedMs < 10_000, `took ${run.elapsedMs} ms`);
		}));
	}
});
