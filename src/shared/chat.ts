// Our own conversation shape. Providers convert to and from it at their boundary; no SDK type leaks past them.
// Pure TypeScript: used by the host, the CLI and the webview alike.

export type TextPart = { type: 'text'; text: string };

/**
 * Model reasoning. `signature` (Anthropic thinking) and `redactedData` (Anthropic redacted_thinking) must be
 * replayed unchanged before a tool_use on the next request; DeepSeek-style `reasoning_content` has neither.
 */
export type ReasoningPart = { type: 'reasoning'; text: string; signature?: string; redactedData?: string };

/**
 * One tool call. `id` is ours and unique within the conversation; `providerId` is what the provider sent
 * (possibly '' or the same string for two parallel calls, as in Vertex AI's open-model function-calling guide) and is what we replay to it.
 */
export type ToolCallPart = {
	type: 'tool-call';
	id: string;
	providerId: string;
	toolName: string;
	input: unknown;
	/** The provider's own fields on the call (Gemini's `extra_content.google.thought_signature`), replayed unchanged. */
	extra?: Record<string, unknown>;
};

export type ToolOutput =
	| { type: 'text'; value: string }
	| { type: 'json'; value: unknown }
	/** The model sees it and can act on it: a handler error, invalid arguments, a truncated call. */
	| { type: 'error-text'; value: string }
	/** The user said no, optionally with a reason for the model. */
	| { type: 'denied'; reason?: string };

/** Answers the call whose `id` (ours) is `callId`. */
export type ToolResultPart = { type: 'tool-result'; callId: string; toolName: string; output: ToolOutput };

/**
 * An image the user attached: base64 bytes (no `data:` prefix) of one of `imageMediaTypes`. Sent as an OpenAI
 * `image_url` data URL part or an Anthropic base64 `image` block.
 */
export type ImagePart = { type: 'image'; mediaType: ImageMediaType; data: string };

/** The formats both protocols accept (OpenAI vision guide and Anthropic vision docs list the same four). */
export const imageMediaTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageMediaType = typeof imageMediaTypes[number];

export function isImageMediaType(value: unknown): value is ImageMediaType {
	return typeof value === 'string' && (imageMediaTypes as readonly string[]).includes(value);
}

export type UserMessage = { role: 'user'; content: Array<TextPart | ImagePart> };
/**
 * A block the provider ran itself (Anthropic `server_tool_use`, `web_search_tool_result`…): never run here, kept
 * opaque and sent back unchanged, in its place among the text, on the next request to the same protocol.
 */
export type ProviderBlockPart = { type: 'provider-block'; protocol: 'anthropic'; block: Record<string, unknown> };

export type AssistantMessage = { role: 'assistant'; content: Array<TextPart | ReasoningPart | ToolCallPart | ProviderBlockPart> };
/** Results of every call of the preceding assistant message, in the order of the calls. */
export type ToolMessage = { role: 'tool'; content: ToolResultPart[] };

/** The system prompt travels in ChatRequest.system, never as a message. */
export type ChatMessage = UserMessage | AssistantMessage | ToolMessage;

export interface Usage {
	inputTokens: number;
	outputTokens: number;
	/** Prompt tokens served from the provider's cache, when it says. */
	cachedInputTokens?: number;
}

/** Why a step ended, in the words the CLI's JSON and the UI use. */
export type FinishReason =
	| 'stop'
	| 'tool_calls'
	| 'length'
	| 'content_filter'
	/** The model declined (Anthropic `stop_reason: "refusal"`): none of its tool calls run. */
	| 'refusal'
	/** The provider paused a long server-tool turn (Anthropic `pause_turn`): the loop sends it back to continue. */
	| 'pause_turn'
	| 'error'
	| 'interrupted';

export function textOf(message: ChatMessage): string {
	let text = '';
	for (const part of message.content) if (part.type === 'text') text += part.text;
	return text;
}
