// Chips: what a message carries (above the box while composing, under the user's words in the transcript) and
// which project rule files the chat follows. A chip's name opens the file; the composer's chips can be removed and
// a rule chip's switch turns the file on or off for this chat. Opening goes up as a DOM event so the transcript
// needs no new dependency: main.ts turns it into an 'open-file' message.
import type { AttachmentChipView, AttachmentRef, RuleFileView } from '../../shared/protocol';
import { button, h } from '../dom';
import { t } from '../l10n';
import { icon, withIcon } from './icon';

/** The DOM event a chip dispatches to open its file; `detail` is the path. */
export const openFileEvent = 'switchboard-open-file';

const kindIcons: Record<AttachmentRef['kind'], string> = { file: 'file', folder: 'folder', selection: 'selection', problems: 'warning' };

/** The chip's text, as the host labels it (src/chat/attachments/resolveAttachments.ts chipLabel); Problems in the panel's language. */
export function refLabel(ref: AttachmentRef): string {
	switch (ref.kind) {
		case 'file': return ref.path;
		case 'folder': return ref.path.endsWith('/') ? ref.path : `${ref.path}/`;
		case 'selection': return ref.startLine === ref.endLine ? `${ref.path}:${ref.startLine}` : `${ref.path}:${ref.startLine}-${ref.endLine}`;
		case 'problems': return t('problems');
	}
}

function openButton(label: string, path: string | undefined, kind: AttachmentRef['kind'], title?: string): HTMLElement {
	const name = h('span', { class: 'chip-name' }, label);
	if (path === undefined) return h('span', { class: 'chip-label', title }, icon(kindIcons[kind]), name);
	const open = button('', () => open.dispatchEvent(new CustomEvent(openFileEvent, { bubbles: true, detail: path })), {
		class: 'chip-label', title: title ?? t('openFile', label), 'aria-label': title ? `${t('openFile', label)} (${title})` : t('openFile', label),
	});
	open.append(icon(kindIcons[kind]), name);
	return open;
}

/** The composer's chips: removable, kept until the message is sent. */
export class AttachmentChips {
	readonly element = h('div', { class: 'chips attachment-chips', role: 'list', 'aria-label': t('attachments'), hidden: true });
	private items: AttachmentRef[] = [];
	private changed: (refs: AttachmentRef[]) => void = () => undefined;

	constructor(private readonly focusAfterRemove: () => void) {}

	/** Called after each add, remove or clear with the chips now shown. */
	onChange(listener: (refs: AttachmentRef[]) => void): void {
		this.changed = listener;
	}

	get refs(): AttachmentRef[] {
		return [...this.items];
	}

	add(ref: AttachmentRef): void {
		const key = JSON.stringify(ref);
		if (this.items.some((item) => JSON.stringify(item) === key)) return;
		this.items.push(ref);
		this.render();
	}

	clear(): void {
		this.items = [];
		this.render();
	}

	private render(): void {
		this.changed(this.refs);
		this.element.hidden = this.items.length === 0;
		this.element.replaceChildren(...this.items.map((ref, index) => {
			const label = refLabel(ref);
			const remove = button('', () => {
				this.items.splice(index, 1);
				this.render();
				// The keyboard stays in the row, on the next chip's remove button, or returns to the box.
				const buttons = this.element.querySelectorAll<HTMLButtonElement>('.chip-remove');
				(buttons[Math.min(index, buttons.length - 1)] ?? undefined)?.focus();
				if (buttons.length === 0) this.focusAfterRemove();
			}, { class: 'chip-remove icon-button', 'aria-label': t('removeAttachment', label), title: t('removeAttachment', label) });
			remove.append(icon('close'));
			return h('span', { class: `chip chip-${ref.kind}`, role: 'listitem' }, openButton(label, ref.kind === 'problems' ? undefined : ref.path, ref.kind), remove);
		}));
	}
}

/** The chips of a sent message in the transcript. */
export function transcriptChips(chips: readonly AttachmentChipView[] | undefined): HTMLElement | undefined {
	if (!chips || chips.length === 0) return undefined;
	return h('div', { class: 'chips turn-attachments', role: 'list', 'aria-label': t('attachments') }, ...chips.map((chip) => {
		const label = chip.kind === 'problems' ? t('problems') : chip.label;
		const note = chip.error ? t('attachmentFailed', chip.error) : chip.omitted ? t('attachmentCut', chip.omitted.toLocaleString()) : undefined;
		return h('span', { class: `chip chip-${chip.kind}${chip.error ? ' chip-failed' : ''}`, role: 'listitem' },
			openButton(label, chip.error ? undefined : chip.path, chip.kind, note),
			note && h('span', { class: 'chip-note' }, chip.error ? t('notAttached') : t('cut')));
	}));
}

/** The rule files of this chat: each opens its file, and its switch turns it on or off for this chat. */
export class RulesBar {
	readonly element = h('div', { class: 'chips rules-bar', role: 'group', 'aria-label': t('rulesLabel'), hidden: true });

	constructor(private readonly toggle: (path: string, active: boolean) => void) {}

	update(rules: readonly RuleFileView[]): void {
		this.element.hidden = rules.length === 0;
		const title = h('span', { class: 'rules-title' }, t('rules'));
		this.element.replaceChildren(title, ...rules.map((rule) => {
			const state = rule.active ? t('ruleOn') : rule.restricted ? t('ruleRestricted') : t('ruleOff');
			const notes = [state, rule.omitted ? t('ruleCut', rule.omitted.toLocaleString()) : undefined].filter(Boolean).join(' · ');
			const name = rule.path.split('/').slice(-2).join('/');
			const open = openButton(name, rule.path, 'file', `${rule.path}: ${notes}`);
			const toggle = withIcon(button('', () => this.toggle(rule.path, !rule.active), {
				class: 'chip-toggle icon-button', role: 'switch', 'aria-checked': String(rule.active),
				'aria-label': t('useRule', rule.path), title: notes,
			}), rule.active ? 'pass-filled' : 'circle-large-outline');
			return h('span', { class: `chip rule-chip${rule.active ? ' active' : ' inactive'}` }, open, toggle);
		}));
	}
}
