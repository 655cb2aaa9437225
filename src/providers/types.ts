// The provider engine's contract. No 'vscode' here: the CLI and the unit tests use it in plain Node.
import type { ChatMessage, FinishReason, Usage } from '../shared/chat';

export type Protocol = 'openai' | 'anthropic';

/** A function the model may call, in JSON Schema, sent to the provider unchanged (Qianfan's documented schemas are loose). */
export interface ToolSpec {
	name: string;
	description: string;
	inputSchema: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export interface ChatRequest {
	model: string;
	system?: string;
	messages: readonly ChatMessage[];
	tools: readonly ToolSpec[];
	/** Unset means the protocol's default (auto) unless a quirk profile says to send it explicitly. */
	toolChoice?: ToolChoice;
	/** null: send no output limit (OpenAI protocol; Anthropic requires one and uses its default). */
	maxOutputTokens?: number | null;
	temperature?: number;
}

export type StreamEvent =
	| { type: 'text-delta'; delta: string }
	/** OpenAI `refusal` text. */
	| { type: 'refusal-delta'; delta: string }
	| { type: 'reasoning-delta'; delta: string }
	/** Closes the current reasoning block with what must be replayed (Anthropic thinking signature). */
	| { type: 'reasoning-signature'; signature: string }
	/** An Anthropic redacted_thinking block, opaque, replayed as is. */
	| { type: 'reasoning-redacted'; data: string }
	/** `callId` is ours (unique); `providerId` is the provider's, possibly '' or duplicated. */
	| { type: 'tool-input-start'; callId: string; providerId: string; toolName: string }
	| { type: 'tool-input-delta'; callId: string; delta: string }
	/**
	 * A complete call whose arguments parsed to a JSON value. `extra`: the provider's own fields on the call (Gemini's
	 * `extra_content` thought signature), opaque, to be replayed with it.
	 */
	| { type: 'tool-call'; callId: string; providerId: string; toolName: string; input: unknown; rawInput: string; extra?: Record<string, unknown> }
	/** A call that must not run: arguments that are not JSON, or a call cut off before it closed. */
	| { type: 'tool-call-error'; callId: string; providerId: string; toolName: string; rawInput: string; reason: 'invalid' | 'incomplete'; message: string; extra?: Record<string, unknown> }
	/** A block the provider produced and ran itself (Anthropic server tools), sent back unchanged in the history. */
	| { type: 'provider-block'; block: Record<string, unknown> }
	| { type: 'usage'; usage: Usage }
	/** Emitted before a retry wait, so callers can show it; only ever before the first content event. */
	| { type: 'retry'; attempt: number; delayMs: number; error: ProviderErrorInfo }
	| { type: 'warning'; message: string }
	/** The last event of a successful stream. `raw` is the provider's own word when it differs. */
	| { type: 'finish'; reason: FinishReason; raw?: string };

export interface ChatProvider {
	/** 'vscode-lm': VS Code's own language models, reached through the editor (src/vscode) rather than over HTTP. */
	readonly protocol: Protocol | 'vscode-lm';
	/**
	 * Streams one model response. Throws ProviderError (after emitting what was received) on failure.
	 * Retries only before the first content event; aborting the signal ends the request.
	 */
	stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
}

export type ProviderErrorKind =
	| 'auth'
	| 'rate-limit'
	| 'quota'
	| 'bad-request'
	| 'context-length'
	| 'not-found'
	| 'server'
	| 'overloaded'
	| 'network'
	| 'invalid-response'
	| 'interrupted'
	| 'aborted';

/** The serializable face of a ProviderError (CLI JSON, webview banners, retry events). */
export interface ProviderErrorInfo {
	kind: ProviderErrorKind;
	status?: number;
	message: string;
	retryable: boolean;
}

export class ProviderError extends Error {
	override readonly name = 'ProviderError';
	constructor(
		readonly kind: ProviderErrorKind,
		message: string,
		readonly details: {
			status?: number;
			retryable?: boolean;
			/** From retry-after / retry-after-ms headers or the body ("try again in 1.146s"). */
			retryAfterMs?: number;
			/** The provider's own words, kept verbatim. */
			providerMessage?: string;
			cause?: unknown;
		} = {},
	) {
		super(message, { cause: details.cause });
	}

	get status(): number | undefined {
		return this.details.status;
	}

	get retryable(): boolean {
		return this.details.retryable ?? false;
	}

	toInfo(): ProviderErrorInfo {
		return { kind: this.kind, status: this.status, message: this.message, retryable: this.retryable };
	}
}

/** How a provider authenticates; the key itself never lives in settings. */
export type AuthConfig = { type: 'apiKey' } | { type: 'none' } | { type: 'command'; command: string };

/** Supplies the bearer credential for each attempt. */
export interface CredentialSource {
	/** undefined means send no auth header (local servers). */
	get(signal: AbortSignal): Promise<string | undefined>;
	/** Called once on a 401; returns true when a fresh credential may fix it (a token command re-run). */
	invalidate(): boolean;
}

/** Per model-family behaviour (as Vertex AI's open-model function-calling guide advises), each overridable per model in settings. */
export interface QuirkProfile {
	/** 'fold' prepends the system prompt to the first user message (DeepSeek, Gemma). */
	systemPrompt: 'keep' | 'fold';
	/** false: `tool_choice: "required"` is replaced by an instruction and checked afterwards (Llama, gpt-oss). */
	supportsRequiredToolChoice: boolean;
	/** false: a named tool choice becomes an instruction (gpt-oss). */
	supportsNamedToolChoice: boolean;
	/** Also describe the tool definitions in the system prompt (gpt-oss). */
	toolsInSystemPrompt: boolean;
	/** Always send tool_choice, defaulting to "auto" (Qwen). */
	explicitToolChoice: boolean;
	/** Per-model output limit (a number, or null to send none); unset: the provider's or the default. */
	maxOutputTokens?: number | null;
}

export interface ProviderSettings {
	/** The user's name for this provider entry, e.g. 'deepseek' or 'my-gateway'. */
	id: string;
	protocol: Protocol;
	baseUrl: string;
	/** How the credential is sent (Anthropic: x-api-key for a key, a bearer token for a token command). */
	auth?: AuthConfig;
	/** Merged into every request. */
	headers?: Record<string, string>;
	/** Merged into every request body (Qianfan documents tool_options and stream_options). */
	extraBody?: Record<string, unknown>;
	/** Model-id pattern (a RegExp source, matched case-insensitively) -> quirk overrides. */
	quirks?: Record<string, Partial<QuirkProfile>>;
	maxRetries?: number;
	/** Cap on the sum of retry waits. */
	maxRetryWaitMs?: number;
	/** No byte for this long is a network error. */
	timeoutMs?: number;
	/** Non-streaming requests (some gateways); the adapter still yields the same events. */
	stream?: boolean;
	/** The output limit for every model of this provider; null sends none (OpenAI protocol). See outputLimit.ts. */
	maxOutputTokens?: number | null;
	/** The limit used when nothing else gives one (the host's switchboard.reserveOutputTokens). */
	defaultOutputTokens?: number;
	/** Which field carries the limit; by default max_completion_tokens on api.openai.com, max_tokens elsewhere. */
	outputLimitField?: 'max_tokens' | 'max_completion_tokens';
}

export interface ProviderDeps {
	credentials: CredentialSource;
	/** For tests and proxies. */
	fetch?: typeof fetch;
	/** Injected so tests do not wait for real. */
	sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}
