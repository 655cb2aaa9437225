import * as assert from 'node:assert/strict';
import { estimateMessageTokens, estimatePromptTokens, estimateTextTokens, TokenCalibration } from '../../../../src/chat/context/tokenEstimate';
import type { ChatMessage } from '../../../../src/shared/chat';

// Bounds from the vendors' rules of thumb: English runs at about 4 characters or 0.75 words per token; a Chinese
// character is one token or a little less (o200k) or more (cl100k); JSON and code split at every quote and brace.
const english = 'The extension keeps a conversation with the model in memory, sends it with every request, and shows the '
	+ 'answer as it streams in. When the conversation grows longer than the model can read at once, older tool results '
	+ 'are shortened first and the oldest turns are then summarized, so the latest exchange always stays intact.';
const chinese = '这个扩展把与模型的对话保存在内存中，每次请求都会发送完整的历史，并在回答流式返回时显示出来。'
	+ '当对话长度超过模型一次能够读取的上限时，会先缩短较早的工具结果，再把最早的几轮对话总结成一条消息。';
const json = JSON.stringify({
	files: [
		{ path: 'src/chat/agentLoop.ts', lines: 162, exports: ['runAgentLoop', 'defaultMaxSteps'] },
		{ path: 'src/providers/types.ts', lines: 162, exports: ['ProviderError'] },
	],
	truncated: false,
}, null, 2);

function words(text: string): number {
	return text.split(/\s+/).filter(Boolean).length;
}

describe('token estimate', () => {
	it('puts English prose near four characters per token', () => {
		const tokens = estimateTextTokens(english);
		assert.ok(tokens >= english.length / 5 && tokens <= english.length / 3.2, `${tokens} tokens for ${english.length} chars`);
		assert.ok(tokens >= words(english) && tokens <= words(english) * 1.6, `${tokens} tokens for ${words(english)} words`);
	});

	it('counts about one token per Chinese character', () => {
		const han = [...chinese].length;
		const tokens = estimateTextTokens(chinese);
		assert.ok(tokens >= han * 0.8 && tokens <= han * 1.3, `${tokens} tokens for ${han} characters`);
	});

	it('weighs JSON heavier per character than prose, between two and four characters per token', () => {
		const tokens = estimateTextTokens(json);
		assert.ok(tokens >= json.length / 4 && tokens <= json.length / 2, `${tokens} tokens for ${json.length} chars`);
		assert.ok(tokens / json.length > estimateTextTokens(english) / english.length);
	});

	it('counts emoji and other characters outside the BMP as more than one token', () => {
		assert.equal(estimateTextTokens(''), 0);
		assert.ok(estimateTextTokens('🙂🙂🙂🙂') >= 4);
	});

	it('counts tool calls, tool results and replayed reasoning signatures in a message', () => {
		const bare: ChatMessage = { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }] };
		const withCall: ChatMessage = { role: 'assistant', content: [
			{ type: 'reasoning', text: '', signature: 'x'.repeat(400) },
			{ type: 'text', text: 'Checking.' },
			{ type: 'tool-call', id: 'c1', providerId: 'call_1', toolName: 'read_file', input: { path: 'src/chat/agentLoop.ts' } },
		] };
		assert.ok(estimateMessageTokens(withCall) >= estimateMessageTokens(bare) + 100 + 8);
		const result: ChatMessage = { role: 'tool', content: [{ type: 'tool-result', callId: 'c1', toolName: 'read_file', output: { type: 'text', value: english } }] };
		assert.ok(estimateMessageTokens(result) > estimateTextTokens(english));
	});

	it('adds the system prompt and tool definitions to a request\'s estimate', () => {
		const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }];
		const plain = estimatePromptTokens({ messages });
		const full = estimatePromptTokens({
			system: english, messages,
			tools: [{ name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }],
		});
		assert.ok(full > plain + estimateTextTokens(english));
	});
});

describe('token calibration', () => {
	it('scales estimates by the provider\'s count of the last request', () => {
		const calibration = new TokenCalibration();
		assert.equal(calibration.apply(100), 100);
		calibration.observe(150, 100);
		assert.equal(calibration.apply(200), 300);
	});

	it('ignores zero usage and clamps implausible factors', () => {
		const calibration = new TokenCalibration();
		calibration.observe(0, 100);
		assert.equal(calibration.factor, 1);
		calibration.observe(100_000, 10);
		assert.equal(calibration.factor, TokenCalibration.maxFactor);
		calibration.observe(1, 1000);
		assert.equal(calibration.factor, TokenCalibration.minFactor);
	});

	it('after an overflow counts the refused request as over the limit, or as what the provider counted', () => {
		const guessed = new TokenCalibration();
		guessed.observeOverflow(1000, 1200);
		assert.ok(guessed.apply(1000) > 1200);
		const told = new TokenCalibration();
		told.observeOverflow(1000, 1200, 1500);
		assert.equal(told.apply(1000), 1500);
	});
});
