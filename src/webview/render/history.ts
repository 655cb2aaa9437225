// The saved chats of this workspace, last activity first: a search box over titles and message text (the host
// searches the text and answers with snippets), and per chat Open, Rename and Delete, with Undo after a delete.
import type { HistoryEntry } from '../../shared/protocol';
import { button, h } from '../dom';
import { withIcon } from './icon';
import { t } from '../l10n';

export interface HistoryActions {
	open(id: string): void;
	remove(id: string): void;
	undoRemove(id: string): void;
	rename(id: string, title: string): void;
	search(query: string): void;
}

/** How long the Undo row stays after a delete (the host keeps the file a little longer). */
const undoShownMs = 30_000;

export class HistoryPanel {
	private entries: readonly HistoryEntry[] = [];
	/** The host's answer to the current query; undefined while the query is empty. */
	private results: readonly HistoryEntry[] | undefined;
	private readonly searchBox: HTMLInputElement;
	private readonly list: HTMLElement;
	private readonly undoRow: HTMLElement;
	private readonly count: HTMLElement;
	private undoTimer: ReturnType<typeof setTimeout> | undefined;
	/** The chat whose title is being edited. */
	private renaming: string | undefined;
	/** The list changed while the panel was closed: drawn when it opens (the list comes with every turn's end). */
	private stale = false;

	constructor(readonly element: HTMLElement, private readonly actions: HistoryActions) {
		this.searchBox = h('input', { type: 'search', class: 'history-search', 'aria-label': t('searchChats'), placeholder: t('searchChats') });
		this.searchBox.addEventListener('input', () => this.queryChanged());
		this.searchBox.addEventListener('keydown', (event) => {
			// Down arrow goes from the box to the first chat, as in a list picker.
			if (event.key === 'ArrowDown') {
				event.preventDefault();
				this.list.querySelector<HTMLElement>('.history-open')?.focus();
			}
		});
		this.count = h('p', { class: 'history-count', role: 'status' });
		this.undoRow = h('div', { class: 'history-undo', hidden: true });
		this.list = h('div', { class: 'history-results' });
		element.replaceChildren(this.searchBox, this.undoRow, this.count, this.list);
	}

	get query(): string {
		return this.searchBox.value.trim();
	}

	/** The panel opened: draws a list that changed while it was closed, then focuses the search box. */
	opened(): void {
		if (this.stale) this.render();
		this.searchBox.focus();
	}

	/** The full list changed (a save, a rename, a delete): shown at once, and a running search asked again. */
	setEntries(entries: readonly HistoryEntry[]): void {
		this.entries = entries;
		if (this.query) this.actions.search(this.query);
		this.render();
	}

	/** The host's answer; an answer to an older query is ignored. */
	setResults(query: string, entries: readonly HistoryEntry[]): void {
		if (query !== this.query) return;
		this.results = entries;
		this.render();
	}

	deleted(id: string, title: string): void {
		if (this.undoTimer) clearTimeout(this.undoTimer);
		const undo = button(t('undo'), () => {
			this.hideUndo();
			this.actions.undoRemove(id);
			this.searchBox.focus();
		}, { class: 'link-button', 'aria-label': t('undoDelete', title) });
		this.undoRow.replaceChildren(h('span', { role: 'status' }, t('chatDeleted', title)), undo);
		this.undoRow.hidden = false;
		undo.focus();
		this.undoTimer = setTimeout(() => this.hideUndo(), undoShownMs);
	}

	private hideUndo(): void {
		if (this.undoTimer) clearTimeout(this.undoTimer);
		this.undoTimer = undefined;
		const hadFocus = this.undoRow.contains(document.activeElement);
		this.undoRow.hidden = true;
		this.undoRow.replaceChildren();
		if (hadFocus) this.searchBox.focus();
	}

	private queryChanged(): void {
		this.results = undefined;
		if (this.query) {
			// Titles answer at once; the host adds matches in the message text.
			this.results = this.titleMatches(this.query);
			this.actions.search(this.query);
		}
		this.render();
	}

	private titleMatches(query: string): HistoryEntry[] {
		const words = query.toLowerCase().split(/\s+/).filter(Boolean);
		return this.entries.filter((entry) => words.every((word) => entry.title.toLowerCase().includes(word)));
	}

	private render(): void {
		// A closed panel is drawn when it opens: a list of up to 1,000 chats is not rebuilt behind every prompt.
		this.stale = this.element.hidden !== false;
		if (this.stale) return;
		const shown = this.results ?? this.entries;
		const sorted = [...shown].sort((a, b) => b.updatedAt - a.updatedAt);
		this.count.textContent = this.query ? t('searchCount', sorted.length) : '';
		this.count.hidden = !this.query;
		if (sorted.length === 0) {
			this.list.replaceChildren(h('p', { class: 'muted' }, this.query ? t('noMatches') : t('noHistory')));
			return;
		}
		const focusedId = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('.history-item')?.dataset.id;
		this.list.replaceChildren(h('ul', { class: 'history-list', 'aria-label': t('history') }, ...sorted.map((entry) => this.item(entry))));
		if (focusedId) this.list.querySelector<HTMLElement>(`.history-item[data-id="${CSS.escape(focusedId)}"] .history-open`)?.focus();
	}

	private item(entry: HistoryEntry): HTMLElement {
		if (this.renaming === entry.id) return this.renameItem(entry);
		const date = new Date(entry.updatedAt).toLocaleString();
		return h('li', { class: 'history-item', 'data-id': entry.id },
			h('div', { class: 'history-main' },
				button(entry.title, () => this.actions.open(entry.id), { class: 'history-open', title: `${t('open')}: ${entry.title}` }),
				entry.snippet && h('span', { class: 'history-snippet' }, entry.snippet),
				h('span', { class: 'history-date' }, date)),
			withIcon(button('', () => this.startRename(entry.id), { class: 'icon-button', 'aria-label': `${t('rename')}: ${entry.title}`, title: t('rename') }), 'edit'),
			withIcon(button('', () => this.actions.remove(entry.id), { class: 'icon-button', 'aria-label': `${t('delete')}: ${entry.title}`, title: t('delete') }), 'trash'));
	}

	private startRename(id: string): void {
		this.renaming = id;
		this.render();
	}

	private renameItem(entry: HistoryEntry): HTMLElement {
		const field = h('input', { type: 'text', class: 'history-rename', value: entry.title, 'aria-label': t('renameLabel', entry.title), maxlength: '200' });
		const finish = (save: boolean): void => {
			if (this.renaming !== entry.id) return;
			this.renaming = undefined;
			const title = field.value.trim();
			if (save && title && title !== entry.title) this.actions.rename(entry.id, title);
			this.render();
			this.list.querySelector<HTMLElement>(`.history-item[data-id="${CSS.escape(entry.id)}"] .history-open`)?.focus();
		};
		field.addEventListener('keydown', (event) => {
			if (event.key === 'Enter') {
				event.preventDefault();
				finish(true);
			} else if (event.key === 'Escape') {
				event.preventDefault();
				event.stopPropagation();
				finish(false);
			}
		});
		field.addEventListener('blur', () => finish(true));
		queueMicrotask(() => {
			field.focus();
			field.select();
		});
		return h('li', { class: 'history-item renaming', 'data-id': entry.id }, field);
	}
}
