// How a response ends: truncation is never success, errors arrive classified, aborting closes the request.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openaiSse, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { collect, ofType, openaiProvider, request } from './support';

const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({ choices: [{ index: 0, delta, finish_reason: finishReason }] });
const openCall = chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'edit_file', arguments: '{"path":"a.ts","text":"unfin' } }] });

describe('OpenAI adapter: how responses end', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	it('marks the open call incomplete when finish_reason is "length", and finishes with length', async () => {
		server.push(openaiSse([chunk({ content: 'Editing.' }), openCall, chunk({}, 'length')]));
		const { events, error } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.equal(error, undefined);
		assert.equal(ofType(events, 'tool-call').length, 0);
		const [failure] = ofType(events, 'tool-call-error');
		assert.deepEqual([failure.reason, failure.callId, failure.rawInput], ['incomplete', 'c1', '{"path":"a.ts","text":"unfin']);
		assert.deepEqual(events.at(-1), { type: 'finish', reason: 'length' });
	});

	it('keeps the calls that closed before the one cut by "length"', async () => {
		const whole = chunk({ tool_calls: [{ index: 0, id: 'call_0', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] });
		const cut = chunk({ tool_calls: [{ index: 1, id: 'call_1', function: { name: 'read_file', arguments: '{"pa' } }] });
		server.push(openaiSse([whole, cut, chunk({}, 'length')]));
		const { events } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.deepEqual(ofType(events, 'tool-call').map((e) => e.providerId), ['call_0']);
		assert.deepEqual(ofType(events, 'tool-call-error').map((e) => [e.providerId, e.reason]), [['call_1', 'incomplete']]);
	});

	it('after a socket reset mid-call emits the partial text, marks the call incomplete and throws interrupted', async () => {
		server.push({ ...openaiSse([chunk({ content: 'Partial ' }), openCall], { done: false }), reset: true });
		const { events, error } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.deepEqual(ofType(events, 'text-delta'), [{ type: 'text-delta', delta: 'Partial ' }]);
		assert.deepEqual(ofType(events, 'tool-call-error').map((e) => [e.callId, e.reason]), [['c1', 'incomplete']]);
		assert.equal(ofType(events, 'finish').length, 0);
		assert.equal(error?.kind, 'interrupted');
	});

	it('throws interrupted when the stream ends cleanly without any finish_reason, even after [DONE]', async () => {
		for (const done of [true, false]) {
			server.push(openaiSse([chunk({ content: 'Half an ans' }), openCall], { done }));
			const { events, error } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
			assert.equal(error?.kind, 'interrupted', `done: ${done}`);
			assert.deepEqual(ofType(events, 'tool-call-error').map((e) => e.reason), ['incomplete']);
			assert.equal(ofType(events, 'finish').length, 0);
		}
	});

	it('treats DeepSeek finish_reason "insufficient_system_resource" as an interruption', async () => {
		server.push(openaiSse([chunk({ content: 'Cut' }), chunk({}, 'insufficient_system_resource')]));
		const { error } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.equal(error?.kind, 'interrupted');
	});

	it('keeps a finished response when the connection drops after finish_reason, with a warning', async () => {
		server.push({ ...openaiSse([chunk({ content: 'Done.' }), chunk({}, 'stop')], { done: false }), reset: true });
		const { events, error } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.equal(error, undefined);
		assert.deepEqual(events.map((e) => e.type), ['text-delta', 'warning', 'finish']);
	});

	it('throws an {"error":…} chunk inside a 200 stream as a classified ProviderError, after the text before it', async () => {
		server.push(openaiSse([chunk({ content: 'Hel' }), { error: { message: 'Rate limit reached for requests', type: 'rate_limit_error', code: 'rate_limit_exceeded' } }], { done: false }));
		const { events, error } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.deepEqual(events, [{ type: 'text-delta', delta: 'Hel' }]);
		assert.equal(error?.kind, 'rate-limit');
		assert.match(error?.message ?? '', /Rate limit reached/);
	});

	it('throws a 401 JSON error body as an auth ProviderError with status 401', async () => {
		server.push({ status: 401, body: JSON.stringify({ error: { message: 'Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key' } }) });
		const { events, error } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.deepEqual(events, []);
		assert.deepEqual([error?.kind, error?.status], ['auth', 401]);
		assert.match(error?.message ?? '', /Incorrect API key/);
	});

	it('throws a 502 HTML page as a server ProviderError, not as markup', async () => {
		server.push({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>' });
		const { error } = await collect(openaiProvider(server.url).stream(request(), new AbortController().signal));
		assert.deepEqual([error?.kind, error?.status, error?.retryable], ['server', 502, true]);
		assert.match(error?.message ?? '', /502 Bad Gateway/);
		assert.doesNotMatch(error?.message ?? '', /<center>/);
	});

	it('retries a 502 before any output, through streamWithRetries, and then succeeds', async () => {
		server.push({ status: 502, body: 'bad gateway' }, openaiSse([chunk({ content: 'ok' }, 'stop')]));
		const sleeps: number[] = [];
		const provider = openaiProvider(server.url, { maxRetries: 1 }, { sleep: async (ms) => void sleeps.push(ms) });
		const { events, error } = await collect(provider.stream(request(), new AbortController().signal));
		assert.equal(error, undefined);
		assert.deepEqual(events.map((e) => e.type), ['retry', 'text-delta', 'finish']);
		assert.equal(sleeps.length, 1);
		assert.equal(server.requests.length, 2);
	});

	it('throws aborted when cancelled mid-stream, and the server sees the socket close', async () => {
		let requestClosed: Promise<void> = Promise.resolve();
		const local = http.createServer((_request, res) => {
			requestClosed = new Promise((resolve) => res.on('close', () => resolve()));
			res.writeHead(200, { 'content-type': 'text/event-stream' });
			res.write(`data: ${JSON.stringify(chunk({ content: 'Streaming…' }))}\n\n`);
			// Then nothing: only the client's abort can end this request.
		});
		await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = local.address() as AddressInfo;
			const controller = new AbortController();
			const events: string[] = [];
			const run = (async () => {
				for await (const event of openaiProvider(`http://127.0.0.1:${port}`).stream(request(), controller.signal)) {
					events.push(event.type);
					controller.abort();
				}
			})();
			await assert.rejects(run, (error: Error & { kind?: string }) => error.kind === 'aborted');
			assert.deepEqual(events, ['text-delta']);
			await requestClosed;
		} finally {
			local.closeAllConnections();
			await new Promise((resolve) => local.close(resolve));
		}
	});

	it('throws aborted without sending anything when the signal is already aborted', async () => {
		const controller = new AbortController();
		controller.abort();
		const { error } = await collect(openaiProvider(server.url).stream(request(), controller.signal));
		assert.equal(error?.kind, 'aborted');
		assert.equal(server.requests.length, 0);
	});

	it('fails a stream that stalls after part of the answer, longer than timeoutMs, as interrupted (the part kept)', async () => {
		server.push({ ...openaiSse([chunk({ content: 'Then silence' })], { done: false }), stall: true });
		const { events, error } = await collect(openaiProvider(server.url, { timeoutMs: 200, maxRetries: 0 }).stream(request(), new AbortController().signal));
		assert.deepEqual(events, [{ type: 'text-delta', delta: 'Then silence' }]);
		assert.equal(error?.kind, 'interrupted');
		assert.match(error?.message ?? '', /^No data from the provider for 200 ms\. Try again; raise the timeout/);
	});

	it('fails a stream that stalls before any answer as a retryable network error, as the Anthropic adapter does', async () => {
		server.push({ ...openaiSse([chunk({ role: 'assistant' })], { done: false }), stall: true });
		const { events, error } = await collect(openaiProvider(server.url, { timeoutMs: 200, maxRetries: 0 }).stream(request(), new AbortController().signal));
		assert.deepEqual(events.filter((event) => event.type !== 'warning'), []);
		assert.deepEqual([error?.kind, error?.retryable], ['network', true]);
		assert.match(error?.message ?? '', /^No data from the provider for 200 ms\./);
	});
});
