// A fast, dependency-free token estimate, and its calibration against what the provider reports.
//
// The approximation, per character (BPE tokenizers such as cl100k/o200k and Claude's behave roughly so):
// - ASCII letters and digits: 1/4 token (English prose runs at ~4 characters per token);
// - ASCII punctuation and symbols: 1/2 token (JSON and code split at quotes, braces and operators, so they
//   cost more per character than prose);
// - whitespace: 1/8 token (a space usually merges into the next word; indentation runs merge together);
// - CJK ideographs, kana, Hangul and full-width punctuation: 1 token each;
// - other BMP characters (accented Latin, Cyrillic, Greek, Arabic…): 1/2 token;
// - characters outside the BMP (emoji, rare ideographs): 1.5 tokens.
// It errs on the high side for code-heavy text, which only makes compaction start a little early. The
// provider's reported usage corrects it per conversation (TokenCalibration).
import type { ChatMessage, ToolOutput } from '../../shared/chat';
import type { ToolSpec } from '../../providers/types';

/** Role markers and separators every chat template adds per message. */
const perMessageOverhead = 4;
/** The call id, the function wrapper and its separators. */
const perToolCallOverhead = 8;
/** The request's fixed framing (assistant priming, tool preamble). */
const perRequestOverhead = 3;

export function estimateTextTokens(text: string): number {
	let units = 0;
	// Counted in eighths to stay in integers; an index loop, as iterating code points is several times slower.
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x80) {
			if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) units += 2;
			else if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) units += 1;
			else units += 4;
		} else if (code >= 0xd800 && code <= 0xdbff) {
			units += 12;
			index++;
		} else if (isCjk(code)) units += 8;
		else units += 4;
	}
	return Math.ceil(units / 8);
}

function isCjk(code: number): boolean {
	return (code >= 0x2e80 && code <= 0x9fff) // radicals, CJK punctuation, kana, Bopomofo, unified ideographs
		|| (code >= 0xac00 && code <= 0xd7af) // Hangul syllables
		|| (code >= 0xf900 && code <= 0xfaff) // compatibility ideographs
		|| (code >= 0xff00 && code <= 0xffef); // full-width forms
}

function outputText(output: ToolOutput): string {
	switch (output.type) {
		case 'text':
		case 'error-text':
			return output.value;
		case 'json':
			return JSON.stringify(output.value) ?? '';
		case 'denied':
			return `denied ${output.reason ?? ''}`;
	}
}

/**
 * An image, whatever its size: Anthropic's vision docs count width × height / 750 tokens and scale images down to
 * about 1.15 megapixels (≈ 1,600 tokens); OpenAI's high-detail tiles cost less. The base64 text is not what is counted.
 */
const imageTokens = 1600;

/** Our estimate for one message as the provider will see it, including the per-message framing. */
export function estimateMessageTokens(message: ChatMessage): number {
	let tokens = perMessageOverhead;
	for (const part of message.content) {
		switch (part.type) {
			case 'text':
				tokens += estimateTextTokens(part.text);
				break;
			case 'reasoning':
				// Replayed signatures and redacted blocks are opaque base64 of ~4 characters per token.
				tokens += estimateTextTokens(part.text) + Math.ceil(((part.signature?.length ?? 0) + (part.redactedData?.length ?? 0)) / 4);
				break;
			case 'tool-call':
				tokens += perToolCallOverhead + estimateTextTokens(part.toolName) + estimateTextTokens(JSON.stringify(part.input) ?? '');
				break;
			case 'tool-result':
				tokens += perMessageOverhead + estimateTextTokens(outputText(part.output));
				break;
			case 'provider-block':
				tokens += estimateTextTokens(JSON.stringify(part.block) ?? '');
				break;
			case 'image':
				tokens += imageTokens;
				break;
		}
	}
	return tokens;
}

export interface PromptShape {
	system?: string;
	messages: readonly ChatMessage[];
	tools?: readonly ToolSpec[];
}

/** Our raw (uncalibrated) estimate of a whole request's prompt. */
export function estimatePromptTokens(prompt: PromptShape): number {
	let tokens = perRequestOverhead;
	if (prompt.system) tokens += perMessageOverhead + estimateTextTokens(prompt.system);
	for (const message of prompt.messages) tokens += estimateMessageTokens(message);
	for (const tool of prompt.tools ?? []) {
		tokens += perToolCallOverhead + estimateTextTokens(tool.name) + estimateTextTokens(tool.description) + estimateTextTokens(JSON.stringify(tool.inputSchema));
	}
	return tokens;
}

/**
 * A per-conversation correction of the estimate: the provider's reported input tokens of the last request
 * divided by our raw estimate of that request. Keep one per conversation so it carries across turns.
 */
export class TokenCalibration {
	/** Never trust a correction outside these bounds: a proxy may report odd usage (cached, zero, summed). */
	static readonly minFactor = 0.5;
	static readonly maxFactor = 4;
	private current = 1;

	get factor(): number {
		return this.current;
	}

	/** The raw estimate corrected by what we learned; rounded up so the budget check stays on the safe side. */
	apply(rawEstimate: number): number {
		return Math.ceil(rawEstimate * this.current);
	}

	/** Records the provider's count for a request we estimated at `rawEstimate`. Zero or missing usage is ignored. */
	observe(reportedInputTokens: number, rawEstimate: number): void {
		if (!(reportedInputTokens > 0) || !(rawEstimate > 0)) return;
		this.current = clamp(reportedInputTokens / rawEstimate);
	}

	/**
	 * The provider refused a request we estimated at `rawEstimate` as too long for `limit` tokens: make sure the
	 * same request now counts as over the limit. `actualTokens` is the provider's own count, when its message said.
	 */
	observeOverflow(rawEstimate: number, limit: number, actualTokens?: number): void {
		if (!(rawEstimate > 0)) return;
		if (actualTokens !== undefined && actualTokens > 0) {
			this.current = clamp(actualTokens / rawEstimate);
			return;
		}
		this.current = clamp(Math.max(this.current * 1.25, (limit * 1.1) / rawEstimate));
	}
}

function clamp(factor: number): number {
	return Math.min(TokenCalibration.maxFactor, Math.max(TokenCalibration.minFactor, factor));
}
