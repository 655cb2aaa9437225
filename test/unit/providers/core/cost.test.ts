// Cost arithmetic: usage × prices per million tokens, cached input at its own price, no price → no cost; and where a
// price comes from (the entry, else the preset's dated list, else none).
import * as assert from 'node:assert/strict';
import { chatTotal, costOf, formatCost, type ModelPrice } from '../../../../src/shared/cost';
import { priceOf } from '../../../../src/providers/modelPrices';
import { readProviderEntry, type EntryProblem } from '../../../../src/providers/providerConfig';

const gpt4o: ModelPrice = { input: 2.5, cachedInput: 1.25, output: 10, currency: 'USD' };

function close(actual: number, expected: number): void {
	assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);
}

describe('costOf', () => {
	it('prices input, cached input and output per million tokens', () => {
		// 10,000 prompt tokens of which 4,000 cached, 1,000 out: 6,000×2.5 + 4,000×1.25 + 1,000×10 = 30,000 µ$.
		const cost = costOf({ inputTokens: 10_000, outputTokens: 1_000, cachedInputTokens: 4_000 }, gpt4o);
		close(cost.amount, 0.03);
		assert.equal(cost.currency, 'USD');
	});

	it('charges cached tokens the input price when the model has no cached price', () => {
		close(costOf({ inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 500_000 }, { input: 1, output: 2, currency: 'USD' }).amount, 1);
	});

	it('never counts more cached tokens than input tokens', () => {
		close(costOf({ inputTokens: 100, outputTokens: 0, cachedInputTokens: 1_000 }, gpt4o).amount, 100 * 1.25 / 1e6);
	});
});

describe('chatTotal', () => {
	it('sums tokens over every turn and cost over the priced ones, counting the unpriced', () => {
		const total = chatTotal([
			{ usage: { inputTokens: 1_000, outputTokens: 100 }, price: gpt4o },
			{},
			{ usage: { inputTokens: 2_000, outputTokens: 200, cachedInputTokens: 1_000 } },
			{ usage: { inputTokens: 1_000, outputTokens: 100 }, price: gpt4o },
		]);
		assert.deepEqual(total?.usage, { inputTokens: 4_000, outputTokens: 400, cachedInputTokens: 1_000 });
		close(total?.cost?.amount ?? NaN, 2 * (1_000 * 2.5 + 100 * 10) / 1e6);
		assert.equal(total?.unpriced, 1);
	});

	it('gives no cost across currencies, and nothing at all without usage', () => {
		const total = chatTotal([
			{ usage: { inputTokens: 1, outputTokens: 1 }, price: gpt4o },
			{ usage: { inputTokens: 1, outputTokens: 1 }, price: { input: 2, output: 8, currency: 'CNY' } },
		]);
		assert.equal(total?.cost, undefined);
		assert.equal(chatTotal([{}]), undefined);
	});
});

describe('formatCost', () => {
	it('shows four decimals under one unit and cents above', () => {
		assert.equal(formatCost({ amount: 0.0123, currency: 'USD' }), '$0.0123');
		assert.equal(formatCost({ amount: 12.345, currency: 'USD' }), '$12.35');
		assert.equal(formatCost({ amount: 0.5, currency: 'CNY' }, 'zh-CN'), '¥0.5000');
	});
});

describe('priceOf', () => {
	it('takes the entry\'s price first, then the preset\'s list price for that exact model id, else none', () => {
		assert.deepEqual(priceOf({ preset: 'openai' }, 'gpt-4o'), gpt4o);
		assert.deepEqual(priceOf({ preset: 'openai', prices: { 'gpt-4o': { input: 1, output: 1, currency: 'USD' } } }, 'gpt-4o'), { input: 1, output: 1, currency: 'USD' });
		assert.equal(priceOf({ preset: 'openai' }, 'gpt-4o-2024-05-13'), undefined, 'no guess from a similar id');
		assert.equal(priceOf({ preset: 'openrouter' }, 'openai/gpt-4o'), undefined);
		assert.equal(priceOf({}, 'gpt-4o'), undefined);
		assert.ok(priceOf({ preset: 'anthropic' }, 'claude-sonnet-4-5'));
	});

	it('reads prices from a provider entry, dropping a malformed one with a problem naming the fix', () => {
		const problems: EntryProblem[] = [];
		const entry = readProviderEntry({ id: 'gw', preset: 'custom-openai', baseUrl: 'http://x', prices: {
			good: { input: 0.5, output: 1.5, cachedInput: 0.05 },
			yuan: { input: 2, output: 8, currency: 'CNY' },
			bad: { input: '0.5', output: 1 },
		} }, problems);
		assert.deepEqual(entry?.prices, { good: { input: 0.5, output: 1.5, cachedInput: 0.05, currency: 'USD' }, yuan: { input: 2, output: 8, currency: 'CNY' } });
		assert.equal(problems.length, 1);
		assert.deepEqual(problems[0].path, ['prices', 'bad']);
		assert.match(problems[0].message, /price per million tokens/);
	});
});
