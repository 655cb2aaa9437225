// What a turn cost: the provider's reported usage times the user's (or a preset's dated) prices per million tokens.
// No price, no cost: the panel and the export then show tokens only, never an estimate. Pure: host, CLI and webview.
import type { Usage } from './chat';

/** Prices per million tokens, in `currency` (ISO 4217; USD when the entry does not say). */
export interface ModelPrice {
	input: number;
	output: number;
	/** Input tokens served from the provider's prompt cache; the input price when unset. */
	cachedInput?: number;
	currency: string;
}

export interface Cost {
	amount: number;
	currency: string;
}

/** Cached tokens are part of the input count on both protocols (OpenAI prompt_tokens, our Anthropic sum). */
export function costOf(usage: Usage, price: ModelPrice): Cost {
	const cached = Math.min(Math.max(usage.cachedInputTokens ?? 0, 0), usage.inputTokens);
	const amount = ((usage.inputTokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output) / 1_000_000;
	return { amount, currency: price.currency };
}

export interface ChatTotal {
	usage: Usage;
	/** The sum over the turns that have a price, when they all share one currency. */
	cost?: Cost;
	/** Turns with usage but no price: their tokens are counted, their cost is not known. */
	unpriced: number;
}

/** The chat's total over its turns; a cost only when every priced turn is in the same currency. */
export function chatTotal(turns: ReadonlyArray<{ usage?: Usage; price?: ModelPrice }>): ChatTotal | undefined {
	const usage: Usage = { inputTokens: 0, outputTokens: 0 };
	let counted = 0;
	let unpriced = 0;
	let cost: Cost | undefined;
	let mixed = false;
	for (const turn of turns) {
		if (!turn.usage) continue;
		counted++;
		usage.inputTokens += turn.usage.inputTokens;
		usage.outputTokens += turn.usage.outputTokens;
		if (turn.usage.cachedInputTokens) usage.cachedInputTokens = (usage.cachedInputTokens ?? 0) + turn.usage.cachedInputTokens;
		if (!turn.price) {
			unpriced++;
			continue;
		}
		const turnCost = costOf(turn.usage, turn.price);
		if (cost && cost.currency !== turnCost.currency) mixed = true;
		cost = cost ? { amount: cost.amount + turnCost.amount, currency: cost.currency } : turnCost;
	}
	if (counted === 0) return undefined;
	return mixed || !cost ? { usage, unpriced } : { usage, cost, unpriced };
}

/** "$0.0123": cents for a dollar or more, four significant decimals below, so a cheap turn does not read as $0.00. */
export function formatCost(cost: Cost, locale = 'en-US'): string {
	const small = Math.abs(cost.amount) < 1;
	try {
		return new Intl.NumberFormat(locale, { style: 'currency', currency: cost.currency, minimumFractionDigits: small ? 4 : 2, maximumFractionDigits: small ? 4 : 2 }).format(cost.amount);
	} catch {
		// An unknown currency code: the number and the code the user wrote.
		return `${cost.amount.toFixed(small ? 4 : 2)} ${cost.currency}`;
	}
}
