// What Export Chat adds beside the text: a prompt's images (embedded as data URLs, so the file stands alone), each
// turn's tokens and cost, and the chat's total. No price, no cost: tokens only. Pure: no 'vscode'.
import { chatTotal, costOf, formatCost } from '../../shared/cost';
import type { TurnView } from '../../shared/protocol';

type AssistantTurn = Extract<TurnView, { role: 'assistant' }>;

const tokenCount = new Intl.NumberFormat('en-US');

export function imagesMarkdown(turn: Extract<TurnView, { role: 'user' }>): string {
	return (turn.images ?? []).map((image, index) => `![${(image.name ?? `image ${index + 1}`).replace(/[[\]\\]/g, '')}](data:${image.mediaType};base64,${image.data})`).join('\n\n');
}

export function usageMarkdown(turn: AssistantTurn): string | undefined {
	if (!turn.usage) return undefined;
	const { usage } = turn;
	const cached = usage.cachedInputTokens ? ` (${tokenCount.format(usage.cachedInputTokens)} cached)` : '';
	const cost = turn.price ? `, cost ${formatCost(costOf(usage, turn.price))}` : '';
	return `*Tokens: ${tokenCount.format(usage.inputTokens)} in${cached}, ${tokenCount.format(usage.outputTokens)} out${cost}*`;
}

export function totalMarkdown(turns: readonly TurnView[]): string | undefined {
	const total = chatTotal(turns.flatMap((turn) => turn.role === 'assistant' ? [turn] : []));
	if (!total) return undefined;
	const cost = total.cost ? `, cost ${formatCost(total.cost)}` : '';
	const unpriced = total.unpriced > 0 ? ` (${total.unpriced} turn${total.unpriced === 1 ? '' : 's'} without a price)` : '';
	return `---\n\n*Chat total: ${tokenCount.format(total.usage.inputTokens)} tokens in, ${tokenCount.format(total.usage.outputTokens)} out${cost}${unpriced}*`;
}
