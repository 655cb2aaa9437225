// Syntax highlighting with highlight.js's common language set (about 37 grammars: Go, Rust, Java, C#, C/C++, SQL,
// Kotlin, Swift, PHP, Ruby, shell, YAML, …): the languages models write most. The webview bundle grows by about
// 100 KB with it; the full set of about 190 grammars would add several times that.
import hljs from 'highlight.js/lib/common';
import { sanitizedFragment } from './sanitize';

// highlight.js's "shell" grammar is a console session: only lines after a `$ ` prompt are highlighted, so the
// commands models put in ```shell / ```console blocks would show plain. Those names mean bash here.
hljs.unregisterLanguage('shell');
hljs.registerAliases(['shell', 'console', 'shellsession'], { languageName: 'bash' });

// A grammar compiles on its first use (tens of ms for TypeScript on a busy machine, enough to make the first answer's
// frame a long task): the languages answers use most are compiled while the panel is idle, a few per idle period,
// before any answer needs them. The rest compile when first shown: warming all 37 would itself be long tasks
// (Java, PHP and C++ take 50 ms and more each on a busy 2-core machine).
const warmFirst = ['typescript', 'javascript', 'python', 'bash', 'json', 'yaml', 'markdown', 'xml', 'css', 'diff'];
if (typeof requestIdleCallback === 'function') {
	const pending = [...warmFirst];
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
