// The '@' picker: typing '@' (at the start or after a space) opens a list of workspace files and folders plus
// @selection, @file and @problems, filtered as the user types (the host ranks them). Keyboard first: the focus stays
// in the message box, which names the active row (aria-activedescendant); Up/Down move, Enter or Tab picks,
// Escape closes. Picking removes the '@word' from the text and adds a chip.
import type { AttachmentRef, MentionItem } from '../../shared/protocol';
import { h } from '../dom';
import { t } from '../l10n';
import { icon } from './icon';

export interface MentionPickerActions {
	query(query: string): void;
	pick(ref: AttachmentRef): void;
}

const kindIcons: Record<AttachmentRef['kind'], string> = { file: 'file', folder: 'folder', selection: 'selection', problems: 'warning' };

let pickers = 0;

export class MentionPicker {
	readonly element: HTMLElement;
	private readonly list: HTMLElement;
	private readonly status: HTMLElement;
	private readonly id = `mention-list-${++pickers}`;
	private items: MentionItem[] = [];
	private active = 0;
	/** Where the '@' is in the box, while the picker is open. */
	private start: number | undefined;
	private query = '';

	constructor(private readonly input: HTMLTextAreaElement, private readonly actions: MentionPickerActions) {
		this.list = h('div', { id: this.id, class: 'mention-list', role: 'listbox', 'aria-label': t('mentionList') });
		this.status = h('div', { class: 'mention-status', role: 'status', 'aria-live': 'polite' });
		this.element = h('div', { class: 'mention-picker', hidden: true }, this.list, this.status);
		input.setAttribute('aria-autocomplete', 'list');
		input.setAttribute('aria-haspopup', 'listbox');
		input.setAttribute('aria-expanded', 'false');
		input.addEventListener('input', () => this.onInput());
		input.addEventListener('blur', () => {
			// A click on a row keeps the focus (mousedown is prevented); anything else closes the list.
			setTimeout(() => {
				if (document.activeElement !== input) this.close();
			}, 0);
		});
		// Clicking a row must not take the focus from the box.
		this.list.addEventListener('mousedown', (event) => event.preventDefault());
	}

	get isOpen(): boolean {
		return this.start !== undefined;
	}

	/** Opens the list as if '@' had been typed at the caret (the composer's Add Context button). */
	openAtCaret(): void {
		const caret = this.input.selectionStart ?? this.input.value.length;
		const before = this.input.value.slice(0, caret);
		const spacer = before === '' || /\s$/.test(before) ? '' : ' ';
		this.input.setRangeText(`${spacer}@`, caret, this.input.selectionEnd ?? caret, 'end');
		this.input.focus();
		this.onInput();
	}

	/** Handles the list's keys while it is open; true when the key was for the list. */
	onKey(event: KeyboardEvent): boolean {
		if (!this.isOpen || event.isComposing) return false;
		switch (event.key) {
			case 'ArrowDown':
			case 'ArrowUp': {
				if (this.items.length === 0) return false;
				const step = event.key === 'ArrowDown' ? 1 : -1;
				this.setActive((this.active + step + this.items.length) % this.items.length);
				break;
			}
			case 'Enter':
			case 'Tab':
				if (this.items.length === 0 || event.shiftKey) return false;
				this.pick(this.active);
				break;
			case 'Escape':
				this.close();
				break;
			default:
				return false;
		}
		event.preventDefault();
		event.stopPropagation();
		return true;
	}

	/** The host's answer; an answer to an older query is dropped. */
	results(query: string, items: MentionItem[], searching = false): void {
		if (!this.isOpen || query !== this.query) return;
		this.items = items;
		this.active = 0;
		this.list.replaceChildren(...items.map((item, index) => {
			const option = h('div', { id: `${this.id}-${index}`, class: 'mention-option', role: 'option', 'aria-selected': 'false' },
				icon(kindIcons[item.ref.kind]),
				h('span', { class: 'mention-label' }, item.label),
				item.detail ? h('span', { class: 'mention-detail' }, item.detail) : undefined);
			option.addEventListener('click', () => this.pick(index));
			return option;
		}));
		this.status.textContent = searching ? t('mentionSearching') : items.length === 0 ? t('mentionNone') : t('mentionCount', items.length);
		if (items.length === 0 || searching) this.list.append(h('div', { class: 'mention-empty' }, searching ? t('mentionSearching') : t('mentionNone')));
		this.setActive(0);
	}

	close(): void {
		if (!this.isOpen) return;
		this.start = undefined;
		this.items = [];
		this.element.hidden = true;
		this.list.replaceChildren();
		this.input.setAttribute('aria-expanded', 'false');
		this.input.removeAttribute('aria-controls');
		this.input.removeAttribute('aria-activedescendant');
	}

	private onInput(): void {
		const caret = this.input.selectionStart ?? this.input.value.length;
		const match = /(^|\s)@([^\s@]*)$/.exec(this.input.value.slice(0, caret));
		if (!match) return this.close();
		this.start = caret - match[2].length - 1;
		if (this.element.hidden) {
			this.element.hidden = false;
			this.input.setAttribute('aria-expanded', 'true');
			this.input.setAttribute('aria-controls', this.id);
			this.status.textContent = t('mentionSearching');
		}
		if (match[2] !== this.query || this.items.length === 0) {
			this.query = match[2];
			this.actions.query(this.query);
		}
	}

	private setActive(index: number): void {
		this.active = index;
		const options = this.list.querySelectorAll<HTMLElement>('.mention-option');
		options.forEach((option, position) => option.setAttribute('aria-selected', String(position === index)));
		const current = options[index];
		if (current) {
			this.input.setAttribute('aria-activedescendant', current.id);
			current.scrollIntoView({ block: 'nearest' });
		} else {
			this.input.removeAttribute('aria-activedescendant');
		}
	}

	private pick(index: number): void {
		const item = this.items[index];
		if (!item || this.start === undefined) return;
		const caret = this.input.selectionStart ?? this.input.value.length;
		// The '@word' was only the search; the chip says what is attached.
		this.input.setRangeText('', this.start, caret, 'end');
		this.input.dispatchEvent(new Event('input'));
		this.close();
		this.actions.pick(item.ref);
		this.input.focus();
	}
}
