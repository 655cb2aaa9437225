// The context meter above the composer: how full the model's context window was at the latest request. The summary
// of the oldest turns shows in the transcript where they were condensed; here only when the transcript has no turn
// to put it in (a conversation reopened after the compaction).
import type { ContextView } from '../../shared/protocol';
import { h } from '../dom';
import { t } from '../l10n';

/** From this share of the window on, the bar turns to the warning colour (compaction is near). */
const warnAt = 0.8;

export class ContextMeter {
	readonly element = h('section', { class: 'context', hidden: true });
	private readonly fill = h('div', { class: 'context-fill' });
	private readonly bar = h('div', { class: 'context-bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100' }, this.fill);
	private readonly label = h('span', { class: 'context-label' });
	private readonly summary = h('div', { class: 'context-summary' });

	constructor() {
		this.bar.setAttribute('aria-label', t('contextLabel'));
		this.element.append(h('div', { class: 'context-row' }, this.bar, this.label), this.summary);
	}

	update(context: ContextView, showSummary = true): void {
		const share = context.windowTokens > 0 ? Math.min(1, context.usedTokens / context.windowTokens) : 0;
		const percent = Math.round(share * 100);
		this.fill.style.width = `${percent}%`;
		this.bar.classList.toggle('warn', share >= warnAt);
		this.bar.setAttribute('aria-valuenow', String(percent));
		const text = t('contextUsed', percent, formatTokens(context.usedTokens), formatTokens(context.windowTokens));
		this.label.textContent = text;
		this.bar.title = context.elidedToolResults ? `${text} · ${t('contextElided', context.elidedToolResults)}` : text;
		this.renderSummary(showSummary ? context.summary : undefined);
		this.element.hidden = false;
	}

	/** A new or reopened conversation: nothing known until its next request. */
	clear(): void {
		this.element.hidden = true;
		this.summary.replaceChildren();
	}

	private renderSummary(summary: ContextView['summary']): void {
		const current = this.summary.firstElementChild;
		if (!summary) {
			this.summary.replaceChildren();
			return;
		}
		// Same summary as shown: keep the element, so a block the user opened stays open.
		if (current instanceof HTMLElement && current.dataset.text === summary.text) return;
		const heading = t(summary.byModel ? 'contextSummarized' : 'contextOmitted', summary.replacedCount);
		const details = h('details', { class: 'context-details' }, h('summary', {}, heading), h('div', { class: 'context-summary-text' }, summary.text));
		details.dataset.text = summary.text;
		this.summary.replaceChildren(details);
	}
}

/** 1234 → "1.2k", 128000 → "128k": the meter is a glance, not an invoice. */
export function formatTokens(tokens: number): string {
	if (tokens < 1000) return String(tokens);
	if (tokens < 1_000_000) return `${trim(tokens / 1000)}k`;
	return `${trim(tokens / 1_000_000)}M`;
}

function trim(value: number): string {
	return value >= 100 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}
