// How big an attached image may be. The panel downscales to these bounds before sending; the host checks them again,
// since nothing from the webview is trusted. Pure: host and webview.
import { isImageMediaType } from './chat';

export const imageLimits = {
	/** A file larger than this is refused before it is even decoded. */
	maxFileBytes: 20 * 1024 * 1024,
	/**
	 * Anthropic refuses an image over 5 MB of base64 ("image exceeds 5 MB maximum", Anthropic vision docs); base64
	 * grows bytes by 4/3, so 3.75 MB decoded stays under it. OpenAI's per-image limit is higher.
	 */
	maxBytes: 3_750_000,
	/** Longest edge after downscaling: Anthropic's vision docs recommend at most 1568 px (larger is resized anyway). */
	maxEdge: 1568,
	/** Images per message. */
	maxCount: 10,
} as const;

/** Decoded size of base64 text, without decoding it. */
export function base64Bytes(data: string): number {
	const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
	return Math.floor((data.length * 3) / 4) - padding;
}

export type ImageProblem =
	| { kind: 'type'; mediaType: string }
	| { kind: 'size'; bytes: number }
	| { kind: 'count'; count: number }
	| { kind: 'data' };

/** What is wrong with a set of attachments, or undefined when they may be sent. */
export function imageProblem(images: ReadonlyArray<{ mediaType: unknown; data: unknown }>): ImageProblem | undefined {
	if (images.length > imageLimits.maxCount) return { kind: 'count', count: images.length };
	for (const image of images) {
		if (!isImageMediaType(image.mediaType)) return { kind: 'type', mediaType: String(image.mediaType) };
		if (typeof image.data !== 'string' || image.data === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(image.data)) return { kind: 'data' };
		const bytes = base64Bytes(image.data);
		if (bytes > imageLimits.maxBytes) return { kind: 'size', bytes };
	}
	return undefined;
}
