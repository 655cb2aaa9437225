// What a model or a file can make the CLI's terminal do. Escape sequences in streamed text (OSC 52 writes the
// clipboard, OSC 8 hides a link target, ESC[8m hides text, a C1 CSI, a bare carriage return) are shown as visible
// characters, never sent raw, in human output, errors and tool lines (dist/cli.js), and --json keeps the exact text
// while escaping them. The y/N prompt (runChat on a scripted terminal, since a prompt needs one) shows every argument
// of a --tools command, and a path carrying ESC[8m cannot hide the warning that follows it.
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseChatArgs, type ChatOptions } from '../../src/cli/args';
import { runChat } from '../../src/cli/chatCommand';
import type { Protocol } from '../../src/providers/types';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { buildCli, parseJson, runCli, writeToolsFile } from '../unit/cli/runCli';
import { answer, protocols } from './support';
import { Tally } from './tally';

const hostile = [
	'Copy this: \x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07 done.',
	' A \x1b]8;;https://evil.example/\x1b\\harmless link\x1b]8;;\x1b\\ here.',
	' Now \x1b[8mhidden text\x1b[0m and \u009b8mC1 hidden\u009b0m.',
	' Over\rwritten, bell\x07, DEL\x7f, OSC by C1 \u009d0;title\u009c.',
].join('');

/** Raw terminal controls: C0 except tab and newline, DEL, and C1. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const rawControl = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

function controlsIn(text: string): string[] {
	return [...text].filter((char) => rawControl.test(char)).map((char) => `U+${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

describe('terminal control sequences from a model or a file never reach the terminal raw', function () {
	this.timeout(60_000);
	const tally = new Tally('terminal');
	let server: ScriptedServer;
	let root: string;
	before(async () => {
		await buildCli();
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-terminal-'));
		fs.writeFileSync(path.join(root, 'notes.txt'), 'notes\n');
	});
	after(() => {
		fs.rmSync(root, { recursive: true, force: true });
		tally.print();
	});
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	const base = (protocol: Protocol): string[] => ['chat', '--protocol', protocol, '--base-url', protocol === 'openai' ? `${server.url}/v1` : server.url, '--model', 'm', '--max-retries', '0'];
	const key = { SWITCHBOARD_API_KEY: 'sk-terminal-test' };

	/** runChat with a terminal someone answers `reply` on; returns what the terminal showed. */
	async function prompted(options: ChatOptions, reply: string): Promise<{ shown: string; stderr: string; code: number }> {
		const input = new PassThrough();
		const output = new PassThrough();
		let shown = '';
		let stderr = '';
		output.on('data', (chunk: Buffer) => {
			shown += chunk.toString('utf8');
			if (shown.includes('Approve?')) input.write(`${reply}\n`);
		});
		const code = await runChat(options, {
			stdout: { write: () => undefined },
			stderr: { write: (text) => (stderr += text) },
			env: key,
			stdin: { isTTY: true, stream: new PassThrough() },
			terminal: { interactive: true, input, output },
			signal: new AbortController().signal,
		});
		return { shown, stderr, code };
	}

	for (const protocol of protocols) {
		it(`${protocol}: streamed escape sequences are shown as visible characters in human output`, () => tally.check(`${protocol} human text`, async () => {
			server.push(answer(protocol, { text: hostile, pieces: 13 }));
			const run = await runCli([...base(protocol), 'Hi'], key);
			assert.equal(run.code, 0, run.stderr);
			assert.deepEqual(controlsIn(run.stdout), []);
			for (const word of ['Copy this', 'harmless link', 'hidden text', 'C1 hidden', 'written', '␛]52;c;Y3VybCBldmlsIHwgc2g=']) assert.ok(run.stdout.includes(word), `${word} missing: ${run.stdout}`);
		}));

		it(`${protocol}: --json keeps the exact text, with every control character escaped`, () => tally.check(`${protocol} json text`, async () => {
			server.push(answer(protocol, { text: hostile, pieces: 13 }));
			const run = await runCli([...base(protocol), '--json', 'Hi'], key);
			assert.equal(run.code, 0, run.stderr);
			assert.deepEqual(controlsIn(run.stdout), []);
			assert.equal(parseJson(run).steps[0].text, hostile);
		}));

		it(`${protocol}: an error body and a tool line carrying escapes print them visibly`, () => tally.check(`${protocol} errors and tool lines`, async () => {
			server.push(answer(protocol, { calls: [{ id: 'c1', name: 'read_file', args: JSON.stringify({ path: 'no\x1b[8msuch\u009b8m.txt' }) }] }));
			server.push({ status: 400, body: JSON.stringify(protocol === 'openai'
				? { error: { message: 'bad \x1b]52;c;aGk=\x07 request', type: 'invalid_request_error' } }
				: { type: 'error', error: { type: 'invalid_request_error', message: 'bad \x1b]52;c;aGk=\x07 request' } }) });
			const run = await runCli([...base(protocol), '--workspace', root, '--approve', 'read', 'Hi'], key);
			assert.equal(run.code, 1);
			assert.deepEqual(controlsIn(run.stderr), [], run.stderr);
			assert.match(run.stderr, /no␛\[8msuch/);
			assert.match(run.stderr, /bad ␛\]52;c;aGk=␇ request/);
		}));

		it(`${protocol}: the prompt shows a path's ESC[8m visibly, and the warning after it`, () => tally.check(`${protocol} prompt path`, async () => {
			server.push(answer(protocol, { calls: [{ id: 'c1', name: 'read_file', args: JSON.stringify({ path: '../\x1b[8msecret.txt' }) }] }), answer(protocol, { text: 'OK.' }));
			const options = parseChatArgs([...base(protocol).slice(1), '--workspace', root, '--approve', 'read', 'Hi']) as ChatOptions;
			const { shown, code } = await prompted(options, 'n');
			assert.equal(code, 0);
			assert.deepEqual(controlsIn(shown), [], shown);
			assert.match(shown, /Read \.\.\/␛\[8msecret\.txt/);
			assert.match(shown, /Always asks: .*outside the workspace/);
		}));

		it(`${protocol}: the prompt for a --tools command shows every argument, however long`, () => tally.check(`${protocol} prompt arguments`, async () => {
			const tools = writeToolsFile([{ name: 'run_sql', description: 'Runs SQL.', parameters: { type: 'object', properties: { padding: { type: 'string' }, sql: { type: 'string' } } }, command: 'cat' }]);
			const args = { padding: 'x'.repeat(400), sql: 'DROP TABLE users' };
			server.push(answer(protocol, { calls: [{ id: 'c1', name: 'run_sql', args: JSON.stringify(args) }] }), answer(protocol, { text: 'OK.' }));
			const options = parseChatArgs([...base(protocol).slice(1), '--tools', tools, 'Hi']) as ChatOptions;
			const { shown, code } = await prompted(options, 'n');
			assert.equal(code, 0);
			const unwrapped = shown.replace(/\n {4}/g, '');
			assert.ok(unwrapped.includes('"sql":"DROP TABLE users"'), shown);
			assert.ok(unwrapped.includes(`"padding":"${'x'.repeat(400)}"`), shown);
			assert.ok(shown.split('\n').every((line) => line.length <= 120), 'lines are wrapped');
		}));
	}
});
