// The sanitizer for everything model-made that becomes DOM. DOMPurify parses in an inert document and returns a
// fragment, so nothing executes or loads before it is cleaned. Remote images are dropped (they would leak the
// conversation to any host); links keep only http(s), mailto and in-page targets. Only the classes the renderer
// itself writes survive: with the panel's stylesheet, a model's `class="tool-card"` would draw a tool card with
// Approve buttons that look real.
import DOMPurify from 'dompurify';

/** Whose classes the HTML may carry: marked's (`language-*` on a fence's code) or highlight.js's scopes. */
export type ClassSource = 'markdown' | 'highlight';

const keepsClass: Record<ClassSource, (tag: string, token: string) => boolean> = {
	markdown: (tag, token) => tag === 'CODE' && /^language-[\w+#.-]+$/.test(token),
	// hljs writes `hljs-title function_` on spans, and `language-css` around an embedded language.
	highlight: (tag, token) => tag === 'SPAN' && /^(hljs-[\w-]+|[\w-]+_|language-[\w+#.-]+)$/.test(token),
};
let classSource: ClassSource = 'markdown';

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
	if (node instanceof HTMLAnchorElement) {
		const target = node.getAttribute('href') ?? '';
		if (!/^(https?:|mailto:|#)/i.test(target)) node.removeAttribute('href');
		node.removeAttribute('target');
	}
	if (node instanceof Element && node.hasAttribute('class')) {
		const kept = Array.from(node.classList).filter((token) => keepsClass[classSource](node.tagName, token));
		if (kept.length > 0) node.setAttribute('class', kept.join(' '));
		else node.removeAttribute('class');
	}
});

const purifyOptions = {
	USE_PROFILES: { html: true },
	FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'video', 'audio', 'source', 'picture', 'link', 'meta', 'base'],
	FORBID_ATTR: ['style', 'srcset', 'ping', 'formaction', 'background', 'poster'],
	ALLOW_DATA_ATTR: false,
};

/** Sanitized HTML string → fragment. Exported for the highlighter, whose output is re-checked too. */
export function sanitizedFragment(html: string, classes: ClassSource): DocumentFragment {
	classSource = classes;
	const fragment = purifier.sanitize(html, { ...purifyOptions, RETURN_DOM_FRAGMENT: true });
	// Still inert here (owned by DOMPurify's parsing document): drop every image that is not inline data.
	for (const image of Array.from(fragment.querySelectorAll('img'))) {
		if (!/^data:image\/(png|gif|jpe?g|webp);/i.test(image.getAttribute('src') ?? '')) image.remove();
	}
	return fragment;
}
