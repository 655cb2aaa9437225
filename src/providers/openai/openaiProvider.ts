// The OpenAI Chat Completions adapter: the official SDK for transport, auth headers and HTTP errors; our own
// reading of the chunks (responseReader.ts), because real OpenAI-compatible servers stray from the spec.
import OpenAI, { APIError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { errorFromStreamPayload } from '../errors';
import { streamWithRetries, type AttemptContext } from '../retry';
import { ProviderError, type ChatProvider, type ChatRequest, type ProviderDeps, type ProviderSettings, type StreamEvent } from '../types';
import { buildRequestBody } from './buildRequestBody';
import { IdleWatchdog } from '../idleWatchdog';
import { withoutRedirects } from '../noRedirects';
import { parseLenientJson } from './lenientJson';
import { interrupted, ResponseReader } from './responseReader';
import type { WireChunk, WireCompletion } from './wireTypes';

export function createOpenAIProvider(settings: ProviderSettings, deps: ProviderDeps): ChatProvider {
	return {
		protocol: 'openai',
		async *stream(request: ChatRequest, signal: AbortSignal): AsyncGenerator<StreamEvent> {
			const { body, warnings } = buildRequestBody(request, settings);
			for (const message of warnings) yield { type: 'warning', message };
			yield* streamWithRetries((context) => attempt(settings, deps, body, context), { settings, deps, signal });
		},
	};
}

async function* attempt(settings: ProviderSettings, deps: ProviderDeps, body: Record<string, unknown>, context: AttemptContext): AsyncGenerator<StreamEvent> {
	const apiKey = await deps.credentials.get(context.signal);
	const client = createClient(settings, deps, apiKey);
	const watchdog = new IdleWatchdog(context.signal, settings.timeoutMs);
	const reader = new ResponseReader();
	try {
		if (body.stream === true) yield* readStream(client, body, watchdog, reader);
		else yield* readWhole(client, body, watchdog, reader);
	} catch (error) {
		throw stopReason(context.signal, watchdog, settings) ?? error;
	} finally {
		watchdog.dispose();
	}
}

function createClient(settings: ProviderSettings, deps: ProviderDeps, apiKey: string | undefined): OpenAI {
	return new OpenAI({
		// The SDK insists on a key; without one the Authorization header is removed (null unsets a header).
		apiKey: apiKey ?? 'no-key',
		defaultHeaders: { ...(apiKey === undefined ? { Authorization: null } : {}), ...settings.headers },
		baseURL: settings.baseUrl,
		// Never pick up the user's OPENAI_* environment for a third-party server.
		organization: null,
		project: null,
		webhookSecret: null,
		fetch: withoutRedirects(deps.fetch ?? globalThis.fetch),
		// streamWithRetries owns retries, so that none happens after output reached the caller.
		maxRetries: 0,
		timeout: settings.timeoutMs,
		logLevel: 'off',
	});
}

async function* readStream(client: OpenAI, body: Record<string, unknown>, watchdog: IdleWatchdog, reader: ResponseReader): AsyncGenerator<StreamEvent> {
	const { data: stream, response } = await client.chat.completions
		.create(body as unknown as ChatCompletionCreateParamsStreaming, { signal: watchdog.signal })
		.withResponse();
	watchdog.kick();
	// Some gateways ignore `stream: true` and answer with one JSON completion.
	if (response.headers.get('content-type')?.includes('application/json')) {
		yield* readCompletionText(await response.text(), response.status, reader);
		return;
	}
	try {
		for await (const chunk of stream as AsyncIterable<unknown>) {
			watchdog.kick();
			if (typeof chunk === 'object' && chunk !== null) yield* reader.readChunk(chunk as WireChunk);
		}
	} catch (error) {
		if (watchdog.signal.aborted) throw error;
		yield* reader.abandon();
		if (error instanceof APIError && error.status === undefined && error.error !== undefined) {
			// The SDK throws an `{"error": …}` chunk of a 200 stream as a status-less APIError.
			throw errorFromStreamPayload({ error: error.error });
		}
		if (error instanceof SyntaxError) {
			throw new ProviderError('invalid-response', `The provider sent a stream chunk that is not JSON: ${error.message}`, { cause: error });
		}
		if (!reader.finished) throw interrupted('The connection broke before the response was complete. Try again; check the network or any proxy if it repeats.', error);
		// The response had finished (only the usage chunk or [DONE] was lost): keep it.
		yield { type: 'warning', message: 'The connection closed after the response finished; usage may be missing.' };
	}
	// The SDK ends an aborted stream quietly; the caller must still learn it was cut.
	if (watchdog.signal.aborted) throw new Error('aborted');
	yield* finish(reader);
}

async function* readWhole(client: OpenAI, body: Record<string, unknown>, watchdog: IdleWatchdog, reader: ResponseReader): AsyncGenerator<StreamEvent> {
	// The raw response, so that a body the strict JSON parser rejects (seed 004's raw newlines) still reads.
	const response = await client.chat.completions
		.create(body as unknown as ChatCompletionCreateParamsNonStreaming, { signal: watchdog.signal })
		.asResponse();
	yield* readCompletionText(await response.text(), response.status, reader);
}

function* readCompletionText(text: string, status: number, reader: ResponseReader): Generator<StreamEvent> {
	const parsed = parseLenientJson(text);
	if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
		throw new ProviderError('invalid-response', 'The provider answered with a body that is not a JSON completion.', { status, providerMessage: text.slice(0, 500) });
	}
	const completion = parsed.value as WireCompletion;
	if (completion.error !== undefined && completion.error !== null) throw errorFromStreamPayload(completion);
	yield* reader.readCompletion(completion);
	yield* finish(reader);
}

function* finish(reader: ResponseReader): Generator<StreamEvent> {
	const end = reader.end();
	yield* end.events;
	if (end.error) throw end.error;
}

/** When the request was stopped on purpose (caller abort or idle timeout), that is the error to report. */
function stopReason(signal: AbortSignal, watchdog: IdleWatchdog, settings: ProviderSettings): ProviderError | undefined {
	if (signal.aborted) return new ProviderError('aborted', 'The request was cancelled.');
	if (watchdog.timedOut) {
		return new ProviderError('network', `No data from the provider for ${settings.timeoutMs} ms. Try again; raise the timeout if the model is slow to answer.`, { retryable: true });
	}
	return undefined;
}
