import * as assert from 'node:assert/strict';
import { noAuth, staticKey } from '../../../../src/providers/auth';
import { listModels } from '../../../../src/providers/modelList';
import { ProviderError, type ProviderSettings } from '../../../../src/providers/types';
import { startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';

// Response shapes from the providers' API references: OpenAI "List models" (GET /v1/models) and Anthropic
// "List Models" (GET /v1/models, paged with has_more / last_id / after_id).
const openaiList = JSON.stringify({
	object: 'list',
	data: [
		{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
		{ id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' },
		{ id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' },
	],
});
const anthropicPage = (ids: string[], hasMore: boolean): string => JSON.stringify({
	data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-05-22T00:00:00Z' })),
	has_more: hasMore,
	first_id: ids[0],
	last_id: ids[ids.length - 1],
});
const json = { 'content-type': 'application/json' };

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof ProviderError, `not a ProviderError: ${String(error)}`);
		return error;
	}
	assert.fail('the listing did not fail');
}

describe('listModels', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	const openai = (extra: Partial<ProviderSettings> = {}): ProviderSettings => ({ id: 'local', protocol: 'openai', baseUrl: `${server.url}/v1`, ...extra });
	const anthropic = (extra: Partial<ProviderSettings> = {}): ProviderSettings => ({ id: 'claude', protocol: 'anthropic', baseUrl: server.url, ...extra });
	const signal = new AbortController().signal;

	it('OpenAI protocol: GET {baseUrl}/models with the key as a bearer token and the entry\'s headers; ids sorted, once each', async () => {
		server.push({ headers: json, body: openaiList });
		const ids = await listModels(openai({ headers: { 'x-team': 'blue' } }), { credentials: staticKey(async () => 'sk-test-123') }, signal);
		assert.deepEqual(ids, ['gpt-4o', 'gpt-4o-mini']);
		assert.equal(server.requests.length, 1);
		const [request] = server.requests;
		assert.equal(request.method, 'GET');
		assert.equal(request.url, '/v1/models');
		assert.equal(request.headers.authorization, 'Bearer sk-test-123');
		assert.equal(request.headers['x-team'], 'blue');
	});

	it('OpenAI protocol without a key (a local server): no Authorization header at all', async () => {
		server.push({ headers: json, body: openaiList });
		await listModels(openai({ auth: { type: 'none' } }), { credentials: noAuth() }, signal);
		assert.equal(server.requests[0].headers.authorization, undefined);
	});

	it('Anthropic protocol: GET /v1/models with x-api-key and anthropic-version, following every page', async () => {
		server.push({ headers: json, body: anthropicPage(['claude-sonnet-4-5', 'claude-opus-4-1'], true) }, { headers: json, body: anthropicPage(['claude-3-5-haiku-latest'], false) });
		// A base URL copied with its /v1 must not become /v1/v1/models.
		const ids = await listModels(anthropic({ baseUrl: `${server.url}/v1` }), { credentials: staticKey(async () => 'sk-ant-test') }, signal);
		assert.deepEqual(ids, ['claude-3-5-haiku-latest', 'claude-opus-4-1', 'claude-sonnet-4-5']);
		assert.equal(server.requests.length, 2);
		assert.match(server.requests[0].url, /^\/v1\/models(\?|$)/);
		assert.match(server.requests[1].url, /after_id=claude-opus-4-1/);
		for (const request of server.requests) {
			assert.equal(request.headers['x-api-key'], 'sk-ant-test');
			assert.equal(request.headers['anthropic-version'], '2023-06-01');
			assert.equal(request.headers.authorization, undefined);
		}
	});

	it('Anthropic protocol with a token command: the token goes as a bearer token', async () => {
		server.push({ headers: json, body: anthropicPage(['m1'], false) });
		await listModels(anthropic({ auth: { type: 'command', command: 'print-token' } }), { credentials: staticKey(async () => 'tok-1') }, signal);
		assert.equal(server.requests[0].headers.authorization, 'Bearer tok-1');
		assert.equal(server.requests[0].headers['x-api-key'], undefined);
	});

	it('a server with no such route (404): a typed not-found error in the server\'s words', async () => {
		server.push({ status: 404, headers: json, body: '{"error":{"code":"not_found","message":"The requested route /v2/models does not exist","type":"invalid_request_error"}}' });
		const error = await failure(listModels(openai(), { credentials: staticKey(async () => 'k') }, signal));
		assert.equal(error.kind, 'not-found');
		assert.equal(error.status, 404);
		assert.match(error.message, /route \/v2\/models does not exist/);
	});

	it('a rejected key is an auth error; an HTML page or an empty list is "listed no models"', async () => {
		server.push({ status: 401, headers: json, body: '{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}' });
		assert.equal((await failure(listModels(openai(), { credentials: staticKey(async () => 'bad') }, signal))).kind, 'auth');
		server.push({ headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html><body>Gateway home</body></html>' });
		const html = await failure(listModels(openai(), { credentials: noAuth() }, signal));
		assert.equal(html.kind, 'invalid-response');
		assert.match(html.message, /listed no models/);
		server.push({ headers: json, body: '{"object":"list","data":[]}' });
		assert.equal((await failure(listModels(openai(), { credentials: noAuth() }, signal))).kind, 'invalid-response');
	});

	it('a server that never answers gives up after the timeout with a network error; a cancel is "aborted"', async () => {
		server.push({ headers: json, chunks: [], stall: true });
		const slow = await failure(listModels(openai(), { credentials: noAuth() }, signal, { timeoutMs: 300 }));
		assert.equal(slow.kind, 'network');
		assert.match(slow.message, /did not list its models within 0.3 s/);
		server.push({ headers: json, chunks: [], stall: true });
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 100);
		assert.equal((await failure(listModels(openai(), { credentials: noAuth() }, controller.signal))).kind, 'aborted');
	});

	it('stops at maxModels when a server keeps paging', async () => {
		server.push((_request, index) => ({ headers: json, body: anthropicPage([`m${index}a`, `m${index}b`], true) }));
		server.push((_request, index) => ({ headers: json, body: anthropicPage([`m${index}a`, `m${index}b`], true) }));
		server.push((_request, index) => ({ headers: json, body: anthropicPage([`m${index}a`, `m${index}b`], true) }));
		const ids = await listModels(anthropic(), { credentials: staticKey(async () => 'k') }, signal, { maxModels: 5 });
		assert.equal(ids.length, 5);
		assert.equal(server.requests.length, 3);
	});
});
