// Parses JSON as models and gateways actually produce it. The only leniency is for raw control characters
// (a literal newline or tab) inside string literals, which strict JSON forbids but which some models emit in
// tool arguments and some documented responses contain (the final answer in Vertex AI's open-model function-calling guide). Nothing else is repaired:
// a truncated or malformed value stays an error, so a broken tool call never runs.

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; message: string };

export function parseLenientJson(text: string): JsonParseResult {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (strictError) {
		const escaped = escapeControlCharactersInStrings(text);
		if (escaped !== text) {
			try {
				return { ok: true, value: JSON.parse(escaped) };
			} catch {
				// Fall through to the strict parser's message, which points at the original text.
			}
		}
		return { ok: false, message: strictError instanceof Error ? strictError.message : String(strictError) };
	}
}

/** Replaces U+0000..U+001F inside string literals with their escapes; text outside strings is untouched. */
function escapeControlCharactersInStrings(text: string): string {
	let out = '';
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (inString) {
			if (char === '\\') {
				out += char + (text[i + 1] ?? '');
				i++;
				continue;
			}
			if (char === '"') inString = false;
			const code = char.charCodeAt(0);
			if (code < 0x20) {
				out += code === 0x0a ? '\\n' : code === 0x0d ? '\\r' : code === 0x09 ? '\\t' : `\\u${code.toString(16).padStart(4, '0')}`;
				continue;
			}
		} else if (char === '"') {
			inString = true;
		}
		out += char;
	}
	return out;
}
