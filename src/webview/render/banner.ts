// Error banners with the action that fixes them, and the transient "retrying in N s" notice.
import type { ErrorAction, ErrorBannerView } from '../../shared/protocol';
import { button, h } from '../dom';
import { icon, withIcon } from './icon';
import { t, type StringKey } from '../l10n';

const titles: Record<string, StringKey> = {
	'auth': 'errorAuth',
	'rate-limit': 'errorRateLimit',
	'quota': 'errorRateLimit',
	'network': 'errorNetwork',
	'server': 'errorServer',
	'overloaded': 'errorServer',
	'not-found': 'errorNotFound',
	'config': 'errorConfig',
};

const actionLabels: Record<ErrorAction, StringKey> = {
	'set-api-key': 'setApiKey',
	'retry': 'retry',
	'open-settings': 'openSettings',
};

export class Banners {
	private countdown: ReturnType<typeof setInterval> | undefined;
	private readonly errors = h('div', { class: 'banner-errors' });
	private readonly noticeText = h('span', {});
	private readonly notice = h('div', { class: 'banner-notice', role: 'status', hidden: true }, icon('warning'), this.noticeText);

	constructor(container: HTMLElement, private readonly onAction: (error: ErrorBannerView) => void) {
		container.append(this.errors, this.notice);
	}

	showError(error: ErrorBannerView): void {
		this.clearRetry();
		const banner = h('div', { class: `banner error kind-${error.kind}`, role: 'alert' });
		const dismiss = withIcon(button('', () => banner.remove(), { class: 'icon-button', 'aria-label': t('dismiss'), title: t('dismiss') }), 'close');
		const text = h('div', { class: 'banner-text' },
			icon('error'),
			h('strong', {}, t(titles[error.kind] ?? 'errorGeneric')),
			h('span', {}, ` ${error.message}`));
		const actions = h('div', { class: 'banner-actions' });
		if (error.action) actions.append(button(t(actionLabels[error.action]), () => this.onAction(error), { class: 'primary' }));
		actions.append(dismiss);
		// The actions float at the top right and the text flows beside and then under them, using the whole width
		// (a flex row squeezed it into a narrow column in a narrow side bar).
		banner.append(actions, text);
		// One banner at a time: the newest error is the one to fix.
		this.errors.replaceChildren(banner);
	}

	showRetry(attempt: number, delayMs: number, message: string): void {
		this.clearRetry();
		const until = Date.now() + delayMs;
		const tick = (): void => {
			const seconds = Math.max(0, Math.ceil((until - Date.now()) / 1000));
			this.noticeText.textContent = t('retrying', message, seconds, attempt);
			if (seconds === 0) this.stopCountdown();
		};
		this.notice.hidden = false;
		tick();
		this.countdown = setInterval(tick, 500);
	}

	clearRetry(): void {
		this.stopCountdown();
		// Called for every streamed delta: touch the DOM only when there is a notice to clear.
		if (this.notice.hidden) return;
		this.notice.hidden = true;
		this.noticeText.textContent = '';
	}

	clear(): void {
		this.clearRetry();
		this.errors.replaceChildren();
	}

	private stopCountdown(): void {
		if (this.countdown !== undefined) clearInterval(this.countdown);
		this.countdown = undefined;
	}
}
