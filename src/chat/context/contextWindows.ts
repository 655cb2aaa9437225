// The model's context size per model id: the user's settings first, then a size written in the model name
// (ernie-3.5-8k, qwen2.5-7b-instruct-1m), then family defaults, then a conservative default. Too small only
// compacts early; too large is caught by the provider's "context length exceeded" and one compacting retry.
import { compileLinear, type LinearRegex } from '../../shared/linearRegex';

export type ContextWindowSource = 'setting' | 'model-name' | 'family' | 'default';

export interface ContextWindow {
	tokens: number;
	source: ContextWindowSource;
}

export const defaultContextWindow = 32_768;

const k = 1024;

/**
 * Family defaults, first match wins, matched anywhere in the id so vendor prefixes (openai/…, meta/…) and tags
 * (gpt-oss:20b) do not matter. The sizes are the vendors' documented context windows (input + output).
 */
const families: ReadonlyArray<readonly [RegExp, number]> = [
	[/gpt-4\.1/, 1_047_576],
	[/gpt-5/, 400_000],
	[/gpt-4o|gpt-4-turbo|chatgpt-4o/, 128_000],
	[/gpt-oss/, 128 * k],
	[/gpt-4(?![.\w])/, 8_192],
	[/gpt-3\.5/, 16_385],
	[/(?:^|[/:-])o[134](?:-|$)/, 200_000],
	[/claude/, 200_000],
	[/deepseek-(?:chat|reasoner|v3)/, 128 * k],
	[/deepseek/, 64 * k],
	[/qwen3-(?:coder|next)|qwen3-.*2507/, 256 * k],
	[/qwen-(?:plus|turbo|long)|qwen2\.5-(?:coder|vl)|qwen3/, 128 * k],
	[/qwen/, 32 * k],
	[/llama-?3\.[1-3]|llama-?4|llama3-405b/, 128 * k],
	[/llama-?3/, 8 * k],
	[/llama/, 4 * k],
	[/ernie/, 8 * k],
	[/gemma-?3n|gemma-?3-1b/, 32 * k],
	[/gemma-?3/, 128 * k],
	[/gemma/, 8 * k],
	[/gemini/, 1_048_576],
	[/mistral-large|mistral-medium|codestral|mixtral-8x22b|mistral-nemo/, 128 * k],
	[/mistral|mixtral/, 32 * k],
];

/** A size in the name: "-8k", "-128k", "-1m" as its own dash-separated piece. */
const sizeInName = /(?:^|[-_:/])(\d{1,4})([km])(?=$|[-_:.])/;

/**
 * Resolves the window for `model`. `overrides` maps a model-id pattern (a regular expression in RE2 syntax,
 * case-insensitive, or a plain substring when it is not one) to a token count; the first matching entry wins.
 */
export function resolveContextWindow(model: string, overrides: Readonly<Record<string, number>> = {}): ContextWindow {
	for (const [pattern, tokens] of Object.entries(overrides)) {
		if (Number.isFinite(tokens) && tokens > 0 && matches(pattern, model)) return { tokens: Math.floor(tokens), source: 'setting' };
	}
	const id = model.toLowerCase();
	const size = sizeInName.exec(id);
	if (size) return { tokens: Number(size[1]) * (size[2] === 'k' ? k : k * k), source: 'model-name' };
	for (const [pattern, tokens] of families) if (pattern.test(id)) return { tokens, source: 'family' };
	return { tokens: defaultContextWindow, source: 'default' };
}

export function contextWindowFor(model: string, overrides?: Readonly<Record<string, number>>): number {
	return resolveContextWindow(model, overrides).tokens;
}

/** Each pattern compiled once per process; settings hold a handful, so the cache stays small. */
const compiled = new Map<string, LinearRegex>();
const maxCompiled = 256;

function matches(pattern: string, model: string): boolean {
	let matcher = compiled.get(pattern);
	if (!matcher) {
		// RE2 runs in linear time: the pattern comes from settings and is tested on every turn, and a backtracking
		// RegExp such as '^([a-z0-9-]+)+Z$' spent seconds on one ordinary model id.
		try {
			matcher = compileLinear(pattern, { caseInsensitive: true });
		} catch {
			const needle = pattern.toLowerCase();
			matcher = { test: (text) => text.toLowerCase().includes(needle) };
		}
		if (compiled.size >= maxCompiled) compiled.clear();
		compiled.set(pattern, matcher);
	}
	return matcher.test(model);
}

export interface OverflowDetails {
	/** The model's limit, as the provider stated it. */
	limit?: number;
	/** What the provider counted for the refused request (prompt only when it says so). */
	actual?: number;
}

/**
 * Reads the numbers out of a "context length exceeded" message, when it has them: OpenAI-compatible servers say
 * "maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens" (or "you requested
 * N tokens (P in the messages, C in the completion)"); Anthropic says "prompt is too long: 208000 tokens > 200000
 * maximum".
 */
export function parseOverflow(message: string): OverflowDetails {
	const text = message.replace(/,(?=\d{3})/g, '');
	const anthropic = /(\d+)\s*tokens?\s*>\s*(\d+)\s*maximum/i.exec(text);
	if (anthropic) return { actual: Number(anthropic[1]), limit: Number(anthropic[2]) };
	const limit = /maximum context length is\s*(\d+)/i.exec(text);
	const inMessages = /(\d+)\s*in the messages/i.exec(text);
	const resulted = /(?:resulted in|requested)\s*(\d+)\s*tokens/i.exec(text);
	const details: OverflowDetails = {};
	if (limit) details.limit = Number(limit[1]);
	if (inMessages) details.actual = Number(inMessages[1]);
	else if (resulted) details.actual = Number(resulted[1]);
	return details;
}
