// The output limit sent on the OpenAI protocol. Chat Completions makes it optional, but gateways that route to
// Anthropic models answer "max_tokens: Field required" without one, so one is always sent unless turned off:
// the request's own, else the model's (per-model `quirks` setting), else the provider's, else the model's documented
// maximum, else the host's default (switchboard.reserveOutputTokens). null at any level sends none.
import type { ChatRequest, ProviderSettings } from './types';

/** When neither the host nor anything else gives a figure (the CLI without --max-output-tokens). */
export const fallbackOutputTokens = 4096;

/** Documented maximum output tokens per model family, first match wins (vendor model pages). */
const knownLimits: ReadonlyArray<readonly [RegExp, number]> = [
	[/gpt-4\.1/, 32_768],
	[/gpt-5/, 128_000],
	[/gpt-4o|chatgpt-4o/, 16_384],
	[/(?:^|[/:-])o[134](?:-|$)/, 100_000],
	[/claude-(?:opus-4|4-opus)/, 32_000],
	[/claude-(?:sonnet-4|4-sonnet|3-7-sonnet|haiku-4)/, 64_000],
	[/claude-3-5/, 8_192],
	[/claude-3/, 4_096],
	[/deepseek-reasoner/, 64_000],
	[/deepseek-(?:chat|v3)/, 8_192],
	[/gemini-(?:2\.5|3)/, 65_536],
	[/gemini/, 8_192],
	[/gemma/, 8_192],
];

export function knownOutputLimit(model: string): number | undefined {
	const id = model.toLowerCase();
	return knownLimits.find(([pattern]) => pattern.test(id))?.[1];
}

/** The limit to send for `request`, or undefined to send none. */
export function outputLimit(request: ChatRequest, settings: ProviderSettings): number | undefined {
	const chosen = request.maxOutputTokens !== undefined ? request.maxOutputTokens
		: settings.maxOutputTokens !== undefined ? settings.maxOutputTokens
			: knownOutputLimit(request.model) ?? settings.defaultOutputTokens ?? fallbackOutputTokens;
	return chosen === null ? undefined : chosen;
}

/**
 * api.openai.com's reasoning models reject `max_tokens` and want `max_completion_tokens`; other servers (Mistral
 * answers 422 "Extra inputs are not permitted" to max_completion_tokens) know `max_tokens`.
 */
export function outputLimitField(settings: ProviderSettings): 'max_tokens' | 'max_completion_tokens' {
	if (settings.outputLimitField) return settings.outputLimitField;
	return URL.canParse(settings.baseUrl) && new URL(settings.baseUrl).hostname.toLowerCase() === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens';
}
