import * as assert from 'node:assert/strict';
import { anthropicSse, sseFixture, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { keyCredential, ofType, providerFor, run, weatherRequest } from './anthropicTestKit';
import { compatibleApiVersion, withApiVersion } from '../../../../src/providers/anthropic/anthropicProvider';

describe('Anthropic adapter: the request on the wire', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(async () => {
		await server.close();
	});

	async function send(...args: Parameters<typeof providerFor>): Promise<{ body: Record<string, unknown>; headers: Record<string, unknown>; url: string }> {
		server.push(sseFixture('anthropic-text.sse'));
		const { error } = await run(providerFor(...args), weatherRequest());
		assert.equal(error, undefined);
		const [request] = server.requests;
		return { body: request.json ?? {}, headers: request.headers, url: request.url };
	}

	it('posts a streamed request to <baseUrl>/v1/messages, also when the base URL ends in /v1', async () => {
		const first = await send(server);
		assert.equal(first.url, '/anthropic/v1/messages');
		assert.equal(first.body.stream, true);
		const again = await startScriptedServer([sseFixture('anthropic-text.sse')]);
		try {
			await run(providerFor(again, { baseUrl: `${again.url}/v1/` }), weatherRequest());
			assert.equal(again.requests[0].url, '/v1/messages');
		} finally {
			await again.close();
		}
	});

	it('sends an API key as x-api-key and no Authorization header', async () => {
		const { headers } = await send(server, {}, keyCredential('sk-ant-secret'));
		assert.equal(headers['x-api-key'], 'sk-ant-secret');
		assert.equal(headers.authorization, undefined);
	});

	it('sends a token from an auth command as a bearer token', async () => {
		const { headers } = await send(server, { auth: { type: 'command', command: 'print-token' } }, keyCredential('ya29.token'));
		assert.equal(headers.authorization, 'Bearer ya29.token');
		assert.equal(headers['x-api-key'], undefined);
	});

	it('sends no auth header at all when the credential source has none, never using the SDK\'s ambient credentials', async () => {
		// A key in the environment, and a profile the SDK's credential chain would fail to load if it looked.
		const ambient = { ANTHROPIC_API_KEY: 'sk-ant-from-environment', ANTHROPIC_PROFILE: 'switchboard-test-no-such-profile' };
		const saved = Object.fromEntries(Object.keys(ambient).map((name) => [name, process.env[name]]));
		Object.assign(process.env, ambient);
		try {
			const { headers } = await send(server, {}, keyCredential(undefined));
			assert.equal(headers.authorization, undefined);
			assert.equal(headers['x-api-key'], undefined);
		} finally {
			for (const [name, value] of Object.entries(saved)) {
				if (value === undefined) delete process.env[name];
				else process.env[name] = value;
			}
		}
	});

	it('adds settings.headers to every request, and lets a user-set auth header stand when there is no credential', async () => {
		const { headers } = await send(server, { headers: { 'x-gateway-tenant': 'team-a', 'x-api-key': 'from-settings' } }, keyCredential(undefined));
		assert.equal(headers['x-gateway-tenant'], 'team-a');
		assert.equal(headers['x-api-key'], 'from-settings');
	});

	it('merges settings.extraBody into the body on the wire', async () => {
		const { body } = await send(server, { extraBody: { thinking: { type: 'enabled', budget_tokens: 2048 }, metadata: { user_id: 'u1' }, max_tokens: 8000 } });
		assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 2048 });
		assert.deepEqual(body.metadata, { user_id: 'u1' });
		assert.equal(body.max_tokens, 8000, 'extraBody is the escape hatch and wins');
	});

	it('defaults max_tokens (required by the protocol) to 4096, or takes maxOutputTokens', async () => {
		assert.equal((await send(server)).body.max_tokens, 4096);
		server.push(sseFixture('anthropic-text.sse'));
		await run(providerFor(server), weatherRequest({ maxOutputTokens: 777 }));
		assert.equal(server.requests[1].json?.max_tokens, 777);
	});

	it('sends the system prompt as `system`, not as a message, and tools with their schema unchanged', async () => {
		server.push(sseFixture('anthropic-text.sse'));
		const loose = { properties: { city: { type: 'string' } }, type: 'object' };
		await run(providerFor(server), weatherRequest({ system: 'Be brief.', tools: [{ name: 'get_weather', description: 'Weather', inputSchema: loose }] }));
		const body = server.requests[0].json ?? {};
		assert.equal(body.system, 'Be brief.');
		assert.deepEqual(body.messages, [{ role: 'user', content: [{ type: 'text', text: 'What is the weather in San Francisco?' }] }]);
		assert.deepEqual(body.tools, [{ name: 'get_weather', description: 'Weather', input_schema: loose }]);
		assert.equal(server.requests[0].body.includes('"input_schema":{"properties":{"city":{"type":"string"}},"type":"object"}'), true, 'key order kept');
		assert.equal('tool_choice' in body, false, 'unset tool choice is left to the protocol default');
	});

	for (const [choice, wire] of [
		['auto', { type: 'auto' }],
		['required', { type: 'any' }],
		['none', { type: 'none' }],
		[{ name: 'get_weather' }, { type: 'tool', name: 'get_weather' }],
	] as const) {
		it(`maps tool choice ${JSON.stringify(choice)} to ${JSON.stringify(wire)}, keeping the tools`, async () => {
			server.push(sseFixture('anthropic-text.sse'));
			await run(providerFor(server), weatherRequest({ toolChoice: choice }));
			const body = server.requests[0].json ?? {};
			assert.deepEqual(body.tool_choice, wire);
			assert.equal((body.tools as unknown[]).length, 1);
		});
	}

	it('leaves temperature out with a warning under API version 2026-10-21 (pinned here), which rejects it', async () => {
		server.push(sseFixture('anthropic-text.sse'));
		const { events } = await run(providerFor(server, { headers: { 'Anthropic-Version': '2026-10-21' } }), weatherRequest({ temperature: 0.2 }));
		assert.equal('temperature' in (server.requests[0].json ?? {}), false);
		assert.equal(server.requests[0].headers['anthropic-version'], '2026-10-21', 'the user\'s header wins, whatever its case');
		assert.match(ofType(events, 'warning')[0].message, /temperature/);
	});

	it('sends a host other than Anthropic\'s (a gateway, a local server) anthropic-version 2023-06-01, and temperature', async () => {
		server.push(sseFixture('anthropic-text.sse'));
		const { events } = await run(providerFor(server), weatherRequest({ temperature: 0.2 }));
		assert.equal(server.requests[0].headers['anthropic-version'], compatibleApiVersion);
		assert.equal(compatibleApiVersion, '2023-06-01');
		assert.equal(server.requests[0].json?.temperature, 0.2);
		assert.equal(ofType(events, 'warning').length, 0);
	});

	it('leaves api.anthropic.com on the SDK\'s own API version', () => {
		const official = { id: 'a', protocol: 'anthropic' as const, baseUrl: 'https://api.anthropic.com', headers: { 'x-extra': '1' } };
		assert.deepEqual(withApiVersion(official), official);
		assert.deepEqual(withApiVersion({ ...official, baseUrl: 'https://api.ofox.ai/anthropic' }).headers, { 'x-extra': '1', 'anthropic-version': '2023-06-01' });
	});

	it('uses a non-streamed request when settings.stream is false and yields the same events', async () => {
		server.push({ body: JSON.stringify({ id: 'm', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hi' }], stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 1 } }) });
		const { events } = await run(providerFor(server, { stream: false, extraBody: { max_tokens: 64000 } }), weatherRequest());
		assert.equal(server.requests[0].json?.stream, false);
		assert.deepEqual(events, [
			{ type: 'text-delta', delta: 'Hi' },
			{ type: 'usage', usage: { inputTokens: 3, outputTokens: 1 } },
			{ type: 'finish', reason: 'stop', raw: 'end_turn' },
		]);
	});

	it('asks for a fresh credential on every attempt', async () => {
		let calls = 0;
		const counting = { get: async () => `key-${++calls}`, invalidate: () => false };
		server.push({ status: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' }, anthropicSse([['message_stop', { type: 'message_stop' }]]));
		await run(providerFor(server, { maxRetries: 1 }, counting), weatherRequest());
		assert.deepEqual(server.requests.map((request) => request.headers['x-api-key']), ['key-1', 'key-2']);
	});
});
