// The CLI's --json contract against what real providers send: an error word in finish_reason is an error (exit 1,
// retryable), an unknown one is kept with a warning in the step, and the provider's own words reach the error.
import * as assert from 'node:assert/strict';
import { openaiTurn } from '../chat/scripts';
import { cliSuite, parseJson, runCli } from './runCli';

describe('switchboard chat --json: what providers say', function () {
	this.timeout(60_000);
	const suite = cliSuite();

	const args = (...extra: string[]) => ['chat', '--protocol', 'openai', '--base-url', `${suite.server.url}/v1`, '--model', 'anthropic/claude-sonnet-4-5', '--json', ...extra];
	const key = { SWITCHBOARD_API_KEY: 'sk-canary-words-1234567890' };

	it('does not report a gateway\'s finish_reason "overloaded_error" as success', async () => {
		// A gateway forwarding Anthropic's overloaded_error mid-stream as a finish_reason, then [DONE].
		suite.server.push(openaiTurn({ text: 'Half of the answer', finish: 'overloaded_error' }));
		const run = await runCli(args('Answer?'), key);
		const output = parseJson(run);
		assert.equal(run.code, 1);
		assert.equal(output.steps[0].finish, 'interrupted');
		assert.equal(output.steps[0].text, 'Half of the answer');
		assert.deepEqual(output.error && [output.error.kind, output.error.retryable], ['overloaded', true]);
		assert.match(run.stderr, /finish_reason "overloaded_error"/);
	});

	it('keeps an unknown finish_reason with a warning in the step\'s warnings', async () => {
		suite.server.push(openaiTurn({ text: 'Done.', finish: 'end_of_text' }));
		const run = await runCli(args('Answer?'), key);
		const output = parseJson(run);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(output.steps[0].finish, 'stop');
		assert.deepEqual(output.steps[0].warnings, ['Unknown finish_reason "end_of_text" from the provider; treated as "stop".']);
	});

	it('sends an output limit and shows a flat error body in the provider\'s words', async () => {
		// Mistral's flat body, https://github.com/solbrowse/extension/issues/16
		suite.server.push({ status: 400, body: '{"object":"error","message":"Assistant message must have either content or tool_calls, but not none.","type":"invalid_request_error","param":null,"code":null}' });
		const run = await runCli(args('hi'), key);
		const output = parseJson(run);
		assert.equal(suite.server.requests[0].json?.max_tokens, 64_000);
		assert.equal(output.error?.kind, 'bad-request');
		assert.match(output.error?.message ?? '', /Provider said: Assistant message must have either content or tool_calls, but not none\./);
		assert.deepEqual(output.steps[0].warnings, []);
	});
});
