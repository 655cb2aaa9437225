// The Anthropic Messages adapter: the official SDK for transport, our own accumulation of the raw event stream,
// typed errors out. Retries happen in streamWithRetries, so the SDK's own retries are off.
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { Middleware } from '@anthropic-ai/sdk/core/middleware';
import type { MessageCreateParamsNonStreaming, MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import { errorFromStreamPayload, toProviderError } from '../errors';
import { EventPump } from '../eventPump';
import { streamWithRetries, type AttemptContext } from '../retry';
import {
	ProviderError,
	type AuthConfig,
	type ChatProvider,
	type ChatRequest,
	type ProviderDeps,
	type ProviderSettings,
	type StreamEvent,
} from '../types';
import { AnthropicStreamState } from './anthropicStreamState';
import { messageToWireEvents, type WireEvent, type WireMessage } from './anthropicWire';
import { IdleWatchdog } from '../idleWatchdog';
import { withoutRedirects } from '../noRedirects';
import { toAnthropicBody } from './toAnthropicBody';

const nonStreamingTimeoutMs = 10 * 60_000;

/** `auth` tells a key (sent as x-api-key) from a token command's output (sent as a bearer token). */
export type AnthropicProviderSettings = ProviderSettings & { auth?: AuthConfig };

/**
 * The SDK's client without its ambient credential chain: with no credential of ours, it must not look for the
 * user's own Anthropic profile on disk and send it to a third-party gateway.
 */
class ExplicitAuthAnthropic extends Anthropic {
	protected override _shouldResolveDefaultCredentials(): boolean {
		return false;
	}
}

export function createAnthropicProvider(settings: AnthropicProviderSettings, deps: ProviderDeps): ChatProvider {
	// One client for all requests (building one costs about as much as reading a thousand events); each request's
	// middleware reports its bytes to that attempt's watchdog.
	let client: Anthropic | undefined;
	const sharedClient = (): Anthropic => client ??= new ExplicitAuthAnthropic({
		// null, not undefined: the SDK then reads no ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN from the environment.
		apiKey: null,
		authToken: null,
		baseURL: sdkBaseUrl(settings.baseUrl),
		fetch: withoutRedirects(deps.fetch ?? globalThis.fetch),
		maxRetries: 0,
		defaultHeaders: settings.headers,
		openTelemetry: false,
		// The SDK would print unparseable stream chunks (model output) to the console; errors reach the caller typed.
		logLevel: 'off',
	});
	const bearer = settings.auth?.type === 'command';

	/** One request: the SDK's events accumulated into ours, in an EventPump so that no generator sits in between. */
	function attempt(request: ChatRequest, context: AttemptContext): EventPump<WireEvent> {
		const watchdog = new IdleWatchdog(context.signal, settings.timeoutMs);
		const state = new AnthropicStreamState();
		let emitted = false;
		return new EventPump<WireEvent>({
			async open(out) {
				const streaming = settings.stream !== false;
				const { body, warnings } = toAnthropicBody(request, settings, streaming);
				if (context.attempt === 0) for (const message of warnings) out.push({ type: 'warning', message });
				const credential = await deps.credentials.get(context.signal);
				const options = {
					signal: watchdog.signal,
					middleware: [watchBody(watchdog)],
					headers: authHeaders(credential, bearer, settings.headers),
					// Without an explicit timeout the SDK refuses non-streamed requests it guesses would take long.
					...(!streaming && { timeout: nonStreamingTimeoutMs }),
				};
				// The watchdog pauses while the caller handles an event: a slow consumer is not a silent provider.
				const items = streaming
					? await sharedClient().messages.create(body as MessageCreateParamsStreaming, options)
					: messageToWireEvents(await sharedClient().messages.create(body as MessageCreateParamsNonStreaming, options) as WireMessage);
				return { items, watchdog };
			},
			item(event, out) {
				const before = out.length;
				state.push(event, out);
				for (let index = before; index < out.length && !emitted; index++) if (out[index].type !== 'warning') emitted = true;
			},
			end(out) {
				// The SDK ends the iteration quietly when its signal aborts, so silence is checked here.
				if (context.signal.aborted) return aborted(undefined);
				if (watchdog.timedOut || !state.ended) {
					out.push(...state.abandon('the response ended early'));
					if (watchdog.timedOut) return stalled(settings.timeoutMs, emitted);
					return new ProviderError('interrupted', 'The response ended before the provider said it was complete (no stop reason). Try again; if it repeats, a proxy may be cutting responses short.', { retryable: !emitted });
				}
				out.push(...state.finish());
				return undefined;
			},
			fail(error, out, opened) {
				if (!opened) return watchdog.timedOut ? stalled(settings.timeoutMs, false) : toProviderError(error, context.signal);
				if (context.signal.aborted) return aborted(error);
				if (isStreamErrorEvent(error)) {
					out.push(...state.abandon('the provider reported an error mid-stream'));
					return errorFromStreamPayload(error.error);
				}
				out.push(...state.abandon('the connection was lost'));
				if (watchdog.timedOut) return stalled(settings.timeoutMs, emitted);
				return new ProviderError('interrupted', `The response was interrupted: ${describe(error)}. Try again; check the network or any proxy if it repeats.`, { retryable: !emitted, cause: error });
			},
			close() {
				watchdog.dispose();
			},
		});
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
 * Per-request auth. Keys go in x-api-key, which Anthropic and gateways such as seed 000's accept; a command's token
 * is a bearer token. With no credential, `authorization: null` tells the SDK to send none, unless the user
 * configured their own auth header.
 */
export function authHeaders(credential: string | undefined, bearer: boolean, configured: Record<string, string> | undefined): Record<string, string | null> {
	if (credential !== undefined) return bearer ? { authorization: `Bearer ${credential}` } : { 'x-api-key': credential };
	const ownAuth = Object.keys(configured ?? {}).some((name) => /^(authorization|x-api-key)$/i.test(name));
	return ownAuth ? {} : { authorization: null };
}

/** Passes the response through unchanged, restarting the idle countdown on its headers and on every body chunk. */
function watchBody(watchdog: IdleWatchdog): Middleware {
	return async (request, next) => {
		const response = await next(request);
		watchdog.kick();
		const source = response.body;
		if (!source) return response;
		// A pulled stream rather than pipeThrough(TransformStream): same chunks, less machinery per request and chunk.
		const reader = source.getReader();
		const body = new ReadableStream<Uint8Array>({
			async pull(controller) {
				const { done, value } = await reader.read();
				if (done) {
					controller.close();
					return;
				}
				watchdog.kick();
				controller.enqueue(value);
			},
			cancel: (reason) => reader.cancel(reason),
		});
		return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
	};
}

/** The SDK throws an APIError without status, carrying the payload, for an `event: error` inside a 200 stream. */
function isStreamErrorEvent(error: unknown): error is APIError {
	return error instanceof APIError && error.status === undefined && error.error !== undefined;
}

function aborted(cause: unknown): ProviderError {
	return new ProviderError('aborted', 'The request was cancelled.', { cause });
}

function stalled(timeoutMs: number | undefined, emitted: boolean): ProviderError {
	// Sub-second timeouts (tests, local servers) must not read as '0s'.
	const seconds = (timeoutMs ?? 0) < 1000 ? `${timeoutMs ?? 0} ms` : `${Math.round((timeoutMs ?? 0) / 1000)}s`;
	return new ProviderError(emitted ? 'interrupted' : 'network', `No data from the provider for ${seconds}. Try again; raise the timeout if the model is slow to answer.`, { retryable: !emitted });
}

function describe(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
	return `${error.message}${cause}`;
}
