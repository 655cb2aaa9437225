// The sanitizer for everything model-made that becomes DOM. DOMPurify parses in an inert document and returns a
// fragment, so nothing executes or loads before it is cleaned. Remote images are dropped (they would leak the
// conversation to any host); links keep only http(s), mailto and in-page targets.
import DOMPurify from 'dompurify';

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
	if (node instanceof HTMLAnchorElement) {
		const target = node.getAttribute('href') ?? '';
		if (!/^(https?:|mailto:|#)/i.test(target)) node.removeAttribute('href');
		node.removeAttribute('target');
	}
});

const purifyOptions = {
	USE_PROFILES: { html: true },
	FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'video', 'audio', 'source', 'picture', 'link', 'meta', 'base'],
	FORBID_ATTR: ['style', 'srcset', 'ping', 'formaction', 'background', 'poster'],
	ALLOW_DATA_ATTR: false,
};

/** Sanitized HTML string → fragment. Exported for the highlighter, whose output is re-checked too. */
export function sanitizedFragment(html: string): DocumentFragment {
	const fragment = purifier.sanitize(html, { ...purifyOptions, RETURN_DOM_FRAGMENT: true });
	// Still inert here (owned by DOMPurify's parsing document): drop every image that is not inline data.
	for (const image of Array.from(fragment.querySelectorAll('img'))) {
		if (!/^data:image\/(png|gif|jpe?g|webp);/i.test(image.getAttribute('src') ?? '')) image.remove();
	}
	return fragment;
}
