// Where streamed Markdown can be cut into independently rendered top-level blocks. Pure (no DOM, no marked
// instance), so unit tests can check it against one-shot rendering.
import type { Token, Tokens, TokensList } from 'marked' with { 'resolution-mode': 'import' };

/** The options of the panel's one Markdown renderer (markdown.ts). */
export const markedOptions = { gfm: true, breaks: false, async: false } as const;

export function joinRaw(tokens: Token[], from: number, to: number): string {
	let raw = '';
	for (let index = from; index < to; index++) raw += tokens[index].raw;
	return raw;
}

const listMarker = /^[ \t]*([-+*]|\d)/;

/**
 * How many leading tokens are final: all up to the last safe cut. A cut is safe after a block that a blank line
 * ends (or a heading, rule or fenced code, which end on their own line): marked decides a block's extent from
 * the lines after it, so nowhere else. Two exceptions keep blocks together: a list, while the last (still
 * growing) block may become another item of it, and raw HTML, which may open an element that the blocks after
 * it sit inside (nothing from there on is cut). The last non-space token is never final.
 */
export function finishedBlocks(tokens: TokensList | Token[]): number {
	const last = previousBlock(tokens, tokens.length);
	const beforeLast = previousBlock(tokens, last);
	let cut = 0;
	for (let index = 0; index < last; index++) {
		const token = tokens[index];
		if (token.type === 'space') continue;
		if (token.type === 'html') break;
		const endsItself = token.type === 'heading' || token.type === 'hr' || (token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented');
		if (!endsItself && !isBlank(tokens[index + 1])) continue;
		if (token.type === 'list' && index === beforeLast && listMarker.test(tokens[last].raw)) continue;
		cut = index + 1;
		while (cut < last && tokens[cut].type === 'space') cut++;
	}
	return cut;
}

/** The index of the last non-space token before `end`, or -1. */
function previousBlock(tokens: Token[], end: number): number {
	let index = end - 1;
	while (index >= 0 && tokens[index].type === 'space') index--;
	return index;
}

/** A space token that holds a blank line, not only the newline ending the previous block's last line. */
function isBlank(token: Token): boolean {
	return token.type === 'space' && token.raw.indexOf('\n') !== token.raw.lastIndexOf('\n');
}
