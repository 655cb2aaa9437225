// The saved chats of this workspace: open or delete.
import type { HistoryEntry } from '../../shared/protocol';
import { button, h } from '../dom';
import { withIcon } from './icon';
import { t } from '../l10n';

export interface HistoryActions {
	open(id: string): void;
	remove(id: string): void;
}

export function renderHistory(container: HTMLElement, entries: readonly HistoryEntry[], actions: HistoryActions): void {
	if (entries.length === 0) {
		container.replaceChildren(h('p', { class: 'muted' }, t('noHistory')));
		return;
	}
	const items = [...entries].sort((a, b) => b.updatedAt - a.updatedAt).map((entry) => h('li', { class: 'history-item' },
		button(entry.title, () => actions.open(entry.id), { class: 'history-open', title: `${t('open')}: ${entry.title}` }),
		h('span', { class: 'history-date' }, new Date(entry.updatedAt).toLocaleString()),
		withIcon(button('', () => actions.remove(entry.id), { class: 'icon-button', 'aria-label': `${t('delete')}: ${entry.title}`, title: t('delete') }), 'trash'),
	));
	container.replaceChildren(h('ul', { class: 'history-list' }, ...items));
}
