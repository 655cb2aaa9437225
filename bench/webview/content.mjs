// What the webview bench feeds the panel: a long Markdown answer as tokens, and a long saved conversation.

const words = ['the', 'panel', 'renders', 'streamed', 'markdown', 'with', 'code', 'blocks', 'lists', 'and', 'prose', 'while', 'tokens', 'arrive', 'quickly', 'from', 'host'];
const word = (n) => words[n % words.length];

function prose(count, seed) {
	const out = [];
	for (let index = 0; index < count; index++) out.push(index % 13 === 12 ? `**${word(seed + index)}**` : word(seed + index));
	return `${out.join(' ')}.`;
}

function codeBlock(n) {
	const lines = [`export function step${n}(input: number[]): number {`, '\tlet total = 0;'];
	for (let line = 0; line < 8; line++) lines.push(`\tif (input[${line}] > ${n}) total += input[${line}] * ${line + 1}; // weight ${line}`);
	lines.push('\treturn total;', '}');
	return `\`\`\`ts\n${lines.join('\n')}\n\`\`\``;
}

/** Splits text into word-sized tokens (leading whitespace kept), so joining them gives the text back. */
export function tokenize(text) {
	return text.match(/\s*\S+|\s+$/g) ?? [];
}

/**
 * About `target` tokens of Markdown: sections of prose, a list and a TypeScript block, with `codeBlocks` code
 * blocks in all (30 for the 20,000-token answer, proportionally otherwise). Ends with `sentinel`.
 */
export function markdownAnswer(target, sentinel) {
	const codeBlocks = Math.max(1, Math.round((target * 30) / 20_000));
	const sections = [];
	for (let n = 0; n < codeBlocks; n++) {
		const section = [
			`## Part ${n + 1}`,
			prose(120, n),
			['- first ', '- second ', '- third ', '- fourth '].map((item, index) => `${item}${prose(8, n + index)}`).join('\n'),
			codeBlock(n),
			prose(90, n + 3),
		].join('\n\n');
		sections.push(section);
	}
	// Pad with prose to the target, so every size has the same mix per token.
	let body = sections.join('\n\n');
	let missing = target - 1 - tokenize(body).length;
	while (missing > 0) {
		const count = Math.min(missing, 150);
		body += `\n\n${prose(count, missing)}`;
		missing = target - 1 - tokenize(body).length;
	}
	return `${body}\n\n${sentinel}`;
}

/** 2,000 messages (1,000 user, 1,000 assistant) holding 300 tool cards in all. */
export function longConversation(messages = 2_000, cards = 300) {
	const turns = [];
	const pairs = messages / 2;
	let placed = 0;
	for (let n = 0; n < pairs; n++) {
		turns.push({ role: 'user', turnId: `u${n}`, text: `Question ${n}: ${prose(20, n)}` });
		const segments = [{ kind: 'text', text: `${prose(40, n)}\n\n- ${prose(6, n)}\n- ${prose(6, n + 1)}${n % 10 === 0 ? `\n\n${codeBlock(n)}` : ''}` }];
		// Spread the cards evenly: turn n gets one when the running quota says so.
		while (placed < Math.round(((n + 1) * cards) / pairs)) {
			const callId = `call${placed}`;
			segments.push({
				kind: 'tool',
				call: {
					callId, toolName: 'read_file', summary: `Read src/file${placed}.ts lines 1–80`, risk: 'read',
					argumentsText: JSON.stringify({ path: `src/file${placed}.ts`, startLine: 1, endLine: 80 }, null, 2),
					state: 'done', result: { text: `export const value${placed} = ${placed};\n`.repeat(20), truncated: false },
				},
			});
			segments.push({ kind: 'text', text: prose(25, placed) });
			placed++;
		}
		turns.push({ role: 'assistant', turnId: `a${n}`, segments, model: { provider: 'demo', model: 'scripted-1' }, usage: { inputTokens: 1200 + n, outputTokens: 300 }, finish: 'stop' });
	}
	return { id: 'long', title: 'A long chat', turns };
}
