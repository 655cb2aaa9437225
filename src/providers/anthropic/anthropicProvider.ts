// The Anthropic Messages adapter: the official SDK sends the request and classifies HTTP errors; the streamed body
// is read by our own SSE decoder and accumulated by our own state, typed errors out. Retries happen in
// streamWithRetries, so the SDK's own retries are off.
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import { errorFromStreamPayload, toProviderError } from '../errors';
import { EventPump } from '../eventPump';
import { streamWithRetries, type AttemptContext } from '../retry';
import {
	ProviderError,
	type ChatProvider,
	type ChatRequest,
	type ProviderDeps,
	type ProviderSettings,
	type StreamEvent,
} from '../types';
import { AnthropicStreamState } from './anthropicStreamState';
import { messageToWireEvents, type WireEvent, type WireMessage } from './anthropicWire';
import { IdleWatchdog, stalledError } from '../idleWatchdog';
import { keepingErrorBodies } from '../errorBodies';
import { withoutRedirects } from '../noRedirects';
import { bodyChunks, SseDecoder } from '../sseDecoder';
import { toAnthropicBody } from './toAnthropicBody';

const nonStreamingTimeoutMs = 10 * 60_000;

/**
 * The SDK's client without its ambient credential chain: with no credential of ours, it must not look for the
 * user's own Anthropic profile on disk and send it to a third-party gateway.
 */
class ExplicitAuthAnthropic extends Anthropic {
	protected override _shouldResolveDefaultCredentials(): boolean {
		return false;
	}
}

/** A client with no credential of its own: each request passes its auth headers (authHeaders). */
export function createAnthropicClient(settings: ProviderSettings, deps: ProviderDeps): Anthropic {
	return new ExplicitAuthAnthropic({
		// null, not undefined: the SDK then reads no ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN from the environment.
		apiKey: null,
		authToken: null,
		baseURL: sdkBaseUrl(settings.baseUrl),
		fetch: keepingErrorBodies(withoutRedirects(deps.fetch ?? globalThis.fetch)),
		maxRetries: 0,
		defaultHeaders: settings.headers,
		openTelemetry: false,
		// The SDK would print unparseable stream chunks (model output) to the console; errors reach the caller typed.
		logLevel: 'off',
	});
}

/** The API version every Anthropic-compatible gateway documents (and the official Python/TS SDKs sent until v1). */
export const compatibleApiVersion = '2023-06-01';

/**
 * Anthropic's own host gets the SDK's current `anthropic-version`; any other host (a gateway, a local server) gets
 * the version such servers document, unless the user set one in `headers`. A gateway that validates the header
 * would refuse a version newer than it knows.
 */
export function withApiVersion<T extends ProviderSettings>(settings: T): T {
	const headers = settings.headers ?? {};
	if (Object.keys(headers).some((name) => name.toLowerCase() === 'anthropic-version')) return settings;
	if (!URL.canParse(settings.baseUrl) || new URL(settings.baseUrl).hostname.toLowerCase() === 'api.anthropic.com') return settings;
	return { ...settings, headers: { ...headers, 'anthropic-version': compatibleApiVersion } };
}

export function createAnthropicProvider(original: ProviderSettings, deps: ProviderDeps): ChatProvider {
	const settings = withApiVersion(original);
	// One client for all requests (building one costs about as much as reading a thousand events); each request's
	// middleware reports its bytes to that attempt's watchdog.
	let client: Anthropic | undefined;
	const sharedClient = (): Anthropic => client ??= createAnthropicClient(settings, deps);
	const bearer = settings.auth?.type === 'command';

	/**
	 * One request in an EventPump, so that no generator sits in between. Streamed, the pump's items are the body's
	 * byte chunks (one read() each), decoded and accumulated synchronously; not streamed, the whole message's events.
	 */
	function attempt(request: ChatRequest, context: AttemptContext): EventPump<Uint8Array | WireEvent> {
		const watchdog = new IdleWatchdog(context.signal, settings.timeoutMs);
		const state = new AnthropicStreamState();
		let sse: SseDecoder<StreamEvent[]> | undefined;
		let emitted = false;
		const accumulate = (event: WireEvent, out: StreamEvent[]): void => {
			const before = out.length;
			state.push(event, out);
			for (let index = before; index < out.length && !emitted; index++) if (out[index].type !== 'warning') emitted = true;
		};
		/** Events for what a failure cut off go onto `out`; returns the error that ends the stream. */
		const broken = (error: unknown, out: StreamEvent[]): ProviderError => {
			if (context.signal.aborted) return aborted(error);
			if (error instanceof StreamErrorEvent) {
				out.push(...state.abandon('the provider reported an error mid-stream'));
				return errorFromStreamPayload(error.payload);
			}
			if (error instanceof SyntaxError) {
				out.push(...state.abandon('the provider sent an event that is not JSON'));
				return new ProviderError('invalid-response', `The provider sent a stream event that is not JSON (${error.message}). Try again; if it repeats, a proxy may be altering the response.`, { retryable: !emitted, cause: error });
			}
			out.push(...state.abandon('the connection was lost'));
			if (watchdog.timedOut) return stalledError(settings.timeoutMs, emitted);
			return new ProviderError('interrupted', `The response was interrupted: ${describe(error)}. Try again; check the network or any proxy if it repeats.`, { retryable: true, cause: error });
		};
		return new EventPump<Uint8Array | WireEvent>({
			async open(out) {
				const streaming = settings.stream !== false;
				const { body, warnings } = toAnthropicBody(request, settings, streaming);
				if (context.attempt === 0) for (const message of warnings) out.push({ type: 'warning', message });
				const credential = await deps.credentials.get(context.signal);
				const options = {
					signal: watchdog.signal,
					headers: authHeaders(credential, bearer, settings.headers),
					// Without an explicit timeout the SDK refuses non-streamed requests it guesses would take long.
					...(!streaming && { timeout: nonStreamingTimeoutMs }),
				};
				if (!streaming) {
					const message = await sharedClient().messages.create(body as MessageCreateParamsNonStreaming, options);
					return { items: messageToWireEvents(message as WireMessage), watchdog };
				}
				// The SDK has checked the status (an HTTP error throws here, classified by toProviderError).
				const response = await sharedClient().messages.create(body as MessageCreateParamsStreaming, options).asResponse();
				watchdog.kick();
				sse = new SseDecoder(onSseEvent);
				// The watchdog pauses while the caller handles an event: a slow consumer is not a silent provider.
				return { items: response.body ? bodyChunks(response.body) : [], watchdog };
			},
			item(item, out) {
				if (sse === undefined) {
					accumulate(item as WireEvent, out);
					return;
				}
				watchdog.kick();
				sse.push(item as Uint8Array, out);
			},
			end(out) {
				// An abort can end the body without an error (the SDK's own iterator ends quietly then), so it is checked here.
				if (context.signal.aborted) return aborted(undefined);
				try {
					sse?.end(out);
				} catch (error) {
					return broken(error, out);
				}
				if (watchdog.timedOut || !state.ended) {
					out.push(...state.abandon('the response ended early'));
					if (watchdog.timedOut) return stalledError(settings.timeoutMs, emitted);
					// Retryable like any cut-off answer; nothing is retried automatically once output was shown.
					return new ProviderError('interrupted', 'The response ended before the provider said it was complete (no stop reason). Try again; if it repeats, a proxy may be cutting responses short.', { retryable: true });
				}
				const stopError = state.stopError();
				if (stopError) {
					out.push(...state.abandon('the provider ended the response with an error'));
					return stopError;
				}
				out.push(...state.finish());
				return undefined;
			},
			fail(error, out, opened) {
				if (!opened) return watchdog.timedOut ? stalledError(settings.timeoutMs, false) : toProviderError(error, context.signal);
				return broken(error, out);
			},
			close() {
				watchdog.dispose();
			},
		});

		/** One SSE event, as the SDK reads them: pings and unnamed events are skipped, `error` ends the stream. */
		function onSseEvent(event: string | null, data: string, out: StreamEvent[]): void {
			if (event === null || event === 'ping') return;
			if (event === 'error') throw new StreamErrorEvent(parseOr(data));
			if (data.length === 0) return;
			accumulate(JSON.parse(data) as WireEvent, out);
		}
	}

	return {
		protocol: 'anthropic',
		stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
			return streamWithRetries((context) => attempt(request, context), { settings, deps, signal });
		},
	};
}

/** The SDK appends /v1/messages, so a base URL copied with its /v1 would double it. */
export function sdkBaseUrl(baseUrl: string): string {
	return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/**
 * Per-request auth. Keys go in x-api-key, which Anthropic and gateways' Anthropic endpoints accept; a command's token
 * is a bearer token. With no credential, `authorization: null` tells the SDK to send none, unless the user
 * configured their own auth header.
 */
export function authHeaders(credential: string | undefined, bearer: boolean, configured: Record<string, string> | undefined): Record<string, string | null> {
	if (credential !== undefined) return bearer ? { authorization: `Bearer ${credential}` } : { 'x-api-key': credential };
	const ownAuth = Object.keys(configured ?? {}).some((name) => /^(authorization|x-api-key)$/i.test(name));
	return ownAuth ? {} : { authorization: null };
}

/** An `event: error` inside a 200 stream, carrying its payload (parsed when it is JSON). */
class StreamErrorEvent extends Error {
	constructor(readonly payload: unknown) {
		super('error event in the stream');
	}
}

function parseOr(data: string): unknown {
	try {
		return JSON.parse(data) as unknown;
	} catch {
		return data;
	}
}

function aborted(cause: unknown): ProviderError {
	return new ProviderError('aborted', 'The request was cancelled.', { cause });
}

function describe(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
	return `${error.message}${cause}`;
}
