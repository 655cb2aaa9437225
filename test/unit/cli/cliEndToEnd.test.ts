import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { anthropicTurn, openaiMessages, openaiTurn } from '../chat/scripts';
import { cliSuite, parseJson, repoRoot, runCli, writeToolsFile } from './runCli';

const weatherSchema = { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string' } }, required: ['location'] };
const toolsFile = writeToolsFile([
	{ type: 'function', function: { name: 'get_current_weather', description: 'Weather for a location', parameters: weatherSchema }, command: 'sed \'s/^/weather for /\'' },
	{ name: 'get_time', description: 'Current time', parameters: { type: 'object', properties: {} }, command: 'echo "time service down" >&2; exit 4' },
	{ name: 'get_news', description: 'Headlines', parameters: { type: 'object', properties: {} } },
]);

describe('switchboard chat (end to end, dist/cli.js against the scripted server)', function () {
	this.timeout(60_000);
	const suite = cliSuite();

	const openaiArgs = (...extra: string[]) => ['chat', '--protocol', 'openai', '--base-url', `${suite.server.url}/v1`, '--model', 'gpt-4o', '--tools', toolsFile, ...extra];
	const key = { SWITCHBOARD_API_KEY: 'sk-live-DoNotPrint-1234567890' };

	it('runs a multi-step tool conversation over the OpenAI protocol with command tools', async () => {
		suite.server.push(
			openaiTurn({ text: 'Checking both.', calls: [
				{ id: 'call_w', name: 'get_current_weather', args: '{"location":"Boston, MA"}' },
				{ id: 'call_t', name: 'get_time', args: '{}' },
				{ id: 'call_n', name: 'get_news', args: '{}' },
			] }),
			openaiTurn({ calls: [{ id: 'call_w2', name: 'get_current_weather', args: '{"location":"Paris"}' }] }),
			openaiTurn({ text: 'Boston and Paris are mild.' }),
		);
		const run = await runCli(openaiArgs('--approve', 'all', '--json', 'Weather in Boston and Paris?'), key);
		const output = parseJson(run);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(output.error, null);
		assert.deepEqual(output.steps.map((s) => s.finish), ['tool_calls', 'tool_calls', 'stop']);
		assert.deepEqual(output.steps[0].toolCalls, [
			{ id: 'call_w', name: 'get_current_weather', arguments: { location: 'Boston, MA' }, status: 'done', result: 'weather for {"location":"Boston, MA"}' },
			{ id: 'call_t', name: 'get_time', arguments: {}, status: 'error', result: 'The tool \'get_time\' failed (exit code 4): time service down' },
			{ id: 'call_n', name: 'get_news', arguments: {}, status: 'error', result: 'The tool \'get_news\' has no command configured, so it cannot run. Continue without it.' },
		]);
		assert.equal(output.steps[2].text, 'Boston and Paris are mild.');
		assert.equal(suite.server.requests[0].headers.authorization, `Bearer ${key.SWITCHBOARD_API_KEY}`);
		const tools = openaiMessages(suite.server.requests[2].json).filter((m) => m.role === 'tool');
		assert.deepEqual(tools.map((m) => m.tool_call_id), ['call_w', 'call_t', 'call_n', 'call_w2']);
		assert.equal(tools[3].content, 'weather for {"location":"Paris"}');
	});

	it('runs the same conversation over the Anthropic protocol', async () => {
		suite.server.push(
			anthropicTurn({ text: 'Let me look.', calls: [{ id: 'toolu_01', name: 'get_current_weather', args: '{"location":"Oslo"}' }] }),
			anthropicTurn({ text: 'Oslo is cold.' }),
		);
		const run = await runCli(['chat', '--protocol', 'anthropic', '--base-url', suite.server.url, '--model', 'claude-sonnet-4-5', '--tools', toolsFile, '--approve', 'all', '--json', 'Oslo?'], key);
		const output = parseJson(run);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(output.steps.map((s) => [s.text, s.finish]), [['Let me look.', 'tool_calls'], ['Oslo is cold.', 'stop']]);
		assert.deepEqual(output.steps[0].toolCalls[0], { id: 'toolu_01', name: 'get_current_weather', arguments: { location: 'Oslo' }, status: 'done', result: 'weather for {"location":"Oslo"}' });
		assert.equal(suite.server.requests[0].headers['x-api-key'], key.SWITCHBOARD_API_KEY);
		const messages = suite.server.requests[1].json?.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
		assert.deepEqual(messages.at(-1)?.content.map((b) => [b.type, b.tool_use_id, b.content]), [['tool_result', 'toolu_01', 'weather for {"location":"Oslo"}']]);
	});

	it('pairs seed 004\'s two calls with the same id by position', async () => {
		suite.server.push(
			openaiTurn({ calls: [
				{ id: 'get_current_weather', name: 'get_current_weather', args: '{"location":"Boston, MA","unit":"fahrenheit"}' },
				{ id: 'get_current_weather', name: 'get_current_weather', args: '{"location":"New Delhi, India","unit":"fahrenheit"}' },
			] }),
			openaiTurn({ text: 'Both fetched.' }),
		);
		const output = parseJson(await runCli(openaiArgs('--approve', 'all', '--json', 'Boston and New Delhi?'), key));
		assert.deepEqual(output.steps[0].toolCalls.map((c) => [c.id, c.result]), [
			['get_current_weather', 'weather for {"location":"Boston, MA","unit":"fahrenheit"}'],
			['get_current_weather', 'weather for {"location":"New Delhi, India","unit":"fahrenheit"}'],
		]);
		const tools = openaiMessages(suite.server.requests[1].json).filter((m) => m.role === 'tool');
		assert.deepEqual(tools.map((m) => [m.tool_call_id, m.content]), [
			['get_current_weather', 'weather for {"location":"Boston, MA","unit":"fahrenheit"}'],
			['get_current_weather', 'weather for {"location":"New Delhi, India","unit":"fahrenheit"}'],
		]);
	});

	it('denies with a note when --approve ask has no terminal, and tells the model why', async () => {
		suite.server.push(openaiTurn({ calls: [{ id: 'c1', name: 'get_current_weather', args: '{"location":"Rome"}' }] }), openaiTurn({ text: 'OK, I will not.' }));
		const run = await runCli(openaiArgs('--json', 'Rome?'), key);
		const output = parseJson(run);
		assert.equal(run.code, 0);
		assert.equal(output.steps[0].toolCalls[0].status, 'denied');
		assert.match(run.stderr, /no terminal to ask on; use --approve read or --approve all/);
		const tool = openaiMessages(suite.server.requests[1].json).at(-1);
		assert.match(String(tool?.content), /denied.*nobody could be asked/);
	});

	it('reports invalid arguments as status invalid without running the command', async () => {
		suite.server.push(openaiTurn({ calls: [{ id: 'c1', name: 'get_current_weather', args: '{"city":"Rome"}' }] }), openaiTurn({ text: 'Retrying later.' }));
		const output = parseJson(await runCli(openaiArgs('--approve', 'all', '--json', 'Rome?'), key));
		const call = output.steps[0].toolCalls[0];
		assert.equal(call.status, 'invalid');
		assert.match(String(call.result), /arguments\.location: is required but missing/);
	});

	it('keeps the partial text of an interrupted stream and exits non-zero with the error on stderr', async () => {
		const turn = openaiTurn({ text: 'The answer is forty' });
		suite.server.push({ chunks: turn.chunks?.slice(0, 3), reset: true });
		const run = await runCli(openaiArgs('--json', 'Answer?'), key);
		const output = parseJson(run);
		assert.notEqual(run.code, 0);
		assert.equal(output.steps[0].finish, 'interrupted');
		assert.equal(output.steps[0].text, 'The answer is forty');
		assert.ok(output.error);
		assert.match(run.stderr, /^Error \(/m);
	});

	it('stops a repeated call and exits non-zero', async () => {
		const same = () => openaiTurn({ calls: [{ id: 'c', name: 'get_current_weather', args: '{"location":"Rome"}' }] });
		suite.server.push(same(), same(), same());
		const run = await runCli(openaiArgs('--approve', 'all', '--json', 'Rome?'), key);
		assert.equal(run.code, 1);
		assert.equal(parseJson(run).error?.kind, 'repeated-call');
		assert.match(run.stderr, /same arguments 3 times in a row/);
	});

	it('stops at --max-steps and exits non-zero', async () => {
		suite.server.push(openaiTurn({ calls: [{ id: 'c', name: 'get_current_weather', args: '{"location":"Rome"}' }] }));
		const run = await runCli(openaiArgs('--approve', 'all', '--max-steps', '1', '--json', 'Rome?'), key);
		assert.equal(run.code, 1);
		assert.equal(parseJson(run).error?.kind, 'step-cap');
		assert.equal(suite.server.requests.length, 1);
	});

	it('never prints the key, even when the provider echoes it in an auth error', async () => {
		const echoed = JSON.stringify({ error: { message: `Incorrect API key provided: ${key.SWITCHBOARD_API_KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
		suite.server.push({ status: 401, body: echoed });
		const run = await runCli(openaiArgs('--json', 'hi'), key);
		assert.equal(run.code, 1);
		assert.equal(parseJson(run).error?.kind, 'auth');
		assert.ok(!run.stdout.includes('DoNotPrint') && !run.stderr.includes('DoNotPrint'), run.stdout + run.stderr);
	});

	it('streams the answer to stdout and tool activity to stderr in human mode', async () => {
		suite.server.push(openaiTurn({ text: 'Looking.', calls: [{ id: 'c', name: 'get_current_weather', args: '{"location":"Rome"}' }] }), openaiTurn({ text: 'Warm in Rome.' }));
		const run = await runCli(openaiArgs('--approve', 'all', 'Rome?'), key);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stdout, 'Looking.\nWarm in Rome.\n');
		assert.match(run.stderr, /→ get_current_weather \{"location":"Rome"\}/);
		assert.match(run.stderr, /✓ get_current_weather/);
	});

	it('sends --header, --extra-body, --system and --tool-choice on the request', async () => {
		suite.server.push(openaiTurn({ text: 'Hi.' }));
		const run = await runCli(openaiArgs('--header', 'X-Team: blue', '--extra-body', '{"tool_options":{"thoughts_output":true}}', '--system', 'Be brief.', '--tool-choice', 'none', '--json', 'hi'), key);
		assert.equal(run.code, 0, run.stderr);
		const request = suite.server.requests[0];
		assert.equal(request.headers['x-team'], 'blue');
		assert.deepEqual(request.json?.tool_options, { thoughts_output: true });
		assert.equal(request.json?.tool_choice, 'none');
		assert.deepEqual(openaiMessages(request.json)[0], { role: 'system', content: 'Be brief.' });
	});

	it('reads workspace files with --workspace and auto-approves them with --approve read', async () => {
		suite.server.push(openaiTurn({ calls: [{ id: 'c', name: 'read_file', args: '{"path":"src/util/math.ts","startLine":2,"endLine":3}' }] }), openaiTurn({ text: 'add returns a + b.' }));
		const workspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
		const run = await runCli(['chat', '--protocol', 'openai', '--base-url', `${suite.server.url}/v1`, '--model', 'gpt-4o', '--workspace', workspace, '--approve', 'read', '--json', 'What does add do?'], key);
		const output = parseJson(run);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual((suite.server.requests[0].json?.tools as Array<{ function: { name: string } }>).map((t) => t.function.name), ['read_file', 'search_text', 'find_files', 'list_directory']);
		assert.equal(output.steps[0].toolCalls[0].result, 'export function add(a: number, b: number): number {\n\treturn a + b;');
	});

	it('rejects usage mistakes with exit code 2 and a message naming the fix', async () => {
		const noModel = await runCli(['chat', '--preset', 'openai', 'hi']);
		assert.equal(noModel.code, 2);
		assert.match(noModel.stderr, /--model is required/);
		const keyFlag = await runCli(['chat', '--preset', 'openai', '--model', 'gpt-4o', '--api-key', 'sk-abc', 'hi']);
		assert.equal(keyFlag.code, 2);
		assert.match(keyFlag.stderr, /Keys are never taken on the command line/);
		assert.ok(!keyFlag.stderr.includes('sk-abc'));
		const badApprove = await runCli(['chat', '--preset', 'ollama', '--model', 'llama3.1', '--approve', 'maybe', 'hi']);
		assert.equal(badApprove.code, 2);
		assert.match(badApprove.stderr, /--approve must be one of ask, read, all, none/);
		assert.equal(suite.server.requests.length, 0);
	});
});

describe('switchboard chat --no-stream', function () {
	this.timeout(60_000);
	const suite = cliSuite();

	it('asks for a whole response and reports it like a streamed one', async () => {
		suite.server.push({ body: JSON.stringify({
			id: 'chatcmpl-1', object: 'chat.completion', created: 1700000000, model: 'gpt-4o',
			choices: [{ index: 0, message: { role: 'assistant', content: 'Whole answer.' }, finish_reason: 'stop' }],
			usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
		}) });
		const run = await runCli(['chat', '--protocol', 'openai', '--base-url', `${suite.server.url}/v1`, '--model', 'gpt-4o', '--no-stream', '--json', 'hi']);
		const output = parseJson(run);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(suite.server.requests[0].json?.stream, false);
		assert.deepEqual(output.steps.map((s) => [s.text, s.finish]), [['Whole answer.', 'stop']]);
	});
});
