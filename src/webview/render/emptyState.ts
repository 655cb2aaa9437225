// What Switchboard is and the two steps to start, with buttons that do each step from the panel. Until both are
// done the panel sends nothing: Enter points here instead (nextSetupStep), and the typed text stays in the box.
import type { ProviderView, ViewState } from '../../shared/protocol';
import { button, h } from '../dom';
import { t } from '../l10n';

export interface EmptyStateActions {
	addProvider(): void;
	setApiKey(provider: string | undefined): void;
}

/** The provider the steps are about: the selected one, else the first listed. */
function setupProvider(state: ViewState | undefined): ProviderView | undefined {
	return state?.providers.find((provider) => provider.id === state.selected?.provider) ?? state?.providers[0];
}

/** The first setup step still to do before a prompt can go anywhere (1: a provider with a model, 2: its key). */
export function nextSetupStep(state: ViewState | undefined): 1 | 2 | undefined {
	const selected = state?.selected;
	const provider = state?.providers.find((candidate) => candidate.id === selected?.provider);
	if (!selected || !provider || !provider.models.includes(selected.model)) return 1;
	if (provider.auth === 'apiKey' && !provider.hasKey) return 2;
	return undefined;
}

/** `pointed`: the user tried to send before setup; the step to do next is marked and a status line says why. */
export function renderEmptyState(container: HTMLElement, state: ViewState | undefined, actions: EmptyStateActions, pointed = false): void {
	const selected = setupProvider(state);
	const hasProvider = selected !== undefined;
	const hasKey = selected !== undefined && (selected.auth !== 'apiKey' || selected.hasKey);
	const next = pointed ? nextSetupStep(state) : undefined;
	const step = (done: boolean, number: number, content: Node): HTMLElement => h('li', { class: `step${done ? ' done' : ''}${next === number ? ' attention' : ''}` },
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

/** The status line under the steps (kept in the page, so a screen reader announces its change). */
export function renderSetupHint(hint: HTMLElement, state: ViewState | undefined, pointed: boolean): void {
	const next = pointed ? nextSetupStep(state) : undefined;
	const text = next ? t('setupFirst', next) : '';
	if (hint.textContent !== text) hint.textContent = text;
}
