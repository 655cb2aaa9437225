// Syntax highlighting with highlight.js core and a handful of languages, to keep the bundle small.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { sanitizedFragment } from './sanitize';

const languages = { bash, css, diff, javascript, json, markdown, python, typescript, xml, yaml };
for (const [name, definition] of Object.entries(languages)) hljs.registerLanguage(name, definition);
hljs.registerAliases(['sh', 'shell', 'zsh', 'console'], { languageName: 'bash' });
hljs.registerAliases(['js', 'jsx', 'mjs', 'cjs'], { languageName: 'javascript' });
hljs.registerAliases(['ts', 'tsx', 'mts'], { languageName: 'typescript' });
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['yml'], { languageName: 'yaml' });
hljs.registerAliases(['md'], { languageName: 'markdown' });

// A grammar compiles on its first use (tens of ms for TypeScript on a busy machine, enough to make the first answer's
// frame a long task): each is compiled while the panel is idle, one at a time, before any answer needs it.
if (typeof requestIdleCallback === 'function') {
	const pending = Object.keys(languages);
	const warm = (deadline: IdleDeadline): void => {
		for (let language = pending.shift(); language !== undefined; language = pending.shift()) {
			hljs.highlight('x', { language, ignoreIllegals: true });
			if (deadline.timeRemaining() < 10) break;
		}
		if (pending.length > 0) requestIdleCallback(warm);
	};
	requestIdleCallback(warm);
}

// A segment rendered again as a whole (restored, or with link definitions) brings the same code blocks back.
const cache = new Map<string, string>();
const cacheLimit = 64;
/**
 * Longer code is shown plain: highlight.js is linear but slow (a 1 MB block held the page for 12 s on a busy
 * 2-core machine), and a block that size is output to scroll past, not code to read.
 */
const maxHighlightChars = 64 * 1024;

/** Highlighted code as DOM. Unknown languages come back as plain text. */
export function highlight(code: string, language: string | undefined): Node {
	if (!language || !hljs.getLanguage(language) || code.length > maxHighlightChars) return document.createTextNode(code);
	const key = `${language}\u0000${code}`;
	let html = cache.get(key);
	if (html === undefined) {
		html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
		if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
		cache.set(key, html);
	}
	// highlight.js escapes the code, but its output is HTML, so it passes the sanitizer like everything else.
	return sanitizedFragment(html, 'highlight');
}

/** Compiles each grammar in idle time, one per callback, so the first code block of a stream does not pay for it. */
function warmUp(names: string[]): void {
	const name = names.shift();
	if (name === undefined || typeof requestIdleCallback !== 'function') return;
	requestIdleCallback(() => {
		hljs.highlight('x', { language: name, ignoreIllegals: true });
		warmUp(names);
	});
}
warmUp(Object.keys(languages));
