// Markdown → sanitized DOM, with highlighted code blocks that carry Copy and Insert buttons.
import { Lexer, Marked, type Token, type TokensList } from 'marked';
import { markedOptions } from './blocks';
import { highlight } from './highlight';
import { withIcon } from './icon';
import { sanitizedFragment } from './sanitize';
import { button, h } from '../dom';
import { t } from '../l10n';

const marked = new Marked(markedOptions);

/**
 * Inline text (a paragraph, a heading, a list item's or a table cell's text) longer than this is shown as plain
 * text. marked's emphasis matching is quadratic in unmatched `*` and `_` (markedjs/marked#4099): one 128 KB line
 * took 10 s, 512 KB over three minutes; 16 KB stays near 0.1 s. A paragraph that long is not prose to format.
 */
const maxInlineChars = 16 * 1024;

class BoundedLexer extends Lexer {
	override inlineTokens(src: string, tokens: Token[] = []): Token[] {
		if (src.length <= maxInlineChars) return super.inlineTokens(src, tokens);
		// Not escaped yet: the renderer escapes it, so any HTML in it shows as text.
		tokens.push({ type: 'text', raw: src, text: src, escaped: false });
		return tokens;
	}
}

export interface CodeActions {
	copy(code: string): void;
	insert(code: string): void;
}

/** Renders `source` into `container`, replacing what was there. */
export function renderMarkdown(container: HTMLElement, source: string, actions: CodeActions): void {
	container.replaceChildren(markdownFragment(source, actions, true));
}

/**
 * `source` (text, or block tokens already lexed) as sanitized DOM. `highlightCode` is off for a block still
 * streaming: it is re-rendered every frame until finished, and highlighting it once then is enough.
 */
export function markdownFragment(source: string | Token[], actions: CodeActions, highlightCode: boolean): DocumentFragment {
	const html = marked.parser(typeof source === 'string' ? lexBlocks(source) : source);
	const fragment = sanitizedFragment(html, 'markdown');
	for (const block of Array.from(fragment.querySelectorAll('pre'))) decorateCodeBlock(block, actions, highlightCode);
	return fragment;
}

// The first render compiles marked's and DOMPurify's code paths: done while the panel is idle, not mid-stream.
if (typeof requestIdleCallback === 'function') {
	requestIdleCallback(() => markdownFragment('# a\n\n**b** `c` [d](#e)\n\n- f\n\n1. g\n\n> h\n\n| i |\n|---|\n| j |\n\n```\nk\n```', { copy() {}, insert() {} }, false));
}

/** The top-level block tokens of `source` (their `raw` strings concatenate back to `source`). */
export function lexBlocks(source: string): TokensList {
	// A fresh options object: the lexer stores its tokenizer in it.
	return new BoundedLexer({ ...marked.defaults }).lex(source);
}

function decorateCodeBlock(pre: HTMLPreElement, actions: CodeActions, highlightCode: boolean): void {
	const code = pre.querySelector('code');
	const text = (code ?? pre).textContent ?? '';
	const language = /\blanguage-([\w+#.-]+)/.exec(code?.className ?? '')?.[1];
	if (code && highlightCode) {
		code.replaceChildren(highlight(text, language));
		code.classList.add('hljs');
	}
	// The label is the text node after the icon; replacing it alone keeps the icon.
	const label = (key: 'copy' | 'copied'): void => { if (copy.lastChild) copy.lastChild.textContent = t(key); };
	const copy = withIcon(button(t('copy'), () => {
		actions.copy(text);
		label('copied');
		setTimeout(() => label('copy'), 1500);
	}, { class: 'code-action', title: t('copy') }), 'copy');
	const insert = withIcon(button(t('insert'), () => actions.insert(text), { class: 'code-action', title: 'Insert at cursor' }), 'insert');
	const toolbar = h('div', { class: 'code-toolbar' }, h('span', { class: 'code-language' }, language ?? ''), copy, insert);
	const wrapper = h('div', { class: 'code-block' });
	pre.replaceWith(wrapper);
	wrapper.append(toolbar, pre);
}
