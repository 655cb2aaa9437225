// The message box, the model picker and Send/Stop. Enter sends, Shift+Enter is a newline, Escape stops the turn.
// Escape stops only from here: on a card's Approve button it must not throw the whole turn away.
import type { AttachmentRef, ImageAttachment, MentionItem, ModelRef, ViewState } from '../../shared/protocol';
import { button, h } from '../dom';
import { AttachmentChips } from './attachmentChips';
import { nextSetupStep } from './emptyState';
import { MentionPicker } from './mentionPicker';
import { withIcon } from './icon';
import { ImageTray } from './imageTray';
import { t } from '../l10n';

export interface ComposerActions {
	/** `attachments`: the chips above the box (@ mentions, Add Selection / Add File to Chat); `images`: pasted or dropped. */
	send(text: string, attachments: AttachmentRef[], images: ImageAttachment[]): void;
	/** The '@' picker asks the host for matches. */
	mentionQuery(query: string): void;
	/** Enter or Send while no provider can take the prompt: nothing is sent, the text stays. */
	notReady(): void;
	stop(): void;
	selectModel(model: ModelRef): void;
	setApiKey(provider: string | undefined): void;
	draftChanged(draft: string): void;
	/** The chips above the box changed (kept with the draft across a reload). */
	attachmentsChanged(attachments: AttachmentRef[]): void;
}

export class Composer {
	readonly element: HTMLElement;
	private readonly input: HTMLTextAreaElement;
	private readonly picker: HTMLSelectElement;
	private readonly keyButton: HTMLButtonElement;
	private readonly sendButton: HTMLButtonElement;
	private readonly stopButton: HTMLButtonElement;
	private readonly images: ImageTray;
	private choices: ModelRef[] = [];
	private state: ViewState | undefined;
	private busy = false;
	private readonly chips: AttachmentChips;
	private readonly mentions: MentionPicker;

	constructor(private readonly actions: ComposerActions, draft: string, attachments: readonly AttachmentRef[] = []) {
		this.input = h('textarea', { 'aria-label': t('message'), placeholder: t('placeholder'), rows: '3', class: 'message-input' });
		this.input.value = draft;
		this.chips = new AttachmentChips(() => this.input.focus());
		for (const ref of attachments) this.chips.add(ref);
		this.chips.onChange((refs) => this.actions.attachmentsChanged(refs));
		this.mentions = new MentionPicker(this.input, { query: (query) => this.actions.mentionQuery(query), pick: (ref) => this.chips.add(ref) });
		this.input.addEventListener('keydown', (event) => this.onKey(event));
		this.input.addEventListener('input', () => {
			this.actions.draftChanged(this.input.value);
			this.refreshButtons();
			this.autosize();
		});
		this.picker = h('select', { 'aria-label': t('model'), class: 'model-picker' });
		this.picker.addEventListener('change', () => {
			const choice = this.choices[Number(this.picker.value)];
			if (choice) {
				this.actions.selectModel(choice);
				if (this.state) this.update({ ...this.state, selected: choice });
			}
		});
		this.keyButton = button(t('setApiKey'), () => this.actions.setApiKey(this.state?.selected?.provider), { class: 'link-button', hidden: true });
		this.sendButton = withIcon(button(t('send'), () => this.submit(), { class: 'primary' }), 'send');
		this.stopButton = withIcon(button(t('stop'), () => this.actions.stop(), { class: 'secondary', hidden: true }), 'debug-stop');
		const addContext = withIcon(button(t('addContext'), () => this.mentions.openAtCaret(), { class: 'secondary add-context', title: t('addContextHint') }), 'mention');
		this.images = new ImageTray(() => this.input.focus(), () => this.refreshButtons());
		this.element = h('div', { class: 'composer' },
			this.chips.element,
			this.images.element,
			this.mentions.element,
			this.input,
			h('div', { class: 'composer-row' }, addContext, this.images.attachButton, this.picker, this.keyButton, h('span', { class: 'spacer' }), this.stopButton, this.sendButton));
		this.images.listen(this.input, this.element);
		this.element.addEventListener('keydown', (event) => {
			if (event.key === 'Escape' && !event.defaultPrevented && this.busy) {
				event.preventDefault();
				this.actions.stop();
			}
		});
		this.refreshButtons();
	}

	update(state: ViewState): void {
		this.state = state;
		this.choices = [];
		const groups: HTMLElement[] = [];
		for (const provider of state.providers) {
			const needsKey = provider.auth === 'apiKey' && !provider.hasKey;
			const group = h('optgroup', { label: needsKey ? `${provider.label} (${t('noKey')})` : provider.label });
			for (const model of provider.models) {
				const value = String(this.choices.length);
				this.choices.push({ provider: provider.id, model });
				const selected = state.selected?.provider === provider.id && state.selected.model === model;
				group.append(h('option', { value, selected }, model));
			}
			groups.push(group);
		}
		if (this.choices.length === 0) groups.push(h('option', { value: '', disabled: true, selected: true }, t('noModels')));
		this.picker.replaceChildren(...groups);
		this.picker.disabled = this.choices.length === 0;
		const current = state.providers.find((provider) => provider.id === state.selected?.provider);
		this.keyButton.hidden = !(current && current.auth === 'apiKey' && !current.hasKey);
		this.refreshButtons();
	}

	setBusy(busy: boolean): void {
		const hadFocus = document.activeElement === this.stopButton || document.activeElement === this.sendButton;
		this.busy = busy;
		this.refreshButtons();
		// Send and Stop swap places; keep the keyboard on whichever is showing.
		if (hadFocus) (busy ? this.stopButton : this.input).focus();
	}

	focus(): void {
		this.input.focus();
	}

	/** A chip from a command (Add Selection / Add File to Chat). */
	attach(ref: AttachmentRef): void {
		this.chips.add(ref);
	}

	mentionResults(query: string, items: MentionItem[], searching: boolean): void {
		this.mentions.results(query, items, searching);
	}

	private onKey(event: KeyboardEvent): void {
		if (event.isComposing || this.mentions.onKey(event)) return;
		if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
			event.preventDefault();
			this.submit();
		}
	}

	private submit(): void {
		const text = this.input.value.trim();
		if ((!text && this.images.count === 0) || this.busy || this.images.busy) return;
		if (nextSetupStep(this.state) !== undefined) {
			this.actions.notReady();
			return;
		}
		const model = this.state?.selected;
		const textOnly = model && this.state?.providers.find((provider) => provider.id === model.provider)?.textOnlyModels?.includes(model.model);
		if (textOnly && this.images.count > 0) {
			// Before anything is sent: the text and the images stay for another model.
			this.images.say(t('modelNoImages', model.model));
			return;
		}
		this.actions.send(text, this.chips.refs, this.images.take());
		this.chips.clear();
		this.input.value = '';
		this.actions.draftChanged('');
		this.refreshButtons();
		this.autosize();
	}

	private refreshButtons(): void {
		this.stopButton.hidden = !this.busy;
		this.sendButton.hidden = this.busy;
		// Send looks disabled until a provider can take the prompt; Enter then points at what is missing.
		this.sendButton.disabled = (this.input.value.trim() === '' && this.images.count === 0) || this.images.busy || nextSetupStep(this.state) !== undefined;
	}

	/** Grows the box with its text up to a third of the panel. */
	private autosize(): void {
		this.input.style.height = 'auto';
		this.input.style.height = `${Math.min(this.input.scrollHeight + 2, Math.max(80, window.innerHeight / 3))}px`;
	}
}
