import * as assert from 'node:assert/strict';
import { contextWindowFor, defaultContextWindow, parseOverflow, resolveContextWindow } from '../../../../src/chat/context/contextWindows';

describe('context windows', () => {
	it('knows the families of the presets\' example models', () => {
		const cases: Array<[string, number]> = [
			['gpt-4o', 128_000],
			['gpt-4o-mini', 128_000],
			['openai/gpt-4o', 128_000],
			['gpt-4.1', 1_047_576],
			['claude-sonnet-4-5', 200_000],
			['anthropic/claude-sonnet-4.5', 200_000],
			['deepseek-chat', 131_072],
			['deepseek-reasoner', 131_072],
			['deepseek-coder', 65_536],
			['qwen/qwen3-coder', 262_144],
			['qwen2.5-coder', 131_072],
			['meta/llama3-405b-instruct-maas', 131_072],
			['llama3.1', 131_072],
			['gpt-oss:20b', 131_072],
			['openai/gpt-oss-120b-instruct-maas', 131_072],
			['gemma-3-27b-it', 131_072],
			['gemma-2-9b-it', 8_192],
		];
		for (const [model, tokens] of cases) assert.equal(contextWindowFor(model), tokens, model);
	});

	it('reads a size written in the model name, such as ERNIE\'s -8k and -128k', () => {
		assert.deepEqual(resolveContextWindow('ernie-3.5-8k'), { tokens: 8192, source: 'model-name' });
		assert.deepEqual(resolveContextWindow('ernie-lite-pro-128k'), { tokens: 131_072, source: 'model-name' });
		assert.equal(contextWindowFor('qwen2.5-7b-instruct-1m'), 1_048_576);
		assert.equal(contextWindowFor('ernie-4.0'), 8192, 'an ERNIE model without a size gets the small window');
	});

	it('falls back to a conservative default for an unknown model', () => {
		assert.deepEqual(resolveContextWindow('my-finetune'), { tokens: defaultContextWindow, source: 'default' });
		assert.equal(defaultContextWindow, 32_768);
	});

	it('lets settings override by pattern, first match wins, a bad RegExp matching as a substring', () => {
		const overrides = { '^gpt-4o-mini$': 16_000, 'gpt-4o': 64_000, 'my(model': 5000, 'zero': 0 };
		assert.deepEqual(resolveContextWindow('gpt-4o-mini', overrides), { tokens: 16_000, source: 'setting' });
		assert.equal(contextWindowFor('GPT-4o', overrides), 64_000);
		assert.equal(contextWindowFor('my(model-v2', overrides), 5000);
		assert.equal(contextWindowFor('zero-shot', overrides), defaultContextWindow, 'a non-positive override is ignored');
	});

	it('matches a pattern that makes a backtracking engine explode in linear time (RE2), on every call', () => {
		// V8's RegExp spends about 7 s on this pair: each way of splitting the id between the nested '+' is tried.
		const overrides = { '^([a-z0-9-]+)+Z$': 1000, '^(\\w|\\w\\w|-)*Z': 2000, 'sonnet': 150_000 };
		const started = Date.now();
		for (let turn = 0; turn < 50; turn++) assert.equal(contextWindowFor('claude-3-5-sonnet-20241022', overrides), 150_000);
		assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
	});

	it('matches a pattern RE2 cannot compile (a lookahead) as a substring, as it did an invalid RegExp', () => {
		assert.equal(contextWindowFor('model(?=x)-1', { 'model(?=x)': 7000 }), 7000);
		assert.equal(contextWindowFor('modelx', { 'model(?=x)': 7000 }), defaultContextWindow);
	});

	it('reads the limit and the counted tokens out of the providers\' overflow messages', () => {
		// The message shapes of the OpenAI and Anthropic errors in test/unit/providers/core/errors.test.ts.
		assert.deepEqual(parseOverflow('This model\'s maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.'), { limit: 128_000, actual: 130_512 });
		assert.deepEqual(parseOverflow('This model\'s maximum context length is 65536 tokens. However, you requested 70000 tokens (68000 in the messages, 2000 in the completion).'), { limit: 65_536, actual: 68_000 });
		assert.deepEqual(parseOverflow('prompt is too long: 208310 tokens > 200000 maximum'), { limit: 200_000, actual: 208_310 });
		assert.deepEqual(parseOverflow('Input is too long for requested model.'), {});
	});
});
