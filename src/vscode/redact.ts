// Removes credentials from text bound for the log. Pure (no 'vscode'), so it is unit-tested in plain Node.

const REDACTED = '[redacted]';

// Shapes that are credentials whoever owns them: OpenAI/Anthropic/DeepSeek-style `sk-…` keys, Google API keys,
// bearer tokens in headers or error messages, and `"api_key": "…"`-like pairs in logged JSON.
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
	[/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, `Bearer ${REDACTED}`],
	[/\bsk-[A-Za-z0-9_-]{6,}/g, REDACTED],
	[/\bAIza[0-9A-Za-z_-]{20,}/g, REDACTED],
	[/("?(?:x-api-key|x-goog-api-key|api[_-]?key|authorization)"?\s*[:=]\s*"?)(?!Bearer\b)(?!\[redacted\])[^\s",}]+/gi, `$1${REDACTED}`],
];

/** Shorter secrets are not replaced: a 1-3 character "key" would shred ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** Replaces every known secret, then every credential-shaped substring, with a marker. */
export function redact(text: string, knownSecrets: Iterable<string> = []): string {
	let result = text;
	// Longest first, so a key that contains another key is removed whole.
	const secrets = [...knownSecrets].filter((secret) => secret.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
	for (const secret of secrets) result = result.split(secret).join(REDACTED);
	for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
	return result;
}
