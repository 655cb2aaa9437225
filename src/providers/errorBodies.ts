// Keeps the raw body of every HTTP error response. Both SDKs keep only the parsed JSON's `error` field (openai-node:
// `APIError.generate(status, body?.error, …)`), so a flat body (Mistral's `{"object":"error","message":…}`), a JSON
// array (Google's OpenAI-compatible endpoint: `[{"error":{…}}]`) or FastAPI's `{"detail":…}` reach the caller as
// "400 status code (no body)". This fetch wrapper reads the body first (bounded), hands the SDK an identical
// response, and remembers the text by that response's Headers object, which the SDK puts on the error it throws.

/** More than any error message needs; a huge error page is cut here. */
const maxErrorBodyBytes = 64 * 1024;

const rawBodies = new WeakMap<Headers, string>();
/** Statuses a Response may not be built with a body for. */
const nullBodyStatuses = new Set([204, 205, 304]);

/** The raw error body behind an SDK error's `headers`, when this wrapper read it. */
export function rawErrorBody(headers: unknown): string | undefined {
	return headers instanceof Headers ? rawBodies.get(headers) : undefined;
}

export function keepingErrorBodies(base: typeof fetch): typeof fetch {
	return async (input, init) => {
		const response = await base(input, init);
		// 3xx too: without redirects followed, a redirect is an error the user must see the body of.
		if (response.ok || response.status === 101) return response;
		const text = await readBounded(response);
		const copy = new Response(nullBodyStatuses.has(response.status) ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
		rawBodies.set(copy.headers, text);
		return copy;
	};
}

async function readBounded(response: Response): Promise<string> {
	if (response.body === null) return '';
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	let text = '';
	let bytes = 0;
	try {
		while (bytes < maxErrorBodyBytes) {
			const { done, value } = await reader.read();
			if (done) break;
			bytes += value.byteLength;
			text += decoder.decode(value, { stream: true });
		}
		text += decoder.decode();
	} catch {
		// A body cut off mid-read still says what it said so far.
	} finally {
		if (bytes >= maxErrorBodyBytes) await reader.cancel().catch(() => undefined);
		reader.releaseLock();
	}
	return text.length > maxErrorBodyBytes ? text.slice(0, maxErrorBodyBytes) : text;
}
