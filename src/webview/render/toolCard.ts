// One tool call as a card: summary, state, collapsible arguments and result, and the approval controls.
// The card is keyed by our callId and updated in place; what the user opened or typed survives updates.
import type { Risk, ToolCall, ToolCallState, ToolProgress } from '../../shared/toolCall';
import { button, h } from '../dom';
import { icon } from './icon';
import { t, type StringKey } from '../l10n';

export interface CardActions {
	approve(callId: string, alwaysAllow: boolean): void;
	deny(callId: string, reason: string | undefined): void;
}

const stateLabels: Record<ToolCallState, StringKey> = {
	'streaming': 'stateStreaming',
	'awaiting-approval': 'stateAwaiting',
	'running': 'stateRunning',
	'done': 'stateDone',
	'error': 'stateError',
	'denied': 'stateDenied',
	'invalid': 'stateInvalid',
	'incomplete': 'stateIncomplete',
};

const riskLabels: Record<Risk, StringKey> = { read: 'riskRead', write: 'riskWrite', execute: 'riskExecute' };

// Codicon per state, as VS Code's own lists show progress and outcome.
const stateIcons: Record<ToolCallState, string> = {
	'streaming': 'loading',
	'awaiting-approval': 'question',
	'running': 'loading',
	'done': 'check',
	'error': 'error',
	'denied': 'circle-slash',
	'invalid': 'warning',
	'incomplete': 'warning',
};

/** States in which the call did not do what was asked: shown as a failure, never as a green check. */
const failedStates: ReadonlySet<ToolCallState> = new Set(['error', 'denied', 'invalid', 'incomplete']);

const previewChars = 1500;
const previewLines = 20;

export class ToolCard {
	readonly element: HTMLElement;
	private call: ToolCall;
	private argumentsOpen = false;
	private resultOpen = true;
	private showAll = false;
	private denyOpen = false;
	private reason = '';
	private alwaysAllow = false;
	/** Set once the user answered, so a double click cannot post twice before the host's update arrives. */
	private answered = false;
	/** Where the keyboard goes after the next render (the reason box once Deny is pressed). */
	private pendingFocus: string | undefined;

	constructor(call: ToolCall, private readonly actions: CardActions) {
		this.call = call;
		this.element = h('div', { role: 'group', class: 'tool-card', tabindex: '-1' });
		this.render();
	}

	update(call: ToolCall): void {
		if (call.state !== this.call.state) this.answered = false;
		this.call = call;
		this.render();
	}

	/** Approves through the batch button; behaves like the card's own button. */
	markAnswered(): void {
		this.answered = true;
		this.render();
	}

	private render(): void {
		const call = this.call;
		const focusKey = this.element.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.focus : undefined;
		const hadFocus = this.element.contains(document.activeElement);
		// The state is part of the card's name, so a screen reader hears "failed" as the eye sees the red cross.
		this.element.setAttribute('aria-label', t('toolCallLabel', call.toolName, t(stateLabels[call.state])));
		this.element.className = `tool-card state-${call.state}${failedStates.has(call.state) ? ' failed' : ''}`;
		this.element.setAttribute('aria-busy', String(call.state === 'streaming' || call.state === 'running'));

		// The whole target, wrapped, never cut: what is approved must be readable in a narrow side bar. The badge and
		// state move to their own line when the summary needs the width.
		const header = h('div', { class: 'tool-header' },
			h('span', { class: 'tool-title' },
				h('span', { class: 'tool-status', 'aria-hidden': 'true' }, icon(stateIcons[call.state], stateIcons[call.state] === 'loading')),
				h('span', { class: 'tool-summary' }, call.summary || call.toolName)),
			h('span', { class: 'tool-meta' },
				call.risk && h('span', { class: `tool-risk risk-${call.risk}`, title: t('risk', t(riskLabels[call.risk])) }, t(riskLabels[call.risk])),
				h('span', { class: 'tool-state' }, t(stateLabels[call.state]))),
		);
		const parts: Node[] = [header];
		if (call.state === 'running' && call.progress) parts.push(progressRow(call.progress, call.summary || call.toolName));
		if (call.detail) parts.push(h('div', { class: 'tool-detail' }, h('span', { class: 'visually-hidden' }, t('commandLine')), h('code', {}, call.detail)));
		if (call.state === 'awaiting-approval' && call.approval.forcedReason) parts.push(h('div', { class: 'tool-warning' }, call.approval.forcedReason));
		if (call.state === 'denied' && call.reason) parts.push(h('div', { class: 'tool-note' }, t('deniedReason', call.reason)));
		if (call.state === 'invalid' || call.state === 'incomplete') parts.push(h('div', { class: 'tool-note' }, call.message));
		parts.push(this.section(t('arguments'), call.argumentsText, this.argumentsOpen, (open) => { this.argumentsOpen = open; }, 'arguments'));
		if (call.state === 'done' || call.state === 'error') parts.push(this.resultSection(call.result.text, call.result.truncated, call.result.totalChars));
		if (call.state === 'awaiting-approval') parts.push(this.approvalControls(call.approval.offerAlwaysAllow));
		this.element.replaceChildren(...parts);

		const wanted = this.pendingFocus ?? focusKey;
		this.pendingFocus = undefined;
		if (hadFocus || wanted) {
			const target = wanted ? this.element.querySelector<HTMLElement>(`[data-focus="${wanted}"]:not([disabled])`) : null;
			(target ?? this.element).focus();
		}
	}

	/** A collapsible section whose text is put in the DOM only once it is open (most stay closed). */
	private section(title: string, text: string, open: boolean, onToggle: (open: boolean) => void, key: string): HTMLDetailsElement {
		const summary = h('summary', { 'data-focus': `${key}-summary` }, title);
		const details = h('details', { class: `tool-section section-${key}`, open }, summary);
		let filled = false;
		const fill = (): void => {
			if (filled) return;
			filled = true;
			summary.after(h('pre', { class: 'tool-pre' }, text));
		};
		if (open) fill();
		// The click comes before the browser opens the section, so its first paint has the text already.
		summary.addEventListener('click', fill);
		details.addEventListener('toggle', () => {
			if (details.open) fill();
			onToggle(details.open);
		});
		return details;
	}

	private resultSection(text: string, truncatedByHost: boolean, totalChars: number | undefined): HTMLDetailsElement {
		const lines = text.split('\n');
		const long = text.length > previewChars || lines.length > previewLines;
		const shown = long && !this.showAll ? lines.slice(0, previewLines).join('\n').slice(0, previewChars) : text;
		const details = this.section(t('result'), shown, this.resultOpen, (open) => { this.resultOpen = open; }, 'result');
		if (long && !this.showAll) {
			details.append(button(t('showAll'), () => { this.showAll = true; this.render(); }, { class: 'link-button', 'data-focus': 'show-all' }));
		}
		if (truncatedByHost) details.append(h('div', { class: 'tool-note' }, t('truncatedByHost', totalChars ? `${text.length} of ${totalChars}` : text.length)));
		return details;
	}

	private approvalControls(offerAlwaysAllow: boolean): HTMLElement {
		const callId = this.call.callId;
		const controls = h('div', { class: 'tool-actions' });
		if (this.denyOpen) {
			const input = h('input', { type: 'text', class: 'deny-reason', 'aria-label': t('denyReason'), placeholder: t('denyReason'), 'data-focus': 'reason' });
			input.value = this.reason;
			input.addEventListener('input', () => { this.reason = input.value; });
			const confirm = (): void => {
				if (this.answered) return;
				this.answered = true;
				this.actions.deny(callId, this.reason.trim() || undefined);
				this.render();
			};
			input.addEventListener('keydown', (event) => {
				if (event.key === 'Enter') { event.preventDefault(); confirm(); }
				if (event.key === 'Escape') { event.preventDefault(); event.stopPropagation(); this.denyOpen = false; this.pendingFocus = 'deny'; this.render(); }
			});
			controls.append(
				input,
				button(t('confirmDeny'), confirm, { class: 'secondary', disabled: this.answered, 'data-focus': 'confirm-deny' }),
				button(t('cancel'), () => { this.denyOpen = false; this.pendingFocus = 'deny'; this.render(); }, { class: 'secondary', 'data-focus': 'cancel-deny' }),
			);
			return controls;
		}
		const approve = button(t('approve'), () => {
			if (this.answered) return;
			this.answered = true;
			this.actions.approve(callId, this.alwaysAllow);
			this.render();
		}, { class: 'primary', disabled: this.answered, 'data-focus': 'approve' });
		const deny = button(t('deny'), () => { this.denyOpen = true; this.pendingFocus = 'reason'; this.render(); }, { class: 'secondary', disabled: this.answered, 'data-focus': 'deny' });
		controls.append(approve, deny);
		if (offerAlwaysAllow) {
			const checkbox = h('input', { type: 'checkbox', 'data-focus': 'always-allow' });
			checkbox.checked = this.alwaysAllow;
			checkbox.addEventListener('change', () => { this.alwaysAllow = checkbox.checked; });
			controls.append(h('label', { class: 'always-allow' }, checkbox, t('alwaysAllow', this.call.toolName)));
		}
		return controls;
	}
}

/** The tool's own progress: a bar when it knows the fraction done, and its message in its own words. */
function progressRow(progress: ToolProgress, label: string): HTMLElement {
	const row = h('div', { class: 'tool-progress' });
	if (progress.fraction !== undefined) {
		const fraction = Math.min(1, Math.max(0, progress.fraction));
		row.append(h('progress', { max: '1', value: String(fraction), 'aria-label': label }), h('span', { class: 'tool-progress-percent' }, `${Math.round(fraction * 100)}%`));
	}
	if (progress.message) row.append(h('span', { class: 'tool-progress-message' }, progress.message));
	return row;
}
