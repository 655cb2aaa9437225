// A tiny element builder: text goes in as text nodes, never as HTML.

type Attributes = Record<string, string | boolean | undefined>;
type Child = Node | string | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
	const element = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		if (value === undefined || value === false) continue;
		element.setAttribute(name, value === true ? '' : value);
	}
	for (const child of children) {
		if (child === undefined || child === false) continue;
		element.append(child);
	}
	return element;
}

/** A button that runs `action` on click. No inline handlers: the CSP forbids them. */
export function button(label: string, action: () => void, attributes: Attributes = {}): HTMLButtonElement {
	const element = h('button', { type: 'button', ...attributes }, label);
	element.addEventListener('click', action);
	return element;
}

export function isNearBottom(element: HTMLElement): boolean {
	return element.scrollHeight - element.scrollTop - element.clientHeight < 48;
}
