import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { anthropicTurn, openaiMessages, openaiTurn } from '../chat/scripts';
import { cliSuite, parseJson, repoRoot, runCli, writeTempFile } from './runCli';
import { jsonOf, runCommand } from './runCommand';

/** A config home holding switchboard/config.json with `config`, as XDG_CONFIG_HOME. */
function configHome(config: unknown): string {
	const file = writeTempFile(path.join('switchboard', 'config.json'), JSON.stringify(config, null, 2));
	return path.dirname(path.dirname(file));
}

describe('switchboard chat with a config file, standard input and exit codes (dist/cli.js)', function () {
	this.timeout(60_000);
	const suite = cliSuite();

	const providers = () => [
		{
			id: 'gw', protocol: 'openai', baseUrl: `${suite.server.url}/v1`, models: ['deepseek-chat', 'other'], apiKeyEnv: 'GW_KEY',
			headers: { 'X-Team': 'blue', 'X-Api-Key': '${env:GW_HEADER_SECRET}' },
			extraBody: { tool_options: { thoughts_output: true } },
			quirks: { 'deepseek-chat': { systemPrompt: 'keep' } },
		},
		{ id: 'claude', protocol: 'anthropic', baseUrl: suite.server.url, models: ['claude-sonnet-4-5'], auth: { command: 'echo token-from-command' } },
	];

	it('--provider ID/MODEL takes the entry from the default config file: headers, extra body, quirks and the key from apiKeyEnv', async () => {
		suite.server.push(openaiTurn({ text: 'Hi from the gateway.' }));
		const home = configHome({ providers: providers() });
		const run = await runCli(['chat', '--provider', 'gw/deepseek-chat', '--system', 'Be brief.', 'hi'], { XDG_CONFIG_HOME: home, GW_KEY: 'sk-gw-1234567890', GW_HEADER_SECRET: 'hdr-secret-987' });
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stdout, 'Hi from the gateway.\n');
		const request = suite.server.requests[0];
		assert.equal(request.url, '/v1/chat/completions');
		assert.equal(request.json?.model, 'deepseek-chat');
		assert.equal(request.headers.authorization, 'Bearer sk-gw-1234567890');
		assert.equal(request.headers['x-team'], 'blue');
		assert.equal(request.headers['x-api-key'], 'hdr-secret-987');
		assert.deepEqual(request.json?.tool_options, { thoughts_output: true });
		// The user's quirk keeps the system prompt that DeepSeek's built-in profile would fold into the first message.
		assert.deepEqual(openaiMessages(request.json)[0], { role: 'system', content: 'Be brief.' });
	});

	it('--config FILE with defaultModel needs no provider option; an auth command supplies the token', async () => {
		suite.server.push(anthropicTurn({ text: 'Claude here.' }));
		const file = writeTempFile('my-config.json', JSON.stringify({ providers: providers(), defaultModel: 'claude/claude-sonnet-4-5' }));
		const run = await runCli(['chat', '--config', file, '--json', 'hi']);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(parseJson(run).steps[0].text, 'Claude here.');
		assert.equal(suite.server.requests[0].url, '/v1/messages');
		assert.equal(suite.server.requests[0].headers.authorization, 'Bearer token-from-command');
	});

	it('never prints a key or a header value taken from the environment, even when the provider echoes them', async () => {
		const echoed = JSON.stringify({ error: { message: 'Bad key sk-gw-1234567890 with header hdr-secret-987', type: 'invalid_request_error' } });
		suite.server.push({ status: 401, body: echoed });
		const home = configHome({ providers: providers() });
		const run = await runCli(['chat', '--provider', 'gw', 'hi'], { XDG_CONFIG_HOME: home, GW_KEY: 'sk-gw-1234567890', GW_HEADER_SECRET: 'hdr-secret-987' });
		assert.equal(run.code, 1);
		assert.match(run.stderr, /Error \(auth 401\)/);
		assert.ok(!/sk-gw-1234567890|hdr-secret-987/.test(run.stdout + run.stderr), run.stderr);
	});

	it('keeps the key variable and the variables headers read out of command tools', async () => {
		suite.server.push(openaiTurn({ calls: [{ id: 'c1', name: 'show_env', args: '{}' }] }), openaiTurn({ text: 'Done.' }));
		const tools = writeTempFile('tools.json', JSON.stringify([{ name: 'show_env', description: 'Prints the environment', parameters: { type: 'object', properties: {} }, command: 'env' }]));
		const env = { XDG_CONFIG_HOME: configHome({ providers: providers() }), GW_KEY: 'sk-gw-1234567890', GW_HEADER_SECRET: 'hdr-secret-987', UNRELATED_VAR: 'visible' };
		const run = await runCli(['chat', '--provider', 'gw', '--tools', tools, '--approve', 'all', '--json', 'env?'], env);
		assert.equal(run.code, 0, run.stderr);
		const result = String(openaiMessages(suite.server.requests[1].json).find((m) => m.role === 'tool')?.content);
		assert.match(result, /UNRELATED_VAR=visible/);
		assert.ok(!/GW_KEY|GW_HEADER_SECRET|sk-gw-1234567890|hdr-secret-987/.test(result), result);
	});

	it('refuses an invalid file with exit code 2, naming the file and line, before sending anything', async () => {
		const file = writeTempFile('config.json', '{\n  "providers": [\n    { "id": "gw", "preset": "openai", "models": ["m"], "apiKey": "sk-in-file" }\n  ]\n}\n');
		const run = await runCli(['chat', '--config', file, '--provider', 'gw', 'hi']);
		assert.equal(run.code, 2);
		assert.match(run.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:56: keys are never read from the config file`));
		assert.ok(!run.stderr.includes('sk-in-file'));
		const missingKey = await runCli(['chat', '--provider', 'gw', 'hi'], { XDG_CONFIG_HOME: configHome({ providers: providers() }), GW_HEADER_SECRET: 'x' });
		assert.equal(missingKey.code, 2);
		assert.match(missingKey.stderr, /takes its key from the environment variable GW_KEY, which is not set/);
		const unknown = await runCli(['chat', '--provider', 'nope', 'hi'], { XDG_CONFIG_HOME: configHome({ providers: providers() }) });
		assert.equal(unknown.code, 2);
		assert.match(unknown.stderr, /There is no provider "nope" in .*config\.json; it has gw, claude/);
		const noConfig = await runCli(['chat', 'hi']);
		assert.equal(noConfig.code, 2);
		assert.match(noConfig.stderr, /Choose a provider: --provider ID from a config file \(.*switchboard[/\\]config\.json does not exist\)/);
		assert.equal(suite.server.requests.length, 0);
	});

	it('reads the prompt from a piped standard input, and from - after the argument', async () => {
		suite.server.push(openaiTurn({ text: 'Looks fine.' }), openaiTurn({ text: 'Reviewed.' }));
		const flags = ['chat', '--protocol', 'openai', '--base-url', `${suite.server.url}/v1`, '--model', 'gpt-4o'];
		const diff = 'diff --git a/x.ts b/x.ts\n+export const x = 1;\n';
		const piped = await runCommand(flags, { stdin: diff });
		assert.equal(piped.code, 0, piped.stderr);
		assert.equal(piped.stdout, 'Looks fine.\n');
		const both = await runCommand([...flags, 'Review this diff:', '-'], { stdin: diff });
		assert.equal(both.code, 0, both.stderr);
		const user = (request: number) => openaiMessages(suite.server.requests[request].json).find((m) => m.role === 'user')?.content;
		assert.equal(user(0), diff);
		assert.equal(user(1), `Review this diff:\n\n${diff}`);
		const empty = await runCommand([...flags, '-'], { stdin: '' });
		assert.equal(empty.code, 2);
		assert.match(empty.stderr, /Standard input was empty/);
	});

	it('exits 130 when interrupted, keeping the partial answer', async () => {
		const turn = openaiTurn({ text: 'The first part' });
		suite.server.push({ chunks: turn.chunks?.slice(0, 3), stall: true });
		const run = await runCommand(['chat', '--protocol', 'openai', '--base-url', `${suite.server.url}/v1`, '--model', 'gpt-4o', '--json', 'Long answer?'], {
			onSpawn: (child) => {
				const poll = setInterval(() => {
					if (suite.server.requests.length > 0) {
						clearInterval(poll);
						// Past the first bytes of the stream, then Ctrl+C.
						setTimeout(() => child.kill('SIGINT'), 300);
					}
				}, 20);
			},
		});
		assert.equal(run.code, 130, run.stderr);
		const output = jsonOf(run);
		assert.equal(output.error?.kind, 'aborted');
		assert.equal(output.steps[0].text, 'The first part');
	});

	it('prints the version with --version, and help with the exit codes with --help', async () => {
		const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
		const run = await runCli(['--version']);
		assert.deepEqual([run.code, run.stdout], [0, `${version}\n`]);
		const help = await runCli(['--help']);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /Exit codes: 0 the model finished, 1 a provider or conversation error \(on stderr\), 2 a usage or config\s+file mistake, 130 interrupted/);
		assert.match(help.stdout, /--config FILE/);
		const nothing = await runCli([]);
		assert.equal(nothing.code, 2);
	});
});
