import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { parseChatArgs, UsageError } from '../../../src/cli/args';
import { cliApprovalHook } from '../../../src/cli/cliApproval';
import type { ApprovalRequest } from '../../../src/chat/approvals';

const base = ['--preset', 'openai', '--model', 'gpt-4o'];

describe('chat arguments', () => {
	it('parses every option into typed values', () => {
		const options = parseChatArgs([
			'--protocol', 'anthropic', '--base-url', 'http://localhost:8080', '--model', 'm', '--api-key-env', 'MY_KEY',
			'--auth-command', 'gcloud auth print-access-token', '--header', 'X-A: 1', '--header', 'X-B:two: parts',
			'--extra-body', '{"stream_options":{"include_usage":true}}', '--system', 'sys', '--tools', 't.json', '--workspace', '.',
			'--tool-choice', 'get_weather', '--approve', 'read', '--max-steps', '5', '--max-retries', '0', '--no-stream', '--json', 'the prompt',
		]);
		assert.deepEqual(options, {
			prompt: ['the prompt'], provider: undefined, config: undefined, preset: undefined, protocol: 'anthropic', baseUrl: 'http://localhost:8080', model: 'm', apiKeyEnv: 'MY_KEY',
			authCommand: 'gcloud auth print-access-token', headers: { 'X-A': '1', 'X-B': 'two: parts' },
			extraBody: { stream_options: { include_usage: true } }, system: 'sys', toolsFile: 't.json', mcpConfig: undefined, workspace: '.', protect: [], unprotect: [],
			toolChoice: { name: 'get_weather' }, approve: 'read', maxSteps: 5, maxRetries: 0, stream: false, json: true,
		});
	});

	it('defaults to ask, streaming and human output, leaving the key variable to the provider entry', () => {
		const options = parseChatArgs([...base, 'hi']);
		assert.ok(options !== 'help');
		assert.deepEqual([options.apiKeyEnv, options.approve, options.stream, options.json, options.toolChoice], [undefined, 'ask', true, false, undefined]);
	});

	it('rejects each mistake with a message naming the fix', () => {
		const cases: Array<[string[], RegExp]> = [
			[['--protocol', 'openai', '--model', 'm', 'hi'], /--preset NAME, or --protocol openai\|anthropic with --base-url URL/],
			[['--preset', 'openai', 'hi'], /--model is required/],
			[[...base, 'a', 'b'], /Give exactly one prompt/],
			[[...base, '-', '-'], /Give exactly one prompt/],
			[[...base, '  '], /Give exactly one prompt/],
			[[...base, '--extra-body', '[1]', 'hi'], /--extra-body must be a JSON object/],
			[[...base, '--extra-body', '{bad', 'hi'], /--extra-body is not valid JSON/],
			[[...base, '--header', 'novalue', 'hi'], /--header takes "Name: value"/],
			[[...base, '--max-steps', '0', 'hi'], /--max-steps takes a whole number >= 1/],
			[[...base, '--api-key-env', 'sk-123abc', 'hi'], /takes the NAME of an environment variable/],
			[[...base, '--key=sk-1', 'hi'], /Keys are never taken on the command line/],
			[[...base, '--bogus', 'hi'], /Unknown option '--bogus'.*--help/],
			[['--protocol', 'grpc', '--base-url', 'http://x', '--model', 'm', 'hi'], /--protocol must be openai or anthropic/],
		];
		for (const [argv, message] of cases) assert.throws(() => parseChatArgs(argv), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
	});

	it('takes --provider ID[/MODEL] and --config FILE for a provider from the config file', () => {
		const options = parseChatArgs(['--provider', 'gateway/anthropic/claude-sonnet-4.5', '--config', 'my.json', 'hi']);
		assert.ok(options !== 'help');
		assert.deepEqual([options.provider, options.config, options.model, options.prompt], ['gateway/anthropic/claude-sonnet-4.5', 'my.json', undefined, ['hi']]);
		// No provider option at all is left to the config file's defaultModel.
		const bare = parseChatArgs(['hi']);
		assert.ok(bare !== 'help');
		assert.equal(bare.provider, undefined);
		assert.throws(() => parseChatArgs(['--provider', 'a', '--preset', 'openai', '--model', 'm', 'hi']), /--provider takes the provider from the config file; drop --preset/);
		assert.throws(() => parseChatArgs(['--provider', '/m', 'hi']), /--provider takes ID or ID\/MODEL/);
	});

	it('takes - for standard input, alone or with the prompt, and no prompt for a piped one', () => {
		const parts = (argv: string[]) => {
			const options = parseChatArgs([...base, ...argv]);
			assert.ok(options !== 'help');
			return options.prompt;
		};
		assert.deepEqual(parts(['-']), ['-']);
		assert.deepEqual(parts(['Review:', '-']), ['Review:', '-']);
		assert.deepEqual(parts([]), []);
	});

	it('returns help for --help', () => {
		assert.equal(parseChatArgs(['--help']), 'help');
	});
});

describe('CLI approval prompt', () => {
	const forced = '../secret is outside the workspace folders';
	const request: ApprovalRequest = {
		callId: 'c1', providerId: 'x', toolName: 'read_file', input: {}, info: { risk: 'read', summary: 'Read ../secret', forcedReason: forced },
		approval: { mode: 'ask', forcedReason: forced, offerAlwaysAllow: false, inApproveAll: false },
	};

	it('asks y/N on a terminal, showing why the call always asks', async () => {
		const input = new PassThrough();
		const output = new PassThrough();
		let shown = '';
		output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
		const hook = cliApprovalHook('all', { interactive: true, input, output }, () => undefined);
		const answer = hook(request, new AbortController().signal);
		setTimeout(() => input.write('y\n'), 10);
		assert.deepEqual(await answer, { approved: true });
		assert.match(shown, /Always asks: \.\.\/secret is outside the workspace folders/);
		assert.match(shown, /Approve\? \[y\/N\]/);
	});

	it('takes any other answer as a denial, with the typed text as the reason', async () => {
		const input = new PassThrough();
		const hook = cliApprovalHook('ask', { interactive: true, input, output: new PassThrough() }, () => undefined);
		const answer = hook({ ...request, info: { risk: 'read', summary: 'Read a' }, approval: { mode: 'ask', offerAlwaysAllow: true, inApproveAll: true } }, new AbortController().signal);
		setTimeout(() => input.write('not that file\n'), 10);
		assert.deepEqual(await answer, { approved: false, reason: 'not that file' });
	});

	it('denies everything with --approve none without asking', async () => {
		const hook = cliApprovalHook('none', { interactive: true, input: new PassThrough(), output: new PassThrough() }, () => undefined);
		const decision = await hook({ ...request, info: { risk: 'read', summary: 'Read a' }, approval: { mode: 'ask', offerAlwaysAllow: true, inApproveAll: true } }, new AbortController().signal);
		assert.equal(decision.approved, false);
	});
});
