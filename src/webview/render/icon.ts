// VS Code's codicons (dist/codicon.css, shipped with the extension). Icons are decoration: the text or aria-label names the control.

export function icon(name: string, spin = false): HTMLSpanElement {
	const element = document.createElement('span');
	element.className = `codicon codicon-${name}${spin ? ' codicon-modifier-spin' : ''}`;
	element.setAttribute('aria-hidden', 'true');
	return element;
}

/** Puts an icon before a button's label; the label stays the accessible name. */
export function withIcon<T extends HTMLElement>(element: T, name: string): T {
	element.prepend(icon(name));
	element.classList.add('has-icon');
	return element;
}
