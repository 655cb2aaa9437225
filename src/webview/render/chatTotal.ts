// The chat's running total under the transcript, once two answers have usage (one answer's footer says it all):
// tokens of every turn, and the cost of those whose model has a price (a note counts the turns without one, whose
// cost is unknown rather than zero).
import { chatTotal, formatCost } from '../../shared/cost';
import type { TurnView } from '../../shared/protocol';
import { h } from '../dom';
import { t } from '../l10n';

const tokenCount = new Intl.NumberFormat('en-US');

export class ChatTotalLine {
	readonly element = h('p', { class: 'chat-total', hidden: true });
	private shown = '';

	update(turns: readonly TurnView[]): void {
		const answers = turns.flatMap((turn) => turn.role === 'assistant' && turn.usage ? [turn] : []);
		const total = answers.length >= 2 ? chatTotal(answers) : undefined;
		let text = '';
		if (total) {
			text = t('chatTotal', t('tokens', tokenCount.format(total.usage.inputTokens), tokenCount.format(total.usage.outputTokens)));
			if (total.cost) {
				text += ` · ${t('cost', formatCost(total.cost))}`;
				if (total.unpriced > 0) text += ` (${t('unpricedTurns', total.unpriced)})`;
			}
		}
		// Refreshed after every message: the DOM is touched only when the line changes.
		if (text === this.shown) return;
		this.shown = text;
		this.element.textContent = text;
		this.element.hidden = text === '';
	}
}
