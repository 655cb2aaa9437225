// Classifies every failure into a ProviderError: a kind, the provider's own words (redacted of secrets), and a
// sentence saying what to do. Both SDKs are duck-typed rather than imported so this file stays SDK-free.
import { rawErrorBody } from './errorBodies';
import { ProviderError, type ProviderErrorKind } from './types';

/** What an error body said, whatever its shape (OpenAI, Anthropic, a Google JSON array, plain text, HTML). */
interface BodyInfo {
	message: string;
	type?: string;
	code?: string;
	/** A numeric code inside the payload (some gateways put the HTTP status there). */
	numericCode?: number;
	html?: boolean;
}

const maxProviderMessage = 1000;

/** Removes anything that looks like a credential: OpenAI-style keys, bearer tokens, Google keys and tokens. */
export function redactSecrets(text: string): string {
	return text
		.replace(/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer [redacted]')
		.replace(/\bsk-[A-Za-z0-9_*-]{6,}/g, 'sk-[redacted]')
		.replace(/\bAIza[0-9A-Za-z_-]{20,}/g, '[redacted]')
		.replace(/\bya29\.[A-Za-z0-9._-]+/g, '[redacted]');
}

/** Any thrown value (SDK APIError of either SDK, fetch TypeError, AbortError, ProviderError) -> ProviderError. */
export function toProviderError(error: unknown, signal?: AbortSignal): ProviderError {
	if (error instanceof ProviderError) return error;
	if (signal?.aborted || isAbort(error)) return abortedError(error);
	if (isObject(error)) {
		const name = errorName(error);
		if (name === 'APIConnectionTimeoutError') return timeoutError(error);
		if (name === 'APIConnectionError') return networkError(error.cause ?? error, error);
		if ('status' in error && 'headers' in error && 'error' in error) return fromSdkApiError(error);
	}
	if (error instanceof SyntaxError) {
		return new ProviderError('invalid-response', `The provider's response was not valid JSON (${error.message}); the server may have returned an HTML page, not an API response — check the base URL.`, { cause: error });
	}
	if (error instanceof TypeError || hasNetworkCode(error)) return networkError(error, error);
	const text = redactSecrets(error instanceof Error ? error.message : String(error));
	return new ProviderError('network', `The request to the provider failed: ${text}`, { cause: error, retryable: true, providerMessage: text });
}

/** An HTTP error response (JSON, JSON-array, plain text or HTML body) -> ProviderError, with retry-after honoured. */
export function errorFromResponse(status: number, headers: Headers, bodyText: string): ProviderError {
	const body = parseBody(bodyText, headers.get('content-type') ?? '');
	const retryAfterMs = retryAfterFromHeaders(headers) ?? retryAfterFromText(bodyText);
	return classify(status, body, retryAfterMs);
}

/** An error payload found inside a 200 stream (OpenAI `{"error":{...}}` chunk, Anthropic `event: error`). */
export function errorFromStreamPayload(payload: unknown): ProviderError {
	const body = typeof payload === 'string' ? parseBody(payload, '') : bodyFromValue(payload) ?? { message: safeStringify(payload) };
	const status = body.numericCode !== undefined && body.numericCode >= 400 && body.numericCode < 600 ? body.numericCode : statusForType(body);
	const raw = typeof payload === 'string' ? payload : safeStringify(payload);
	const error = classify(status, body, retryAfterFromText(raw), 'mid-stream');
	// The status above may be inferred from the error type; only a code the payload carried is reported.
	return new ProviderError(error.kind, error.message, { ...error.details, status: status === body.numericCode ? status : undefined });
}

function classify(status: number | undefined, body: BodyInfo, retryAfterMs: number | undefined, where?: 'mid-stream'): ProviderError {
	const providerMessage = redactSecrets(body.message).slice(0, maxProviderMessage);
	const said = !providerMessage ? '' : body.html
		? ` The server returned an HTML page, not an API response — check the base URL. Page: ${providerMessage}`
		: ` Provider said: ${providerMessage}`;
	const code = where ? 'in the stream' : status === undefined ? 'no status' : String(status);
	const details = { status, providerMessage, retryAfterMs };
	const make = (kind: ProviderErrorKind, text: string, retryable: boolean) => new ProviderError(kind, `${text}${said}`, { ...details, retryable });
	const words = `${body.type ?? ''} ${body.code ?? ''} ${body.message}`.toLowerCase();
	const clientSide = status === undefined || status === 400 || status === 413 || status === 422;
	if (status === 401) return make('auth', `The provider rejected the API key (401). Set a valid key with 'Switchboard: Set API Key' (or check the provider's token command).`, false);
	// Some providers refuse an account without credit with 403 rather than 402/429: that is billing, not the key.
	if (status === 403 && isQuota(words)) {
		return make('quota', `The provider account is out of quota or credit (${code}). Check the plan and billing with the provider; retrying will not help.`, false);
	}
	if (status === 403) return make('auth', `The provider refused access (403): the key or account may not use this model or endpoint. Check the key's permissions, or set another key with 'Switchboard: Set API Key'.`, false);
	if (status === 402 || ((status === 429 || status === undefined) && isQuota(words))) {
		return make('quota', `The provider account is out of quota or credit (${code}). Check the plan and billing with the provider; retrying will not help.`, false);
	}
	if (status === 404) return make('not-found', `The provider answered 404 Not Found: check the base URL and the model id.`, false);
	if (status === 413 || (clientSide && isContextLength(words))) {
		return make('context-length', `The conversation is too long for the model's context window (${code}). Start a new chat or shorten the history.`, false);
	}
	if (status === 429) return make('rate-limit', `The provider is rate-limiting requests (429). Wait a moment and try again, or lower the request rate.`, true);
	if (status === 529 || ((status === undefined || status >= 500) && words.includes('overloaded'))) {
		return make('overloaded', `The provider is overloaded (${code}). Try again shortly or pick another model.`, true);
	}
	if (status === 408) return make('network', `The provider timed out waiting for the request (408). Try again; check the network if it repeats.`, true);
	if (status !== undefined && status >= 500) return make('server', `The provider had a server error (${code}). This is usually temporary; try again.`, true);
	if (status !== undefined && status >= 400) return make('bad-request', `The provider rejected the request (${code}). Check the model id and any extra body fields or headers in the provider settings.`, false);
	if (status !== undefined) return make('invalid-response', `The provider answered with an unexpected status (${code}). Check the base URL.`, false);
	return make('server', `The provider reported an error mid-stream. Try again.`, true);
}

function isQuota(words: string): boolean {
	if (/insufficient_quota|exceeded your current quota|billing|credit balance|insufficient (?:balance|credits?|funds)/.test(words)) return true;
	// "Quota exceeded for ... requests per minute" (Google) is a rate limit that clears by itself.
	// Vertex says "Resource has been exhausted (e.g. check quota)" on a plain 429 too.
	return /quota/.test(words) && !/per[ _-]?(?:minute|second|min|sec)|rate|resource(?: has been)? exhausted|resource_exhausted|try again/.test(words);
}

function isContextLength(words: string): boolean {
	return /context[_ ]length|maximum context|context window|too many tokens|prompt is too long|request_too_large|input is too long/.test(words);
}

/** Anthropic and OpenAI error types for payloads that come without an HTTP status (stream errors). */
function statusForType(body: BodyInfo): number | undefined {
	const type = `${body.type ?? ''} ${body.code ?? ''}`.toLowerCase();
	if (/authentication|invalid_api_key/.test(type)) return 401;
	if (/permission/.test(type)) return 403;
	if (/not_found/.test(type)) return 404;
	if (/request_too_large/.test(type)) return 413;
	if (/insufficient_quota|billing/.test(type)) return 402;
	if (/rate_limit/.test(type)) return 429;
	if (/overloaded/.test(type)) return 529;
	if (/invalid_request/.test(type)) return 400;
	return undefined;
}

function parseBody(text: string, contentType: string): BodyInfo {
	const trimmed = text.trim();
	if (contentType.includes('text/html') || /^<(?:!doctype\s+html|html|head|body)\b/i.test(trimmed)) return htmlBody(trimmed);
	try {
		const parsed = bodyFromValue(JSON.parse(trimmed));
		if (parsed) return parsed;
	} catch {
		// Not JSON: plain text is the provider's message as it stands.
	}
	return { message: trimmed };
}

/** The error inside a JSON value: `{error:{message,type,code}}`, `{type:'error',error:{...}}`, `[{error:{...}}]`, `{message}`. */
function bodyFromValue(value: unknown): BodyInfo | undefined {
	if (Array.isArray(value)) return value.length > 0 ? bodyFromValue(value[0]) : undefined;
	if (typeof value === 'string') return { message: value };
	if (!isObject(value)) return undefined;
	const inner = value.error;
	if (isObject(inner) || Array.isArray(inner)) {
		const nested = bodyFromValue(inner);
		if (nested) return { ...nested, type: nested.type ?? stringOf(value.type === 'error' ? undefined : value.type) };
	}
	if (typeof inner === 'string') return { message: inner, type: stringOf(value.type), code: stringOf(value.code) };
	// Flat bodies: Mistral `{object:'error',message,type}`, a gateway's `{status:'failure',message}`, FastAPI's
	// `{detail:'…'}` or `{detail:[{loc,msg,type}]}` (https://fastapi.tiangolo.com/tutorial/handling-errors/), Baidu's `error_msg`.
	const message = messageText(value.message) ?? detailText(value.detail) ?? stringOf(value.error_msg) ?? stringOf(value.msg);
	const type = stringOf(value.type) ?? stringOf(value.status);
	if (message === undefined && type === undefined) return { message: safeStringify(value) };
	const numericCode = typeof value.code === 'number' ? value.code : undefined;
	return { message: message ?? '', type, code: typeof value.code === 'string' ? value.code : stringOf(value.error_code), numericCode };
}

/**
 * A `message` field: usually a sentence, but Mistral's proxy puts a FastAPI body there, as an object or as its JSON
 * text (`"message":"{\"detail\":[…]}"`, https://github.com/mistralai/platform-docs-public/issues/7).
 */
function messageText(message: unknown): string | undefined {
	if (isObject(message)) return bodyFromValue(message)?.message;
	if (typeof message !== 'string') return undefined;
	const trimmed = message.trim();
	if (!trimmed.startsWith('{"detail"')) return message;
	try {
		return bodyFromValue(JSON.parse(trimmed))?.message ?? message;
	} catch {
		return message;
	}
}

/** FastAPI's `detail`: a sentence, or a list of validation errors each with `msg` and the `loc` it refers to. */
function detailText(detail: unknown): string | undefined {
	if (typeof detail === 'string') return detail;
	if (isObject(detail)) return stringOf(detail.message) ?? stringOf(detail.msg) ?? safeStringify(detail);
	if (!Array.isArray(detail) || detail.length === 0) return undefined;
	return detail.map((item) => {
		if (!isObject(item)) return String(item);
		const where = Array.isArray(item.loc) ? `${item.loc.join('.')}: ` : '';
		return `${where}${stringOf(item.msg) ?? stringOf(item.message) ?? safeStringify(item)}`;
	}).join('; ');
}

function htmlBody(html: string): BodyInfo {
	const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
	const text = html
		.replace(/<(script|style|head)\b[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&nbsp;/g, ' ')
		.replace(/&amp;/g, '&')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/\s+/g, ' ')
		.trim();
	const titleText = title?.replace(/\s+/g, ' ').trim();
	const rest = titleText && text.startsWith(titleText) ? text.slice(titleText.length).trim() : text;
	const message = [titleText, rest.slice(0, 300)].filter((part) => part).join(' — ');
	return { message, html: true };
}

/** `retry-after-ms` (milliseconds), then `retry-after` (seconds or an HTTP date). */
export function retryAfterFromHeaders(headers: Headers | undefined): number | undefined {
	const ms = headers?.get('retry-after-ms');
	if (ms && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Math.round(Number(ms));
	const value = headers?.get('retry-after')?.trim();
	if (!value) return undefined;
	if (/^\d+(?:\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** "Please try again in 1.146s", "try again in 20ms", "retry after 3 seconds", Google's `"retryDelay": "20s"`. */
export function retryAfterFromText(text: string): number | undefined {
	const phrase = /(?:try again|retry)(?: after| in)\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)\b/i.exec(text);
	if (phrase) return Math.round(Number(phrase[1]) * unitMs(phrase[2].toLowerCase()));
	const google = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(text);
	return google ? Math.round(Number(google[1]) * 1000) : undefined;
}

function unitMs(unit: string): number {
	if (unit === 'ms' || unit.startsWith('millisecond')) return 1;
	if (unit.startsWith('m')) return 60_000;
	return 1000;
}

function fromSdkApiError(error: Record<string, unknown>): ProviderError {
	const status = typeof error.status === 'number' ? error.status : undefined;
	const headers = error.headers instanceof Headers ? error.headers : undefined;
	const payload = error.error;
	if (status === undefined && payload === undefined) {
		// Connection, timeout and abort errors carry neither status nor body; this also holds when a minified
		// build has renamed the SDK classes.
		return /timed? ?out/i.test(stringOf(error.message) ?? '') ? timeoutError(error) : networkError(error.cause ?? error, error);
	}
	if (status === undefined) return errorFromStreamPayload(payload);
	// The body as the server sent it (errorBodies.ts read it before the SDK kept only part of it); failing that, the
	// SDKs keep the parsed JSON body in `error` (OpenAI: its inner `error` object) and a non-JSON body only in the
	// message, after the status.
	const message = stringOf(error.message) ?? '';
	const bodyText = rawErrorBody(headers) ?? (payload === undefined ? message.replace(new RegExp(`^${status}\\s+`), '') : safeStringify(isObject(payload) && !('error' in payload) ? { error: payload } : payload));
	const fromBody = errorFromResponse(status, headers ?? new Headers(), bodyText === `status code (no body)` ? '' : bodyText);
	return new ProviderError(fromBody.kind, fromBody.message, { ...fromBody.details, cause: error });
}

function networkError(cause: unknown, original: unknown): ProviderError {
	const code = networkCode(cause) ?? networkCode(original);
	const hint = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name did not resolve — check the base URL'
		: code === 'ECONNREFUSED' ? 'nothing is listening there — check the base URL and that the server is running'
			: code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' ? 'the connection was reset — try again; check any proxy if it repeats'
				: 'check the base URL, your network and any proxy';
	const text = redactSecrets(describe(cause));
	return new ProviderError('network', `Could not reach the provider${code ? ` (${code})` : ''}: ${hint}. (${text})`, { retryable: true, providerMessage: text, cause: original });
}

function timeoutError(error: unknown): ProviderError {
	return new ProviderError('network', 'The request to the provider timed out. Try again; check the network or raise the timeout if it repeats.', { retryable: true, cause: error });
}

function abortedError(error: unknown): ProviderError {
	return new ProviderError('aborted', 'The request was cancelled.', { cause: error });
}

function isAbort(error: unknown): boolean {
	if (!isObject(error)) return false;
	const name = errorName(error);
	return name === 'AbortError' || name === 'APIUserAbortError';
}

function errorName(error: Record<string, unknown>): string {
	// Anthropic sets `name`; OpenAI's classes keep the default, so the constructor name is the other clue.
	const name = typeof error.name === 'string' ? error.name : '';
	if (name && name !== 'Error') return name;
	const ctor = (error as { constructor?: { name?: unknown } }).constructor?.name;
	return typeof ctor === 'string' ? ctor : name;
}

function hasNetworkCode(error: unknown): boolean {
	return networkCode(error) !== undefined;
}

/** ECONNRESET and friends, on the error or anywhere down its `cause` chain. */
function networkCode(error: unknown): string | undefined {
	for (let current = error, depth = 0; isObject(current) && depth < 5; current = current.cause, depth++) {
		const code = current.code;
		if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
	}
	return undefined;
}

function describe(error: unknown): string {
	const parts: string[] = [];
	for (let current = error, depth = 0; current !== undefined && depth < 4; depth++) {
		const text = current instanceof Error ? current.message : String(current);
		if (text && !parts.includes(text)) parts.push(text);
		current = isObject(current) ? current.cause : undefined;
	}
	return parts.join(': ');
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

function safeStringify(value: unknown): string {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}
