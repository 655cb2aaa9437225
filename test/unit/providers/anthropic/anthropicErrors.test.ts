import * as assert from 'node:assert/strict';
import { anthropicSse, sseFixture, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { ofType, providerFor, run, textOf, weatherRequest } from './anthropicTestKit';

describe('Anthropic adapter: errors', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(async () => {
		await server.close();
	});

	it('turns a 401 into ProviderError auth, with the provider message and without the key', async () => {
		server.push({ status: 401, body: '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}' });
		const { events, error } = await run(providerFor(server, { maxRetries: 2 }), weatherRequest());
		assert.equal(error?.kind, 'auth');
		assert.equal(error?.status, 401);
		assert.match(error?.message ?? '', /invalid x-api-key/);
		assert.doesNotMatch(error?.message ?? '', /sk-ant-test/);
		assert.equal(server.requests.length, 1, 'a static key is not retried');
		assert.deepEqual(events, []);
	});

	it('turns a 529 overloaded JSON body into ProviderError overloaded, retryable', async () => {
		server.push({ status: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' });
		const { error } = await run(providerFor(server), weatherRequest());
		assert.equal(error?.kind, 'overloaded');
		assert.equal(error?.status, 529);
		assert.equal(error?.retryable, true);
	});

	it('retries a 529 before any output, then streams the answer once', async () => {
		server.push({ status: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' }, sseFixture('anthropic-text.sse'));
		const { events, error } = await run(providerFor(server, { maxRetries: 2 }), weatherRequest());
		assert.equal(error, undefined);
		assert.equal(server.requests.length, 2);
		assert.equal(ofType(events, 'retry')[0].error.kind, 'overloaded');
		assert.equal(textOf(events), 'Hello!');
	});

	it('turns an error event inside a 200 stream into a classified error, after marking the open call incomplete', async () => {
		server.push(sseFixture('anthropic-error.sse'));
		const { events, error } = await run(providerFor(server, { maxRetries: 2 }), weatherRequest());
		assert.equal(textOf(events), 'Let me look.');
		assert.deepEqual(ofType(events, 'tool-call-error').map((event) => [event.providerId, event.reason, event.rawInput]), [['toolu_01ErrorMid', 'incomplete', '{"city": "Bei']]);
		assert.equal(ofType(events, 'tool-call').length, 0);
		assert.equal(error?.kind, 'overloaded');
		assert.match(error?.message ?? '', /Overloaded/);
		assert.equal(server.requests.length, 1, 'no retry once text reached the caller');
	});

	it('retries an error event that arrives before any content', async () => {
		server.push(
			anthropicSse([['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]]),
			sseFixture('anthropic-text.sse'),
		);
		const { events, error } = await run(providerFor(server, { maxRetries: 1 }), weatherRequest());
		assert.equal(error, undefined);
		assert.equal(textOf(events), 'Hello!');
	});

	it('reports a connection refused as network, not as a crash', async () => {
		const url = server.url;
		await server.close();
		const { error } = await run(providerFor({ ...server, url }), weatherRequest());
		assert.equal(error?.kind, 'network');
		server = await startScriptedServer();
	});
});
