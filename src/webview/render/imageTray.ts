// The images attached to the message being written: pasted (Ctrl+V), dropped, or picked with "Attach image" (the
// keyboard's way in). Each shows as a thumbnail with a Remove button; problems (a format no provider takes, a file
// too large) are announced in the tray's status line and nothing is attached.
import { imageLimits } from '../../shared/imageLimits';
import { imageMediaTypes } from '../../shared/chat';
import type { ImageAttachment } from '../../shared/protocol';
import { button, h } from '../dom';
import { prepareImage } from '../images';
import { t } from '../l10n';
import { withIcon } from './icon';

export class ImageTray {
	readonly element: HTMLElement;
	readonly attachButton: HTMLButtonElement;
	private readonly list: HTMLUListElement;
	private readonly status: HTMLElement;
	private readonly picker: HTMLInputElement;
	private images: ImageAttachment[] = [];
	private pending = 0;

	constructor(private readonly focusAfter: () => void, private readonly changed: () => void) {
		this.list = h('ul', { class: 'image-tray', 'aria-label': t('attachedImages'), hidden: true });
		this.status = h('p', { class: 'image-status', role: 'status', hidden: true });
		this.picker = h('input', { type: 'file', accept: imageMediaTypes.join(','), multiple: true, hidden: true, tabindex: '-1', 'aria-hidden': 'true' });
		this.picker.addEventListener('change', () => {
			void this.addFiles([...(this.picker.files ?? [])]);
			this.picker.value = '';
		});
		this.attachButton = withIcon(button('', () => this.picker.click(), { class: 'icon-button attach-image', 'aria-label': t('attachImage'), title: t('attachImage') }), 'file-media');
		this.element = h('div', { class: 'image-attachments' }, this.list, this.status, this.picker);
	}

	get count(): number {
		return this.images.length;
	}

	/** True while a pasted or dropped image is still being prepared: sending waits for it. */
	get busy(): boolean {
		return this.pending > 0;
	}

	/** Paste into `input` and drops anywhere on `zone` attach images; other pastes and drops behave as usual. */
	listen(input: HTMLElement, zone: HTMLElement): void {
		input.addEventListener('paste', (event) => {
			const files = [...(event.clipboardData?.items ?? [])].filter((item) => item.kind === 'file').map((item) => item.getAsFile()).filter((file): file is File => file !== null);
			if (files.length === 0) return;
			event.preventDefault();
			void this.addFiles(files);
		});
		zone.addEventListener('dragover', (event) => {
			if (!event.dataTransfer?.types.includes('Files')) return;
			event.preventDefault();
			zone.classList.add('drop-target');
		});
		zone.addEventListener('dragleave', () => zone.classList.remove('drop-target'));
		zone.addEventListener('drop', (event) => {
			zone.classList.remove('drop-target');
			const files = [...(event.dataTransfer?.files ?? [])];
			if (files.length === 0) return;
			event.preventDefault();
			void this.addFiles(files);
		});
	}

	/** The images to send, and an empty tray. */
	take(): ImageAttachment[] {
		const taken = this.images;
		this.images = [];
		this.render();
		this.say('');
		return taken;
	}

	/** A message under the thumbnails, read by screen readers (the status role). Empty hides it. */
	say(text: string): void {
		this.status.textContent = text;
		this.status.hidden = text === '';
	}

	async addFiles(files: readonly File[]): Promise<void> {
		const problems: string[] = [];
		this.pending++;
		this.changed();
		try {
			for (const file of files) {
				if (this.images.length >= imageLimits.maxCount) {
					problems.push(t('imageCount', imageLimits.maxCount));
					break;
				}
				const name = file.name || t('pastedImage');
				const prepared = await prepareImage(file, name);
				if ('image' in prepared) this.images.push(prepared.image);
				else problems.push(t(prepared.problem, ...prepared.args));
			}
		} finally {
			this.pending--;
		}
		this.render();
		this.say(problems.length > 0 ? problems.join(' ') : t('imagesAttached', this.images.length));
		this.changed();
	}

	private remove(index: number): void {
		const [removed] = this.images.splice(index, 1);
		this.render();
		this.say(removed ? t('imageRemoved', removed.name ?? t('pastedImage')) : '');
		this.changed();
		// The keyboard stays in the tray: on the next Remove button, else back in the message box.
		const next = this.list.querySelectorAll('button')[Math.min(index, this.images.length - 1)];
		if (next) next.focus();
		else this.focusAfter();
	}

	private render(): void {
		this.list.hidden = this.images.length === 0;
		this.list.replaceChildren(...this.images.map((image, index) => {
			const name = image.name ?? t('pastedImage');
			return h('li', { class: 'image-thumb' },
				h('img', { src: `data:${image.mediaType};base64,${image.data}`, alt: t('imageAlt', index + 1, name) }),
				withIcon(button('', () => this.remove(index), { class: 'icon-button remove-image', 'aria-label': t('removeImage', name), title: t('removeImage', name) }), 'close'));
		}));
	}
}

/** Thumbnails of a sent message's images, in the transcript. */
export function sentImages(images: readonly ImageAttachment[]): HTMLElement {
	return h('ul', { class: 'image-tray sent', 'aria-label': t('attachedImages') }, ...images.map((image, index) =>
		h('li', { class: 'image-thumb' }, h('img', { src: `data:${image.mediaType};base64,${image.data}`, alt: t('imageAlt', index + 1, image.name ?? t('pastedImage')) }))));
}
