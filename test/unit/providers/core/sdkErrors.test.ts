// toProviderError against what the two official SDKs really throw, talking to the local scripted server.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import * as assert from 'node:assert/strict';
import { toProviderError } from '../../../../src/providers/errors';
import type { ProviderError } from '../../../../src/providers/types';
import { anthropicSse, openaiSse, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';

const key = 'sk-test-secret-key-0123456789';

async function thrownBy(run: () => Promise<unknown>, signal?: AbortSignal): Promise<ProviderError> {
	try {
		await run();
	} catch (error) {
		return toProviderError(error, signal);
	}
	throw new Error('expected the call to throw');
}

describe('toProviderError with the official SDKs', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	const openai = (options: { timeout?: number } = {}) => new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0, ...options });
	const anthropic = () => new Anthropic({ apiKey: key, baseURL: server.url, maxRetries: 0 });
	const chat = (client: OpenAI, signal?: AbortSignal) => async () => {
		const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal });
		for await (const chunk of stream) void chunk;
	};
	const message = (client: Anthropic) => async () => {
		const stream = client.messages.stream({ model: 'anthropic/claude-sonnet-4.5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
		for await (const event of stream) void event;
	};

	it('OpenAI AuthenticationError -> auth, with the provider message and no key', async () => {
		server.push({ status: 401, body: `{"error":{"message":"Incorrect API key provided: ${key}.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}` });
		const error = await thrownBy(chat(openai()));
		assert.equal(error.kind, 'auth');
		assert.equal(error.status, 401);
		assert.match(error.message, /Incorrect API key provided/);
		assert.ok(!error.message.includes(key));
	});

	it('OpenAI RateLimitError -> rate-limit with retry-after-ms from the headers', async () => {
		server.push({ status: 429, headers: { 'retry-after-ms': '250' }, body: '{"error":{"message":"Rate limit reached. Please try again in 20ms.","type":"requests","code":"rate_limit_exceeded"}}' });
		const error = await thrownBy(chat(openai()));
		assert.equal(error.kind, 'rate-limit');
		assert.equal(error.details.retryAfterMs, 250);
	});

	it('OpenAI error with an HTML body -> the page text, not the markup', async () => {
		server.push({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>' });
		const error = await thrownBy(chat(openai()));
		assert.equal(error.kind, 'server');
		assert.equal(error.retryable, true);
		assert.match(error.message, /HTML page/);
		assert.doesNotMatch(error.message, /<h1>/);
	});

	it('OpenAI stream error chunk inside a 200 -> classified by its type', async () => {
		server.push(openaiSse([{ error: { message: 'The server is overloaded', type: 'overloaded_error' } }], { done: false }));
		const error = await thrownBy(chat(openai()));
		assert.equal(error.kind, 'overloaded');
		assert.equal(error.retryable, true);
	});

	it('OpenAI APIConnectionError (refused) -> network; APIConnectionTimeoutError -> network; APIUserAbortError -> aborted', async () => {
		const dead = await startScriptedServer();
		const deadUrl = dead.url;
		await dead.close();
		const refused = await thrownBy(chat(new OpenAI({ apiKey: key, baseURL: deadUrl, maxRetries: 0 })));
		assert.equal(refused.kind, 'network');
		assert.match(refused.message, /ECONNREFUSED/);

		server.push({ chunks: [], stall: true });
		const timeout = await thrownBy(chat(openai({ timeout: 100 })));
		assert.equal(timeout.kind, 'network');
		assert.match(timeout.message, /timed out/);

		server.push({ chunks: [], stall: true });
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 50);
		const aborted = await thrownBy(chat(openai(), controller.signal));
		assert.equal(aborted.kind, 'aborted');
	});

	it('Anthropic 529 overloaded_error -> overloaded, retryable', async () => {
		server.push({ status: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' });
		const error = await thrownBy(message(anthropic()));
		assert.equal(error.kind, 'overloaded');
		assert.equal(error.status, 529);
		assert.equal(error.retryable, true);
	});

	it('Anthropic 400 prompt too long -> context-length', async () => {
		server.push({ status: 400, body: '{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"}}' });
		const error = await thrownBy(message(anthropic()));
		assert.equal(error.kind, 'context-length');
		assert.match(error.message, /prompt is too long/);
	});

	it('Anthropic JSON array body (Vertex shape) keeps the message', async () => {
		server.push({ status: 429, body: '[{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}]' });
		const error = await thrownBy(message(anthropic()));
		assert.equal(error.kind, 'rate-limit');
		assert.match(error.message, /Resource has been exhausted/);
	});

	it('Anthropic `event: error` mid-stream -> overloaded without a made-up status', async () => {
		server.push(anthropicSse([
			['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'anthropic/claude-sonnet-4.5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } }],
			['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
		]));
		const error = await thrownBy(message(anthropic()));
		assert.equal(error.kind, 'overloaded');
		assert.equal(error.status, undefined);
		assert.match(error.message, /Overloaded/);
	});
});

describe('toProviderError with SDK errors whose class names were minified away', () => {
	it('still tells connection and timeout errors from stream errors by their empty status and body', () => {
		class A extends Error {
			constructor(message: string, readonly status: undefined, readonly headers: undefined, readonly error: unknown, cause?: unknown) {
				super(message, { cause });
			}
		}
		const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
		assert.equal(toProviderError(new A('Connection error.', undefined, undefined, undefined, refused)).kind, 'network');
		assert.match(toProviderError(new A('Request timed out.', undefined, undefined, undefined)).message, /timed out/);
		assert.equal(toProviderError(new A('x', undefined, undefined, { message: 'Overloaded', type: 'overloaded_error' })).kind, 'overloaded');
	});
});
