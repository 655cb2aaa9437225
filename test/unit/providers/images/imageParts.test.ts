// Image parts on both protocols, as they reach the server: an OpenAI `image_url` data-URL content part and an
// Anthropic base64 `image` block, each in the SDK's own shape (ChatCompletionContentPartImage, Base64ImageSource).
// A provider's 400 about an image reaches the caller in the provider's own words.
import * as assert from 'node:assert/strict';
import { anthropicSse, openaiSse, startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { applyQuirks, resolveQuirks } from '../../../../src/providers/quirks';
import type { ChatRequest } from '../../../../src/providers/types';
import type { ChatMessage } from '../../../../src/shared/chat';
import { collect, openaiProvider } from '../openai/support';
import { providerFor, run } from '../anthropic/anthropicTestKit';

// A 1×1 transparent PNG.
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const withImage: ChatMessage[] = [{ role: 'user', content: [{ type: 'image', mediaType: 'image/png', data: png }, { type: 'text', text: 'What is in this picture?' }] }];

function imageRequest(model: string): ChatRequest {
	return { model, messages: withImage, tools: [] };
}

describe('Image parts on the wire', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	it('OpenAI: the user message becomes content parts, the image a base64 data URL in an image_url part', async () => {
		server.push(openaiSse([{ choices: [{ index: 0, delta: { content: 'A dot.' }, finish_reason: 'stop' }] }]));
		const outcome = await collect(openaiProvider(server.url).stream(imageRequest('gpt-4o'), new AbortController().signal));
		assert.equal(outcome.error, undefined);
		const messages = server.requests[0].json?.messages;
		assert.deepEqual(messages, [{ role: 'user', content: [
			{ type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
			{ type: 'text', text: 'What is in this picture?' },
		] }]);
	});

	it('OpenAI: a text-only message stays a plain string', async () => {
		server.push(openaiSse([{ choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] }]));
		await collect(openaiProvider(server.url).stream({ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [] }, new AbortController().signal));
		assert.deepEqual(server.requests[0].json?.messages, [{ role: 'user', content: 'hi' }]);
	});

	it('Anthropic: the image is a base64 image block before the text', async () => {
		server.push(anthropicSse([
			['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, usage: { input_tokens: 20, output_tokens: 1 } } }],
			['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
			['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'A dot.' } }],
			['content_block_stop', { type: 'content_block_stop', index: 0 }],
			['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } }],
			['message_stop', { type: 'message_stop' }],
		]));
		const outcome = await run(providerFor(server), imageRequest('claude-sonnet-4-5'));
		assert.equal(outcome.error, undefined);
		assert.deepEqual(server.requests[0].json?.messages, [{ role: 'user', content: [
			{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
			{ type: 'text', text: 'What is in this picture?' },
		] }]);
	});

	it('OpenAI: a 400 about the image is shown in the provider\'s own words', async () => {
		// The body OpenAI returns when a model takes no image input.
		server.push({ status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message: 'Invalid content type. image_url is only supported by certain models.', type: 'invalid_request_error', param: 'messages.[0].content.[0].type', code: null } }) });
		const outcome = await collect(openaiProvider(server.url).stream(imageRequest('some-text-model'), new AbortController().signal));
		assert.equal(outcome.error?.kind, 'bad-request');
		assert.match(outcome.error?.message ?? '', /image_url is only supported by certain models/);
	});

	it('Anthropic: a 400 about the image size is shown in the provider\'s own words', async () => {
		// As reported in https://github.com/anthropics/claude-code/issues/10612.
		server.push({ status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: 15908784 bytes > 5242880 bytes' } }) });
		const outcome = await run(providerFor(server), imageRequest('claude-sonnet-4-5'));
		assert.equal(outcome.error?.kind, 'bad-request');
		assert.match(outcome.error?.message ?? '', /image exceeds 5 MB maximum: 15908784 bytes > 5242880 bytes/);
	});
});

describe('Image capability in the model profile', () => {
	it('allows images for unknown and vision models, refuses known text-only families', () => {
		for (const model of ['gpt-4o', 'claude-sonnet-4-5', 'my-own-model', 'llama-3.2-11b-vision', 'qwen2.5-vl-72b']) assert.equal(resolveQuirks(model).images, true, model);
		for (const model of ['deepseek-chat', 'deepseek-reasoner', 'openai/gpt-oss-120b-instruct-maas', 'llama3.1', 'meta/llama3-405b-instruct-maas', 'qwen/qwen3-coder', 'ernie-3.5-8k']) assert.equal(resolveQuirks(model).images, false, model);
	});

	it('a user override wins both ways', () => {
		assert.equal(resolveQuirks('deepseek-chat', { 'deepseek-chat': { images: true } }).images, true);
		assert.equal(resolveQuirks('gpt-4o', { 'gpt-4o': { images: false } }).images, false);
	});

	it('older images go to a text-only model as a note, with a warning, the text kept', () => {
		const { request, warnings } = applyQuirks(imageRequest('deepseek-chat'), resolveQuirks('deepseek-chat'));
		assert.deepEqual(request.messages[0].content, [
			{ type: 'text', text: '[image (image/png) left out: this model reads no images]' },
			{ type: 'text', text: 'What is in this picture?' },
		]);
		assert.equal(warnings.length, 1);
	});
});
