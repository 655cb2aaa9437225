// The CLI as a user installs it: `npm run pack:cli`, then `npm install -g <tarball>` into a temporary prefix with
// npm offline (the tarball has no dependencies), then the installed `switchboard` against the scripted server.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { openaiMessages, openaiTurn } from '../chat/scripts';
import { repoRoot, writeTempFile } from './runCli';
import { jsonOf, runCommand } from './runCommand';

const run = promisify(execFile);
const windows = process.platform === 'win32';

/** The npm that runs this test (`npm test` sets npm_execpath), else the one on PATH. */
function npm(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
	const cli = process.env.npm_execpath;
	if (cli && /npm-cli\.c?js$/.test(cli)) return run(process.execPath, [cli, ...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
	return run(windows ? 'npm.cmd' : 'npm', args, { cwd, shell: windows, maxBuffer: 16 * 1024 * 1024 });
}

describe('the CLI package (npm run pack:cli, installed with npm install -g)', function () {
	this.timeout(240_000);
	const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
	let tarball: string;
	let bin: string;
	let server: ScriptedServer;
	let prefix: string;
	// `node` for the bin's #!/usr/bin/env node line: the one running this test, as on a machine with only Node.
	const pathEnv = { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };

	before(async () => {
		const packed = await npm(['run', '--silent', 'pack:cli'], repoRoot);
		tarball = packed.stdout.trim().split('\n').at(-1) ?? '';
		assert.ok(fs.existsSync(tarball), `no tarball at '${tarball}':\n${packed.stdout}${packed.stderr}`);
		prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-prefix-'));
		// --offline with an empty cache: installing must not need the registry.
		await npm(['install', '--global', '--prefix', prefix, '--cache', path.join(prefix, '.cache'), '--offline', '--no-audit', '--no-fund', tarball], prefix);
		bin = windows ? path.join(prefix, 'switchboard.cmd') : path.join(prefix, 'bin', 'switchboard');
	});
	after(() => fs.rmSync(prefix, { recursive: true, force: true }));
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	it('packs only the bundled CLI, README and LICENSE, with a bin, the Node engine and no dependencies', async () => {
		const { stdout } = await run('tar', ['-tzf', tarball]);
		assert.deepEqual(stdout.trim().split('\n').sort(), ['package/LICENSE', 'package/README.md', 'package/dist/cli.js', 'package/package.json']);
		const { stdout: text } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
		const manifest = JSON.parse(text) as Record<string, unknown>;
		assert.deepEqual([manifest.name, manifest.version, manifest.bin, manifest.engines], ['switchboard-chat-cli', version, { switchboard: 'dist/cli.js' }, { node: '>=20.19' }]);
		assert.equal(manifest.dependencies, undefined);
		assert.equal(manifest.private, undefined);
		assert.equal(manifest.contributes, undefined);
	});

	it('installs a switchboard command that prints its version', async () => {
		const result = await runCommand(['--version'], { env: pathEnv, cwd: os.tmpdir(), command: [bin] });
		assert.deepEqual([result.code, result.stdout, result.stderr], [0, `${version}\n`, '']);
	});

	it('chats from the install, with a provider from the config file and the prompt piped in', async () => {
		server.push(openaiTurn({ text: 'Installed and working.' }));
		const file = writeTempFile(path.join('switchboard', 'config.json'), JSON.stringify({
			providers: [{ id: 'local', protocol: 'openai', baseUrl: `${server.url}/v1`, models: ['gpt-4o'], apiKeyEnv: 'LOCAL_KEY' }],
		}));
		const env = { ...pathEnv, XDG_CONFIG_HOME: path.dirname(path.dirname(file)), APPDATA: path.dirname(path.dirname(file)), LOCAL_KEY: 'sk-local-123456' };
		const result = await runCommand(['chat', '--json'], { env, cwd: os.tmpdir(), stdin: 'Are you installed?', command: [bin] });
		assert.equal(result.code, 0, result.stderr);
		assert.equal(jsonOf(result).steps[0].text, 'Installed and working.');
		assert.equal(server.requests[0].headers.authorization, 'Bearer sk-local-123456');
		assert.equal(openaiMessages(server.requests[0].json).at(-1)?.content, 'Are you installed?');
	});

	it('leaves the CLI out of the extension: no bin in its manifest, no cli.js or CLI package in the .vsix', async () => {
		const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
		assert.equal(manifest.bin, undefined);
		assert.equal(manifest.private, true, 'the extension manifest stays private so it is never published to npm');
		const { stdout } = await run(process.execPath, [path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: repoRoot });
		const files = stdout.trim().split('\n');
		assert.ok(files.includes('dist/extension.js'), stdout);
		assert.deepEqual(files.filter((name) => /cli|\.tgz$/.test(name)), []);
	});
});
