import * as assert from 'node:assert/strict';
import { errorFromResponse, errorFromStreamPayload, retryAfterFromHeaders, retryAfterFromText, toProviderError } from '../../../../src/providers/errors';
import { ProviderError } from '../../../../src/providers/types';
import { startScriptedServer } from '../../../support/scriptedServer';

const json = new Headers({ 'content-type': 'application/json' });

// Bodies below are the shapes the providers document or that users have posted in public issue threads.
const bodies = {
	openaiBadKey: '{"error":{"message":"Incorrect API key provided: sk-proj-abcDEF1234567890xyz. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
	openaiQuota: '{"error":{"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}',
	openaiRateLimit: '{"error":{"message":"Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 28039, Requested 3906. Please try again in 1.146s. Visit https://platform.openai.com/account/rate-limits to learn more.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}',
	openaiContext: '{"error":{"message":"This model\'s maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}',
	anthropicOverloaded: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
	anthropicTooLong: '{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"}}',
	anthropicMaxTokens: '{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5"}}',
	vertexArray: '[{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}]',
	vertexNotFound: '[{"error":{"code":404,"message":"Publisher Model `projects/p/locations/us-central1/publishers/meta/models/llama-9` not found.","status":"NOT_FOUND"}}]',
	deepseekBalance: '{"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}}',
	nginx502: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
	htmlLogin: '<!DOCTYPE html><html><head><title>Sign in - Corporate Proxy</title><style>body{color:red}</style></head><body><h1>Please sign in</h1><script>var a=1;</script></body></html>',
};

describe('errorFromResponse', () => {
	it('maps 401 to auth, names the fix and redacts the key the provider echoed', () => {
		const error = errorFromResponse(401, json, bodies.openaiBadKey);
		assert.equal(error.kind, 'auth');
		assert.equal(error.retryable, false);
		assert.match(error.message, /rejected the API key \(401\)/);
		assert.match(error.message, /Switchboard: Set API Key/);
		assert.match(error.message, /Incorrect API key provided/);
		assert.doesNotMatch(error.message, /abcDEF1234567890xyz/);
		assert.doesNotMatch(error.details.providerMessage ?? '', /abcDEF1234567890xyz/);
	});

	it('redacts bearer tokens and Google access tokens from provider messages', () => {
		const error = errorFromResponse(400, json, '{"error":{"message":"bad header Authorization: Bearer ya29.a0AfH6SMBxyz123456789 and Bearer abcdefghijklmnop"}}');
		assert.doesNotMatch(error.message, /ya29\.a0AfH6|abcdefghijklmnop/);
		assert.match(error.message, /Bearer \[redacted\]/);
	});

	it('maps 403 to auth, but a 403 about billing or credit to quota', () => {
		assert.equal(errorFromResponse(403, json, '{"error":{"message":"Project does not have access to model gpt-5"}}').kind, 'auth');
		const billing = errorFromResponse(403, json, '{"error":{"type":"billing_error","message":"Your credit balance is too low to access the API."}}');
		assert.equal(billing.kind, 'quota');
		assert.match(billing.message, /billing/);
	});

	it('maps a quota 429 to quota, never retryable', () => {
		const error = errorFromResponse(429, json, bodies.openaiQuota);
		assert.equal(error.kind, 'quota');
		assert.equal(error.retryable, false);
		assert.match(error.message, /billing/);
		assert.match(error.message, /You exceeded your current quota/);
	});

	it('maps 402 Insufficient Balance (DeepSeek) to quota', () => {
		const error = errorFromResponse(402, json, bodies.deepseekBalance);
		assert.equal(error.kind, 'quota');
		assert.match(error.message, /Insufficient Balance/);
	});

	it('maps a rate-limit 429 to a retryable rate-limit with the wait the body asks for', () => {
		const error = errorFromResponse(429, json, bodies.openaiRateLimit);
		assert.equal(error.kind, 'rate-limit');
		assert.equal(error.retryable, true);
		assert.equal(error.details.retryAfterMs, 1146);
		assert.match(error.message, /Please try again in 1\.146s/);
	});

	it('reads a Google/Vertex JSON array body; "check quota" on RESOURCE_EXHAUSTED stays a retryable rate limit', () => {
		const error = errorFromResponse(429, json, bodies.vertexArray);
		assert.equal(error.kind, 'rate-limit');
		assert.equal(error.retryable, true);
		assert.equal(error.details.providerMessage, 'Resource has been exhausted (e.g. check quota).');
	});

	it('maps 404 to not-found and points at the base URL and model id', () => {
		const error = errorFromResponse(404, json, bodies.vertexNotFound);
		assert.equal(error.kind, 'not-found');
		assert.match(error.message, /base URL and the model id/);
		assert.match(error.message, /Publisher Model .* not found/);
	});

	it('maps context-length wording on a 400 to context-length (OpenAI and Anthropic), and 413 always', () => {
		assert.equal(errorFromResponse(400, json, bodies.openaiContext).kind, 'context-length');
		assert.equal(errorFromResponse(400, json, bodies.anthropicTooLong).kind, 'context-length');
		assert.equal(errorFromResponse(413, json, '{"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."}}').kind, 'context-length');
	});

	it('keeps an output max_tokens complaint a bad-request', () => {
		const error = errorFromResponse(400, json, bodies.anthropicMaxTokens);
		assert.equal(error.kind, 'bad-request');
		assert.equal(error.retryable, false);
		assert.match(error.message, /max_tokens: 100000 > 64000/);
	});

	it('maps 529 and overloaded_error to a retryable overloaded', () => {
		const error = errorFromResponse(529, json, bodies.anthropicOverloaded);
		assert.equal(error.kind, 'overloaded');
		assert.equal(error.retryable, true);
		assert.equal(errorFromResponse(503, json, bodies.anthropicOverloaded).kind, 'overloaded');
	});

	it('maps 500/502/503/504 to a retryable server error and 408 to a retryable network error', () => {
		for (const status of [500, 502, 503, 504]) {
			const error = errorFromResponse(status, json, '{"error":{"message":"upstream failed"}}');
			assert.equal(error.kind, 'server', String(status));
			assert.equal(error.retryable, true);
		}
		const timeout = errorFromResponse(408, json, 'Request Timeout');
		assert.equal(timeout.kind, 'network');
		assert.equal(timeout.retryable, true);
	});

	it('turns an nginx HTML page into readable text with its title and says it is not an API response', () => {
		const error = errorFromResponse(502, new Headers({ 'content-type': 'text/html' }), bodies.nginx502);
		assert.equal(error.kind, 'server');
		assert.match(error.message, /HTML page, not an API response — check the base URL/);
		assert.equal(error.details.providerMessage, '502 Bad Gateway — nginx');
		assert.doesNotMatch(error.message, /<center>|<h1>/);
	});

	it('recognises HTML by its content even without a content-type, dropping scripts and styles', () => {
		const error = errorFromResponse(404, new Headers(), bodies.htmlLogin);
		assert.equal(error.kind, 'not-found');
		assert.equal(error.details.providerMessage, 'Sign in - Corporate Proxy — Please sign in');
	});

	it('keeps a plain-text body verbatim', () => {
		const error = errorFromResponse(400, new Headers({ 'content-type': 'text/plain' }), 'model "foo" is not supported here');
		assert.equal(error.kind, 'bad-request');
		assert.equal(error.details.providerMessage, 'model "foo" is not supported here');
		assert.match(error.message, /model "foo" is not supported here/);
	});

	it('prefers retry-after-ms, then retry-after seconds, then the body', () => {
		const both = new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' });
		assert.equal(errorFromResponse(429, both, bodies.openaiRateLimit).details.retryAfterMs, 1500);
		assert.equal(errorFromResponse(429, new Headers({ 'retry-after': '7' }), bodies.openaiRateLimit).details.retryAfterMs, 7000);
		assert.equal(errorFromResponse(503, new Headers(), '{"error":{"message":"busy"}}').details.retryAfterMs, undefined);
	});
});

describe('retry-after parsing', () => {
	it('reads an HTTP date in retry-after as the time left until then', () => {
		const when = new Date(Date.now() + 5000).toUTCString();
		const ms = retryAfterFromHeaders(new Headers({ 'retry-after': when }));
		assert.ok(ms !== undefined && ms > 3000 && ms <= 5000, String(ms));
		assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after': new Date(Date.now() - 60_000).toUTCString() })), 0);
		assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after': 'soon' })), undefined);
	});

	it('reads "try again in" with ms, s and minutes, and Google retryDelay', () => {
		assert.equal(retryAfterFromText('Please try again in 20ms.'), 20);
		assert.equal(retryAfterFromText('Please try again in 1.146s.'), 1146);
		assert.equal(retryAfterFromText('Please retry after 3 seconds'), 3000);
		assert.equal(retryAfterFromText('try again in 2 minutes'), 120_000);
		assert.equal(retryAfterFromText('{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay": "20s"}'), 20_000);
		assert.equal(retryAfterFromText('no hint here'), undefined);
	});
});

describe('errorFromStreamPayload', () => {
	it('classifies an Anthropic `event: error` overloaded payload as retryable overloaded without inventing a status', () => {
		const error = errorFromStreamPayload({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
		assert.equal(error.kind, 'overloaded');
		assert.equal(error.retryable, true);
		assert.equal(error.status, undefined);
		assert.match(error.message, /Overloaded/);
	});

	it('classifies OpenAI-compatible error chunks by type, code and numeric code', () => {
		assert.equal(errorFromStreamPayload({ error: { message: 'Rate limit', type: 'rate_limit_error' } }).kind, 'rate-limit');
		assert.equal(errorFromStreamPayload({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota' } }).kind, 'quota');
		const gateway = errorFromStreamPayload({ error: { code: 502, message: 'Provider returned error' } });
		assert.equal(gateway.kind, 'server');
		assert.equal(gateway.status, 502);
		const unknown = errorFromStreamPayload({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
		assert.equal(unknown.kind, 'server');
		assert.match(unknown.message, /The server had an error while processing your request\./);
	});

	it('accepts the raw data text of an error event', () => {
		assert.equal(errorFromStreamPayload('{"type":"error","error":{"type":"api_error","message":"Internal server error"}}').kind, 'server');
	});
});

describe('toProviderError', () => {
	it('returns a ProviderError unchanged', () => {
		const original = new ProviderError('quota', 'x');
		assert.equal(toProviderError(original), original);
	});

	it('maps an aborted signal or an AbortError to aborted', () => {
		const controller = new AbortController();
		controller.abort();
		assert.equal(toProviderError(new TypeError('fetch failed'), controller.signal).kind, 'aborted');
		assert.equal(toProviderError(new DOMException('This operation was aborted', 'AbortError')).kind, 'aborted');
	});

	it('maps real fetch failures (refused, unresolvable host) to retryable network errors that name the cause', async () => {
		const server = await startScriptedServer();
		const closedUrl = server.url;
		await server.close();
		const refused = toProviderError(await fetch(closedUrl).catch((e: unknown) => e));
		assert.equal(refused.kind, 'network');
		assert.equal(refused.retryable, true);
		assert.match(refused.message, /ECONNREFUSED/);
		const unknownHost = toProviderError(await fetch('http://switchboard-test.invalid/').catch((e: unknown) => e));
		assert.equal(unknownHost.kind, 'network');
		assert.match(unknownHost.message, /ENOTFOUND|EAI_AGAIN/);
		assert.match(unknownHost.message, /check the base URL/);
	});

	it('maps ECONNRESET in the cause chain to network', () => {
		const reset = new TypeError('terminated', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
		const error = toProviderError(reset);
		assert.equal(error.kind, 'network');
		assert.match(error.message, /ECONNRESET/);
	});

	it('maps a SyntaxError from parsing an HTML body as JSON to invalid-response', () => {
		let thrown: unknown;
		try {
			JSON.parse('<!DOCTYPE html><html></html>');
		} catch (e) {
			thrown = e;
		}
		const error = toProviderError(thrown);
		assert.equal(error.kind, 'invalid-response');
		assert.match(error.message, /HTML page, not an API response — check the base URL/);
	});
});
