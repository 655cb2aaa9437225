// Both adapters through a real open-source AI gateway run locally: Portkey's gateway (@portkey-ai/gateway, pinned in
// devDependencies) in front of the scripted server, both protocols, streamed and not. The gateway forwards to the
// scripted server as a custom host (x-portkey-provider + x-portkey-custom-host, loopback is a trusted host by default).
//
// Gateway bug, not ours: with @hono/node-server 1.14 and later (npm picks 1.19 for the gateway's "^1.3.3"), every
// streamed answer fails inside the gateway with 500 {"status":"failure","message":"Something went wrong"} and
// "TypeError: immutable" in its log: it wraps the upstream fetch Response as `new Response(stream, upstream)`, and
// that Response class keeps the upstream's immutable Headers, to which the gateway then appends its own headers.
// package.json's `overrides` gives the gateway @hono/node-server 1.12.2, which copies the headers.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { createProvider } from '../../../../src/providers/registry';
import { ProviderError, type ChatRequest, type Protocol, type StreamEvent } from '../../../../src/providers/types';
import { anthropicSse, openaiSse, startScriptedServer, type ScriptedResponse, type ScriptedServer } from '../../../support/scriptedServer';

const gatewayScript = path.join(__dirname, '..', '..', '..', '..', 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');

interface Gateway {
	url: string;
	log: () => string;
	stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

async function startGateway(): Promise<Gateway> {
	const port = await freePort();
	const child: ChildProcess = spawn(process.execPath, [gatewayScript, `--port=${port}`, '--headless'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test' } });
	let log = '';
	child.stdout?.setEncoding('utf8').on('data', (text: string) => (log += text));
	child.stderr?.setEncoding('utf8').on('data', (text: string) => (log += text));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the gateway exited (${child.exitCode}):\n${log}`);
		try {
			await fetch(`${url}/v1/models`, { signal: AbortSignal.timeout(1000) });
			break;
		} catch {
			if (Date.now() > deadline) throw new Error(`the gateway did not start in 30 s:\n${log}`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
	return {
		url,
		log: () => log,
		stop: () => new Promise<void>((resolve) => {
			if (child.exitCode !== null) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
		}),
	};
}

const weatherTool = { name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const request: ChatRequest = { model: 'test-model', messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] }], tools: [weatherTool] };

/** A streamed tool call in each protocol's documented shape (OpenAI function-calling guide; Anthropic streaming docs). */
function toolCallAnswer(protocol: Protocol, stream: boolean): ScriptedResponse {
	if (protocol === 'openai') {
		if (!stream) {
			return { body: JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1700000000, model: 'test-model', choices: [{ index: 0, message: { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] }, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 } }) };
		}
		const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1700000000, model: 'test-model', choices: [{ index: 0, delta, finish_reason: finish }] });
		return openaiSse([
			chunk({ role: 'assistant', content: 'Checking.' }),
			chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
			chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
			chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }),
			chunk({}, 'tool_calls'),
		]);
	}
	if (!stream) {
		return { body: JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'test-model', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }], stop_reason: 'tool_use', stop_sequence: null, usage: { input_tokens: 20, output_tokens: 9 } }) };
	}
	return anthropicSse([
		['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'test-model', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 20, output_tokens: 1 } } }],
		['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
		['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking.' } }],
		['content_block_stop', { type: 'content_block_stop', index: 0 }],
		['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } }],
		['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } }],
		['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"Oslo"}' } }],
		['content_block_stop', { type: 'content_block_stop', index: 1 }],
		['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 9 } }],
		['message_stop', { type: 'message_stop' }],
	]);
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error?: ProviderError }> {
	const seen: StreamEvent[] = [];
	try {
		for await (const event of events) seen.push(event);
		return { events: seen };
	} catch (error) {
		if (error instanceof ProviderError) return { events: seen, error };
		throw error;
	}
}

describe('through a real AI gateway (Portkey, run locally)', function () {
	this.timeout(60_000);
	let gateway: Gateway;
	let server: ScriptedServer;
	before(async () => {
		gateway = await startGateway();
	});
	after(async () => {
		await gateway?.stop();
	});
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	const provider = (protocol: Protocol, stream: boolean, headers: Record<string, string> = {}) => createProvider(
		{
			id: 'portkey',
			protocol,
			// The Anthropic SDK appends /v1/messages itself.
			baseUrl: protocol === 'openai' ? `${gateway.url}/v1` : gateway.url,
			stream,
			maxRetries: 0,
			headers: { 'x-portkey-provider': protocol, 'x-portkey-custom-host': `${server.url}/v1`, ...headers },
		},
		{ credentials: { get: async () => 'sk-test-through-gateway', invalidate: () => false } },
	);

	for (const protocol of ['openai', 'anthropic'] as const) {
		for (const stream of [true, false]) {
			const mode = `${protocol}, ${stream ? 'streamed' : 'not streamed'}`;

			it(`${mode}: reads the answer and its tool call, and the request reaches the upstream with an output limit`, async () => {
				server.push(toolCallAnswer(protocol, stream));
				const { events, error } = await collect(provider(protocol, stream).stream(request, new AbortController().signal));
				assert.equal(error, undefined, `${error?.message}\n${gateway.log().slice(-2000)}`);
				const text = events.flatMap((event) => event.type === 'text-delta' ? [event.delta] : []).join('');
				assert.equal(text, 'Checking.');
				const calls = events.flatMap((event) => event.type === 'tool-call' ? [[event.toolName, event.input]] : []);
				assert.deepEqual(calls, [['get_weather', { city: 'Oslo' }]]);
				assert.deepEqual(events.at(-1), { type: 'finish', reason: 'tool_calls', ...(protocol === 'anthropic' && { raw: 'tool_use' }) });
				const upstream = server.requests[0];
				assert.equal(upstream.url, protocol === 'openai' ? '/v1/chat/completions' : '/v1/messages');
				assert.equal(upstream.json?.max_tokens, 4096, 'the output limit a gateway routing to Claude requires');
				assert.equal(upstream.json?.stream, stream);
			});

			it(`${mode}: shows the upstream's own words from a flat error body passed on by the gateway`, async () => {
				// Mistral's flat body, https://github.com/solbrowse/extension/issues/16
				server.push({ status: 400, body: '{"object":"error","message":"Assistant message must have either content or tool_calls, but not none.","type":"invalid_request_error","param":null,"code":null}' });
				const { error } = await collect(provider(protocol, stream).stream(request, new AbortController().signal));
				assert.equal(error?.kind, 'bad-request', gateway.log().slice(-2000));
				assert.match(error?.message ?? '', /Provider said: .*Assistant message must have either content or tool_calls, but not none\./);
			});

			it(`${mode}: shows the gateway's own {status:"failure"} error in its words`, async () => {
				const { error } = await collect(provider(protocol, stream, { 'x-portkey-provider': 'no-such-provider' }).stream(request, new AbortController().signal));
				assert.equal(error?.status, 400);
				assert.match(error?.message ?? '', /Provider said: Invalid provider passed/);
				assert.equal(server.requests.length, 0);
			});
		}
	}

	it('openai, streamed: an upstream failure forwarded as finish_reason "overloaded_error" is a retryable error, not success', async () => {
		const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1700000000, model: 'test-model', choices: [{ index: 0, delta, finish_reason: finish }] });
		server.push(openaiSse([chunk({ role: 'assistant', content: 'The first half' }), chunk({}, 'overloaded_error')]));
		const { events, error } = await collect(provider('openai', true).stream(request, new AbortController().signal));
		assert.deepEqual(events.filter((event) => event.type === 'text-delta'), [{ type: 'text-delta', delta: 'The first half' }]);
		assert.equal(events.some((event) => event.type === 'finish'), false);
		assert.equal(error?.kind, 'overloaded');
		assert.equal(error?.retryable, true);
	});
});
