// An image the user pasted or dropped, made ready to send: a supported format, decoded once to check it is an image,
// downscaled (createImageBitmap + OffscreenCanvas, or a canvas where there is none) when larger than the limits, and
// read as base64. Small images go unchanged, so a GIF keeps its frames and a PNG its exact pixels.
import { isImageMediaType, type ImageMediaType } from '../shared/chat';
import { imageLimits } from '../shared/imageLimits';
import type { ImageAttachment } from '../shared/protocol';
import type { StringKey } from './l10n';

export type PreparedImage = { image: ImageAttachment } | { problem: StringKey; args: Array<string | number> };

export async function prepareImage(file: Blob, name: string): Promise<PreparedImage> {
	if (!isImageMediaType(file.type)) return { problem: 'imageType', args: [name] };
	if (file.size > imageLimits.maxFileBytes) return { problem: 'imageTooLarge', args: [name, Math.round(imageLimits.maxFileBytes / 1024 / 1024)] };
	let bitmap: ImageBitmap;
	try {
		bitmap = await createImageBitmap(file);
	} catch {
		return { problem: 'imageUnreadable', args: [name] };
	}
	try {
		const edge = Math.max(bitmap.width, bitmap.height);
		if (edge <= imageLimits.maxEdge && file.size <= imageLimits.maxBytes) return { image: { mediaType: file.type, data: await base64Of(file), name } };
		const scaled = await downscale(bitmap, file.type);
		if (!scaled) return { problem: 'imageTooLarge', args: [name, Math.round(imageLimits.maxFileBytes / 1024 / 1024)] };
		return { image: { mediaType: scaled.type as ImageMediaType, data: await base64Of(scaled), name } };
	} finally {
		bitmap.close();
	}
}

/**
 * Fits the longest edge into the limit and encodes: PNG and WebP keep their format when that fits the byte limit,
 * a GIF becomes a PNG of its first frame, and anything still too large becomes a JPEG of falling quality.
 */
async function downscale(bitmap: ImageBitmap, type: ImageMediaType): Promise<Blob | undefined> {
	const scale = Math.min(1, imageLimits.maxEdge / Math.max(bitmap.width, bitmap.height));
	const width = Math.max(1, Math.round(bitmap.width * scale));
	const height = Math.max(1, Math.round(bitmap.height * scale));
	const canvas = makeCanvas(width, height);
	const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
	if (!context) return undefined;
	context.drawImage(bitmap, 0, 0, width, height);
	const first = type === 'image/gif' ? 'image/png' : type;
	const attempts: Array<[string, number | undefined]> = [[first, first === 'image/png' ? undefined : 0.9], ['image/jpeg', 0.85], ['image/jpeg', 0.7], ['image/jpeg', 0.5]];
	for (const [format, quality] of attempts) {
		const blob = await encode(canvas, format, quality);
		if (blob && blob.type === format && blob.size <= imageLimits.maxBytes) return blob;
	}
	return undefined;
}

function makeCanvas(width: number, height: number): OffscreenCanvas | HTMLCanvasElement {
	if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	return canvas;
}

function encode(canvas: OffscreenCanvas | HTMLCanvasElement, type: string, quality: number | undefined): Promise<Blob | null> {
	if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality }).catch(() => null);
	return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

function base64Of(blob: Blob): Promise<string> {
	return new Promise((resolve, reject) => {
		const reader = new FileReader();
		reader.onload = () => {
			const url = String(reader.result);
			resolve(url.slice(url.indexOf(',') + 1));
		};
		reader.onerror = () => reject(reader.error ?? new Error('The image could not be read.'));
		reader.readAsDataURL(blob);
	});
}
