// The check made before a prompt with images is sent: the limits again (nothing from the webview is trusted), and
// whether the chosen model reads images at all. The turn and the message are built in conversation/promptMessage.ts.
import * as vscode from 'vscode';
import type { ProviderEntry } from '../../providers/providerConfig';
import { imageLimits, imageProblem } from '../../shared/imageLimits';
import type { ErrorBannerView, ImageAttachment, ModelRef } from '../../shared/protocol';
import { textOnlyModels } from '../conversation/promptMessage';

/** Why these images cannot go to `ref`, as a banner; undefined when they can. Nothing is sent when there is one. */
export function imagesRefused(images: readonly ImageAttachment[], entries: readonly ProviderEntry[], ref: ModelRef | undefined): ErrorBannerView | undefined {
	if (images.length === 0) return undefined;
	const problem = imageProblem(images);
	if (problem) {
		const message = problem.kind === 'count' ? vscode.l10n.t('At most {0} images can go with one message; {1} were attached. Nothing was sent.', imageLimits.maxCount, problem.count)
			: problem.kind === 'type' ? vscode.l10n.t('{0} images cannot be sent: use PNG, JPEG, WebP or GIF. Nothing was sent.', problem.mediaType)
				: problem.kind === 'size' ? vscode.l10n.t('An image is {0} MB after downscaling, more than the {1} MB a provider accepts. Nothing was sent.', (problem.bytes / 1e6).toFixed(1), (imageLimits.maxBytes / 1e6).toFixed(2))
					: vscode.l10n.t('An attached image could not be read. Nothing was sent.');
		return { kind: 'images', message };
	}
	const entry = ref && entries.find((candidate) => candidate.id === ref.provider);
	if (ref && entry && textOnlyModels({ ...entry, models: [ref.model] }).length > 0) {
		return {
			kind: 'images',
			message: vscode.l10n.t('{0} reads no images (its model profile says so). Remove the images or pick a model that reads them; nothing was sent. If it does read images, set "images": true in its provider\'s quirks.', ref.model),
			action: 'open-settings',
			setting: 'switchboard.providers',
		};
	}
	return undefined;
}
