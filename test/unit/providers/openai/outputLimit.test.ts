// The output limit the OpenAI adapter sends by default: a gateway routing to an Anthropic model answers
// "max_tokens: Field required" without one; api.openai.com's reasoning models reject max_tokens and want
// max_completion_tokens; Mistral rejects max_completion_tokens (https://github.com/Gitlawb/openclaude/issues/739).
import * as assert from 'node:assert/strict';
import { buildRequestBody } from '../../../../src/providers/openai/buildRequestBody';
import { applyQuirks, resolveQuirks } from '../../../../src/providers/quirks';
import type { ChatRequest, ProviderSettings } from '../../../../src/providers/types';

const settings = (extra: Partial<ProviderSettings> = {}): ProviderSettings => ({ id: 'p', protocol: 'openai', baseUrl: 'https://gateway.example/v1', ...extra });
const request = (model: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ model, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [], ...extra });
const limitOf = (body: Record<string, unknown>) => ({ max_tokens: body.max_tokens, max_completion_tokens: body.max_completion_tokens });

describe('OpenAI adapter: the output limit sent by default', () => {
	it('sends the model\'s known limit as max_tokens to hosts other than api.openai.com', () => {
		assert.deepEqual(limitOf(buildRequestBody(request('anthropic/claude-sonnet-4-5'), settings()).body), { max_tokens: 64_000, max_completion_tokens: undefined });
	});

	it('sends max_completion_tokens to api.openai.com', () => {
		assert.deepEqual(limitOf(buildRequestBody(request('o3-mini'), settings({ baseUrl: 'https://api.openai.com/v1' })).body), { max_tokens: undefined, max_completion_tokens: 100_000 });
	});

	it('falls back to the host\'s default (switchboard.reserveOutputTokens) for a model it does not know', () => {
		assert.equal(buildRequestBody(request('my-local-model'), settings({ defaultOutputTokens: 2048 })).body.max_tokens, 2048);
		assert.equal(buildRequestBody(request('my-local-model'), settings()).body.max_tokens, 4096);
	});

	it('lets the provider set it, or turn it off with null', () => {
		assert.equal(buildRequestBody(request('gpt-4o'), settings({ maxOutputTokens: 1000 })).body.max_tokens, 1000);
		const off = buildRequestBody(request('gpt-4o'), settings({ maxOutputTokens: null })).body;
		assert.ok(!('max_tokens' in off) && !('max_completion_tokens' in off));
	});

	it('lets a model override the provider through the quirks setting, null included', () => {
		const overrides = { 'claude': { maxOutputTokens: 8000 }, 'gemma': { maxOutputTokens: null } };
		const forModel = (model: string) => buildRequestBody(applyQuirks(request(model), resolveQuirks(model, overrides)).request, settings({ maxOutputTokens: 1000 })).body;
		assert.equal(forModel('anthropic/claude-sonnet-4-5').max_tokens, 8000);
		assert.ok(!('max_tokens' in forModel('gemma-3-27b-it')));
		assert.equal(forModel('gpt-4o').max_tokens, 1000);
	});

	it('leaves the limit to extraBody when the user set one there, under either name', () => {
		const body = buildRequestBody(request('gpt-4o'), settings({ extraBody: { max_completion_tokens: 77 } })).body;
		assert.deepEqual(limitOf(body), { max_tokens: undefined, max_completion_tokens: 77 });
	});

	it('uses the request\'s own limit first', () => {
		assert.equal(buildRequestBody(request('gpt-4o', { maxOutputTokens: 1 }), settings({ maxOutputTokens: 1000 })).body.max_tokens, 1);
	});
});
