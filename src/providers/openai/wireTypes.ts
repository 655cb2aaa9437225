// The Chat Completions wire shapes as real providers send them, looser than the SDK's types on purpose:
// every field may be missing, `index` may be absent, `arguments` may be an object, extra fields appear
// (Qianfan `flag`, DeepSeek `reasoning_content`). The SDK's own types would let these cases type-check away.

export interface WireToolCallDelta {
	index?: number;
	id?: string | null;
	type?: string;
	function?: { name?: string | null; arguments?: unknown } | null;
	/** Gemini 3: `{ google: { thought_signature } }`, which must go back with the call. Other unknown fields are kept too. */
	extra_content?: unknown;
}

export interface WireDelta {
	role?: string | null;
	content?: string | null;
	refusal?: string | null;
	/** DeepSeek and most OpenAI-compatible reasoning servers. */
	reasoning_content?: string | null;
	/** OpenRouter, vLLM, Ollama. */
	reasoning?: string | null;
	tool_calls?: WireToolCallDelta[] | null;
}

export interface WireUsage {
	prompt_tokens?: number;
	completion_tokens?: number;
	prompt_tokens_details?: { cached_tokens?: number } | null;
	/** DeepSeek reports cache hits here instead. */
	prompt_cache_hit_tokens?: number;
}

export interface WireChunkChoice {
	index?: number;
	delta?: WireDelta | null;
	finish_reason?: string | null;
}

export interface WireChunk {
	choices?: WireChunkChoice[] | null;
	usage?: WireUsage | null;
}

export interface WireCompletionChoice {
	index?: number;
	message?: WireDelta | null;
	finish_reason?: string | null;
}

export interface WireCompletion {
	choices?: WireCompletionChoice[] | null;
	usage?: WireUsage | null;
	error?: unknown;
}
