// Markdown → sanitized DOM, with highlighted code blocks that carry Copy and Insert buttons.
import { Marked } from 'marked';
import { highlight } from './highlight';
import { sanitizedFragment } from './sanitize';
import { button, h } from '../dom';
import { t } from '../l10n';

const marked = new Marked({ gfm: true, breaks: false, async: false });

export interface CodeActions {
	copy(code: string): void;
	insert(code: string): void;
}

/** Renders `source` into `container`, replacing what was there. */
export function renderMarkdown(container: HTMLElement, source: string, actions: CodeActions): void {
	const html = marked.parse(source, { async: false });
	const fragment = sanitizedFragment(html);
	for (const block of Array.from(fragment.querySelectorAll('pre'))) decorateCodeBlock(block, actions);
	container.replaceChildren(fragment);
}

function decorateCodeBlock(pre: HTMLPreElement, actions: CodeActions): void {
	const code = pre.querySelector('code');
	const text = (code ?? pre).textContent ?? '';
	const language = /\blanguage-([\w+#.-]+)/.exec(code?.className ?? '')?.[1];
	if (code) {
		code.replaceChildren(highlight(text, language));
		code.classList.add('hljs');
	}
	const copy = button(t('copy'), () => {
		actions.copy(text);
		copy.textContent = t('copied');
		setTimeout(() => { copy.textContent = t('copy'); }, 1500);
	}, { class: 'code-action', title: t('copy') });
	const insert = button(t('insert'), () => actions.insert(text), { class: 'code-action', title: 'Insert at cursor' });
	const toolbar = h('div', { class: 'code-toolbar' }, h('span', { class: 'code-language' }, language ?? ''), copy, insert);
	const wrapper = h('div', { class: 'code-block' });
	pre.replaceWith(wrapper);
	wrapper.append(toolbar, pre);
}
