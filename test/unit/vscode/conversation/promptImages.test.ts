// A prompt with images: the message the model gets and the turn the panel shows, the size and format limits checked
// again on the host, the models that may not get images, and what Export Chat writes for images, tokens and cost.
import * as assert from 'node:assert/strict';
import { userMessage, userTurn, textOnlyModels } from '../../../../src/vscode/conversation/promptMessage';
import { base64Bytes, imageLimits, imageProblem } from '../../../../src/shared/imageLimits';
import { toMarkdown } from '../../../../src/vscode/conversation/conversationText';
import type { ImageAttachment } from '../../../../src/shared/protocol';
import { estimateMessageTokens } from '../../../../src/chat/context/tokenEstimate';

const png: ImageAttachment = { mediaType: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', name: 'dot.png' };

describe('prompt with images', () => {
	it('puts the images before the text in the model message, and keeps them on the turn', () => {
		assert.deepEqual(userMessage('What is this?', [png]), { role: 'user', content: [{ type: 'image', mediaType: 'image/png', data: png.data }, { type: 'text', text: 'What is this?' }] });
		assert.deepEqual(userMessage('', [png]).content.map((part) => part.type), ['image']);
		assert.deepEqual(userTurn('t1', 'What is this?', [png]), { role: 'user', turnId: 't1', text: 'What is this?', images: [png] });
		assert.deepEqual(userTurn('t1', 'hi', []), { role: 'user', turnId: 't1', text: 'hi' });
	});

	it('counts an image as a fixed share of the context window, never its base64 length', () => {
		const large: ImageAttachment = { mediaType: 'image/jpeg', data: Buffer.alloc(3_000_000).toString('base64') };
		const tokens = estimateMessageTokens(userMessage('', [large]));
		assert.ok(tokens >= 1600 && tokens < 1700, String(tokens));
	});

	it('names the models of an entry that read no images (none for the editor\'s own models)', () => {
		assert.deepEqual(textOnlyModels({ id: 'd', preset: 'deepseek', models: ['deepseek-chat', 'gpt-4o'], headers: {}, extraBody: {} }), ['deepseek-chat']);
		assert.deepEqual(textOnlyModels({ id: 'd', models: ['deepseek-chat'], headers: {}, extraBody: {}, quirks: { 'deepseek-chat': { images: true } } }), []);
		assert.deepEqual(textOnlyModels({ id: 'lm', protocol: 'vscode-lm', models: ['deepseek-chat'], headers: {}, extraBody: {} }), []);
	});
});

describe('image limits', () => {
	it('measures base64 without decoding it', () => {
		for (const size of [0, 1, 2, 3, 4, 1000]) assert.equal(base64Bytes(Buffer.alloc(size, 7).toString('base64')), size);
	});

	it('accepts the four formats within the limits and names what is wrong otherwise', () => {
		assert.equal(imageProblem([png]), undefined);
		assert.deepEqual(imageProblem([{ mediaType: 'image/bmp', data: png.data }]), { kind: 'type', mediaType: 'image/bmp' });
		assert.deepEqual(imageProblem([{ mediaType: 'image/png', data: 'not base64!' }]), { kind: 'data' });
		const big = Buffer.alloc(imageLimits.maxBytes + 1).toString('base64');
		assert.deepEqual(imageProblem([{ mediaType: 'image/jpeg', data: big }]), { kind: 'size', bytes: imageLimits.maxBytes + 1 });
		assert.equal(imageProblem([{ mediaType: 'image/jpeg', data: Buffer.alloc(imageLimits.maxBytes).toString('base64') }]), undefined);
		assert.deepEqual(imageProblem(Array.from({ length: imageLimits.maxCount + 1 }, () => png)), { kind: 'count', count: imageLimits.maxCount + 1 });
	});
});

describe('Export Chat: images, tokens and cost', () => {
	it('embeds the images, shows each turn\'s tokens and cost (tokens only without a price) and the chat total', () => {
		const markdown = toMarkdown({ id: 'c', title: 'Pictures', turns: [
			{ role: 'user', turnId: 'u1', text: 'What is this?', images: [png] },
			{ role: 'assistant', turnId: 'a1', segments: [{ kind: 'text', text: 'A dot.' }], finish: 'stop', usage: { inputTokens: 10_000, outputTokens: 1_000, cachedInputTokens: 4_000 }, price: { input: 2.5, cachedInput: 1.25, output: 10, currency: 'USD' } },
			{ role: 'user', turnId: 'u2', text: 'And now?' },
			{ role: 'assistant', turnId: 'a2', segments: [{ kind: 'text', text: 'Still a dot.' }], finish: 'stop', usage: { inputTokens: 500, outputTokens: 20 } },
		] });
		assert.ok(markdown.includes(`## You\n\n![dot.png](data:image/png;base64,${png.data})\n\nWhat is this?`));
		assert.ok(markdown.includes('*Tokens: 10,000 in (4,000 cached), 1,000 out, cost $0.0300*'));
		assert.ok(markdown.includes('*Tokens: 500 in, 20 out*'));
		assert.ok(markdown.includes('*Chat total: 10,500 tokens in, 1,020 out, cost $0.0300 (1 turn without a price)*'));
	});
});
