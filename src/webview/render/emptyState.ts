// What Switchboard is and the two steps to start, with buttons that do each step from the panel.
import type { ViewState } from '../../shared/protocol';
import { button, h } from '../dom';
import { t } from '../l10n';

export interface EmptyStateActions {
	addProvider(): void;
	setApiKey(provider: string | undefined): void;
}

export function renderEmptyState(container: HTMLElement, state: ViewState | undefined, actions: EmptyStateActions): void {
	const selected = state?.providers.find((provider) => provider.id === state.selected?.provider) ?? state?.providers[0];
	const hasProvider = selected !== undefined;
	const hasKey = selected !== undefined && (selected.auth !== 'apiKey' || selected.hasKey);
	const step = (done: boolean, number: number, content: Node): HTMLElement => h('li', { class: done ? 'step done' : 'step' },
		h('span', { class: 'step-number', 'aria-hidden': 'true' }, done ? '✓' : String(number)),
		done ? h('span', { class: 'visually-hidden' }, t('stepDone')) : undefined,
		content);
	container.replaceChildren(
		h('h2', {}, t('emptyTitle')),
		h('p', {}, t('emptyIntro')),
		h('ol', { class: 'steps' },
			step(hasProvider, 1, button(t('emptyStep1'), actions.addProvider, { class: hasProvider ? 'secondary' : 'primary' })),
			step(hasKey, 2, button(t('emptyStep2'), () => actions.setApiKey(selected?.id), { class: hasProvider && !hasKey ? 'primary' : 'secondary', disabled: !hasProvider })),
			step(false, 3, h('span', {}, t('emptyStep3'))),
		),
	);
}
