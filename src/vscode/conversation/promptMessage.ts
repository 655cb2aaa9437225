// A prompt as the host records it: the turn the panel shows and the message the model gets, images and attached
// context included; and
// which models may not get images. Pure: no 'vscode'.
import type { ProviderEntry } from '../../providers/providerConfig';
import { resolveQuirks } from '../../providers/quirks';
import type { TextPart, UserMessage } from '../../shared/chat';
import type { AttachmentChipView, ImageAttachment, TurnView } from '../../shared/protocol';

/**
 * Images first: Anthropic's vision docs advise putting them before the question; OpenAI reads either order. What the
 * user attached (`attached`, already read) goes after their text.
 */
export function userMessage(text: string, images: readonly ImageAttachment[], attached: readonly TextPart[] = []): UserMessage {
	return { role: 'user', content: [...images.map((image) => ({ type: 'image' as const, mediaType: image.mediaType, data: image.data })), ...(text ? [{ type: 'text' as const, text }] : []), ...attached] };
}

export function userTurn(turnId: string, text: string, images: readonly ImageAttachment[], chips: readonly AttachmentChipView[] = []): TurnView {
	return {
		role: 'user', turnId, text,
		...(chips.length > 0 && { attachments: [...chips] }),
		...(images.length > 0 && { images: images.map(copyOf) }),
	};
}

function copyOf(image: ImageAttachment): ImageAttachment {
	return { mediaType: image.mediaType, data: image.data, ...(image.name ? { name: image.name } : {}) };
}

/** Models of an entry that read no images, for the composer. */
export function textOnlyModels(entry: ProviderEntry): string[] {
	return entry.protocol === 'vscode-lm' ? [] : entry.models.filter((model) => !resolveQuirks(model, entry.quirks).images);
}
