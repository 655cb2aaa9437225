// The OpenAI Chat Completions adapter: the official SDK for transport, auth headers and HTTP errors; our own
// decoding of the streamed body (sseDecoder.ts: the SDK's copies its buffer for every event) and our own reading
// of the chunks (responseReader.ts), because real OpenAI-compatible servers stray from the spec.
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { errorFromStreamPayload, redactSecrets, toProviderError } from '../errors';
import { EventPump, precededBy } from '../eventPump';
import { streamWithRetries, type AttemptContext } from '../retry';
import { ProviderError, type ChatProvider, type ChatRequest, type ProviderDeps, type ProviderSettings, type StreamEvent } from '../types';
import { buildRequestBody } from './buildRequestBody';
import { IdleWatchdog, stalledError } from '../idleWatchdog';
import { keepingErrorBodies } from '../errorBodies';
import { withoutRedirects } from '../noRedirects';
import { bodyChunks, SseDecoder } from '../sseDecoder';
import { parseLenientJson } from './lenientJson';
import { interrupted, ResponseReader } from './responseReader';
import type { WireChunk, WireCompletion } from './wireTypes';

export function createOpenAIProvider(settings: ProviderSettings, deps: ProviderDeps): ChatProvider {
	const clients = clientCache(settings, deps);
	return {
		protocol: 'openai',
		stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
			return {
				[Symbol.asyncIterator]: () => {
					const { body, warnings } = buildRequestBody(request, settings);
					return precededBy(warnings, streamWithRetries((context) => attempt(settings, deps, clients, body, context), { settings, deps, signal }));
				},
			};
		},
	};
}

/**
 * One request, in an EventPump so that no generator sits in between. Streamed, the pump's items are the body's
 * byte chunks (one read() each), decoded and read into events synchronously.
 */
function attempt(settings: ProviderSettings, deps: ProviderDeps, clients: (apiKey: string | undefined) => OpenAI, body: Record<string, unknown>, context: AttemptContext): EventPump<Uint8Array> {
	const reader = new ResponseReader();
	let watchdog: IdleWatchdog | undefined;
	let sse: SseDecoder<StreamEvent[]> | undefined;
	/** [DONE] arrived: whatever follows it is ignored, as the SDK does. */
	let done = false;
	// A request stopped on purpose (caller abort or idle timeout) reports that, whatever was thrown.
	/** Part of the answer was read: a stall now is an interruption, not a failure to connect. */
	let partial = false;
	const stop = (error: unknown): ProviderError => toProviderError((watchdog && stopReason(context.signal, watchdog, settings, partial)) ?? error, context.signal);
	/** Reading the body failed: events for what was cut off go onto `out`; returns the error, or undefined to keep the response. */
	const broken = (error: unknown, out: StreamEvent[]): ProviderError | undefined => {
		if (watchdog === undefined || watchdog.signal.aborted) return stop(error);
		out.push(...reader.abandon());
		// An `{"error": …}` chunk inside a 200 stream.
		if (error instanceof StreamErrorChunk) return stop(errorFromStreamPayload({ error: error.payload }));
		if (error instanceof SyntaxError) {
			return stop(new ProviderError('invalid-response', `The provider sent a stream chunk that is not JSON: ${error.message}`, { cause: error }));
		}
		if (!reader.finished) return stop(interrupted('The connection broke before the response was complete. Try again; check the network or any proxy if it repeats.', error));
		// The response had finished (only the usage chunk or [DONE] was lost): keep it.
		out.push({ type: 'warning', message: 'The connection closed after the response finished; usage may be missing.' });
		return undefined;
	};
	/** One SSE event, read as the SDK reads them: [DONE] ends the body; an object with `error` is an error. */
	const onSseEvent = (event: string | null, data: string, out: StreamEvent[]): void => {
		if (done) return;
		if (data.startsWith('[DONE]')) {
			done = true;
			return;
		}
		// Empty data (the SDK would fail on it) and Assistants `thread.*` events carry no chunk.
		if (data.length === 0 || event?.startsWith('thread.') === true) return;
		const chunk = JSON.parse(data) as unknown;
		if (typeof chunk !== 'object' || chunk === null) return;
		const error = (chunk as { error?: unknown }).error;
		if (error !== undefined && error !== null && error !== false && error !== '') throw new StreamErrorChunk(error);
		reader.readChunk(chunk as WireChunk, out);
	};
	return new EventPump<Uint8Array>({
		async open(out) {
			const apiKey = await deps.credentials.get(context.signal);
			const client = clients(apiKey);
			watchdog = new IdleWatchdog(context.signal, settings.timeoutMs);
			if (body.stream !== true) {
				// The raw response, so that a body the strict JSON parser rejects (raw newlines, as in Vertex AI's open-model function-calling guide) still reads.
				const response = await client.chat.completions
					.create(body as unknown as ChatCompletionCreateParamsNonStreaming, { signal: watchdog.signal })
					.asResponse();
				readCompletionText(await response.text(), response.status, reader, out);
				return { items: [], watchdog };
			}
			// The SDK has checked the status (an HTTP error throws here, classified by toProviderError).
			const response = await client.chat.completions
				.create(body as unknown as ChatCompletionCreateParamsStreaming, { signal: watchdog.signal })
				.asResponse();
			// Some gateways ignore `stream: true` and answer with one JSON completion.
			if (response.headers.get('content-type')?.includes('application/json')) {
				readCompletionText(await response.text(), response.status, reader, out);
				return { items: [], watchdog };
			}
			sse = new SseDecoder(onSseEvent);
			return { items: response.body ? bodyChunks(response.body) : [], watchdog };
		},
		item(chunk, out) {
			sse?.push(chunk, out);
			if (!partial) partial = out.some((event) => event.type !== 'warning');
		},
		end(out) {
			// An abort can end the body without an error; the caller must still learn it was cut.
			if (sse !== undefined && watchdog?.signal.aborted) return stop(new Error('aborted'));
			try {
				sse?.end(out);
			} catch (error) {
				const final = broken(error, out);
				if (final !== undefined) return final;
			}
			const end = reader.end();
			out.push(...end.events);
			return end.error && stop(end.error);
		},
		fail(error, out, opened) {
			if (!opened) return stop(error);
			return broken(error, out);
		},
		close() {
			watchdog?.dispose();
		},
	});
}

/** An `{"error": …}` chunk inside a 200 stream, carrying the error. */
class StreamErrorChunk extends Error {
	constructor(readonly payload: unknown) {
		super('error chunk in the stream');
	}
}

/** The client for the current credential: building one per request costs as much as reading hundreds of chunks. */
function clientCache(settings: ProviderSettings, deps: ProviderDeps): (apiKey: string | undefined) => OpenAI {
	let cached: { apiKey: string | undefined; client: OpenAI } | undefined;
	return (apiKey) => {
		if (cached === undefined || cached.apiKey !== apiKey) cached = { apiKey, client: createClient(settings, deps, apiKey) };
		return cached.client;
	};
}

export function createClient(settings: ProviderSettings, deps: ProviderDeps, apiKey: string | undefined): OpenAI {
	return new OpenAI({
		// The SDK insists on a key; without one the Authorization header is removed (null unsets a header).
		apiKey: apiKey ?? 'no-key',
		defaultHeaders: { ...(apiKey === undefined ? { Authorization: null } : {}), ...settings.headers },
		baseURL: settings.baseUrl,
		// Never pick up the user's OPENAI_* environment for a third-party server.
		organization: null,
		project: null,
		webhookSecret: null,
		fetch: keepingErrorBodies(withoutRedirects(deps.fetch ?? globalThis.fetch)),
		// streamWithRetries owns retries, so that none happens after output reached the caller.
		maxRetries: 0,
		timeout: settings.timeoutMs,
		logLevel: 'off',
	});
}

/** A whole completion: its events onto `out`; the end of the response is read by the pump's end(). */
function readCompletionText(text: string, status: number, reader: ResponseReader, out: StreamEvent[]): void {
	const parsed = parseLenientJson(text);
	if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
		const said = redactSecrets(text.trim().slice(0, 500));
		throw new ProviderError('invalid-response', `The provider answered with a body that is not a JSON completion; check the base URL.${said ? ` Provider said: ${said}` : ''}`, { status, providerMessage: said });
	}
	const completion = parsed.value as WireCompletion;
	if (completion.error !== undefined && completion.error !== null) throw errorFromStreamPayload(completion);
	out.push(...reader.readCompletion(completion));
}

/** When the request was stopped on purpose (caller abort or idle timeout), that is the error to report. */
function stopReason(signal: AbortSignal, watchdog: IdleWatchdog, settings: ProviderSettings, partial: boolean): ProviderError | undefined {
	if (signal.aborted) return new ProviderError('aborted', 'The request was cancelled.');
	if (watchdog.timedOut) return stalledError(settings.timeoutMs, partial);
	return undefined;
}
