// What reaches the server: auth, headers, extra body fields, tool_choice, limits. Recorded by the scripted server.
import * as assert from 'node:assert/strict';
import { openaiSse, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import type { ToolChoice, ToolSpec } from '../../../../src/providers/types';
import { collect, openaiProvider, request } from './support';

const done = () => openaiSse([{ choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] }]);
const readFile: ToolSpec = { name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } };

describe('OpenAI adapter: the request on the wire', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	it('sends no Authorization header when the credential source has no key (local servers)', async () => {
		server.push(done());
		await collect(openaiProvider(server.url, {}, { credentials: { get: async () => undefined, invalidate: () => false } }).stream(request(), new AbortController().signal));
		assert.equal(server.requests[0].headers.authorization, undefined);
	});

	it('asks the credential source again on every attempt', async () => {
		server.push({ status: 503, body: '{"error":{"message":"busy"}}' }, done());
		let calls = 0;
		const credentials = { get: async () => `token-${++calls}`, invalidate: () => false };
		await collect(openaiProvider(server.url, { maxRetries: 1 }, { credentials, sleep: async () => undefined }).stream(request(), new AbortController().signal));
		assert.deepEqual(server.requests.map((r) => r.headers.authorization), ['Bearer token-1', 'Bearer token-2']);
	});

	it('sends the configured headers and no OpenAI organization or project from the environment', async () => {
		server.push(done());
		process.env.OPENAI_ORG_ID = 'org-should-not-leak';
		try {
			await collect(openaiProvider(server.url, { headers: { 'X-Gateway-Tenant': 'team-a' } }).stream(request(), new AbortController().signal));
		} finally {
			delete process.env.OPENAI_ORG_ID;
		}
		const headers = server.requests[0].headers;
		assert.equal(headers['x-gateway-tenant'], 'team-a');
		assert.equal(headers['openai-organization'], undefined);
	});

	it('merges extra body fields into a streamed request, keeping include_usage and the stream flag', async () => {
		server.push(done());
		const extraBody = { tool_options: { thoughts_output: true }, stream_options: { chunk_size: 2 }, stream: false, top_k: 20 };
		await collect(openaiProvider(server.url, { extraBody }).stream(request(), new AbortController().signal));
		const body = server.requests[0].json ?? {};
		assert.deepEqual([body.tool_options, body.stream_options, body.stream, body.top_k], [{ thoughts_output: true }, { include_usage: true, chunk_size: 2 }, true, 20]);
	});

	const choices: Array<[ToolChoice, unknown]> = [
		['auto', 'auto'],
		['none', 'none'],
		['required', 'required'],
		[{ name: 'read_file' }, { type: 'function', function: { name: 'read_file' } }],
	];
	for (const [choice, wire] of choices) {
		it(`maps tool choice ${JSON.stringify(choice)} to tool_choice ${JSON.stringify(wire)}`, async () => {
			server.push(done());
			await collect(openaiProvider(server.url).stream(request({ tools: [readFile], toolChoice: choice }), new AbortController().signal));
			assert.deepEqual(server.requests[0].json?.tool_choice, wire);
		});
	}

	it('omits tools and tool_choice when there are no tools, warning about a forced choice', async () => {
		server.push(done());
		const { events } = await collect(openaiProvider(server.url).stream(request({ toolChoice: 'required' }), new AbortController().signal));
		const body = server.requests[0].json ?? {};
		assert.deepEqual(['tools' in body, 'tool_choice' in body], [false, false]);
		assert.equal(events[0].type, 'warning');
	});

	it('sends max_tokens and temperature when the request sets them', async () => {
		server.push(done());
		await collect(openaiProvider(server.url).stream(request({ maxOutputTokens: 512, temperature: 0.2 }), new AbortController().signal));
		const body = server.requests[0].json ?? {};
		assert.deepEqual([body.max_tokens, body.temperature], [512, 0.2]);
	});
});
