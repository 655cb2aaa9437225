// The summarizer the loop uses: the same provider and model, no tools, the turns to condense given as one
// plain-text transcript (tool calls and results as text, so no provider needs tool definitions to accept it).
import type { ChatMessage, ToolOutput } from '../../shared/chat';
import type { ChatProvider } from '../../providers/types';
import type { Summarizer } from './compaction';
import { elideMiddle } from './compaction';
import { estimateTextTokens } from './tokenEstimate';

export const summaryInstructions = 'You condense the earlier part of a conversation between a user and a coding assistant so that the '
	+ 'conversation can continue within the model\'s context window. Write a concise summary that keeps: what the user asked for and '
	+ 'decided, facts learned (file paths, names, errors, numbers), what was done with tools and their outcomes, and open questions or '
	+ 'unfinished work. Do not add anything that is not in the transcript. Answer with the summary only.';

export interface ModelSummarizerOptions {
	provider: ChatProvider;
	model: string;
	signal: AbortSignal;
	/** The model's context window: the transcript is cut to fit it. */
	window: number;
	/** Cap on the summary's length (default 1024). */
	maxOutputTokens?: number;
}

/**
 * A summary is read up to this many characters per token of its cap, then cut: the request's max_tokens should end
 * it sooner, but a server that ignores max_tokens (or echoes its prompt) would otherwise return a summary larger
 * than what it replaced, which no longer fits, is summarized again on the next step and is stored each time.
 */
export const summaryCharsPerToken = 8;

export function createModelSummarizer(options: ModelSummarizerOptions): Summarizer {
	const maxOutputTokens = options.maxOutputTokens ?? 1024;
	const maxChars = maxOutputTokens * summaryCharsPerToken;
	return async (messages) => {
		const budget = Math.max(256, options.window - maxOutputTokens - estimateTextTokens(summaryInstructions) - 64);
		const request = {
			model: options.model,
			system: summaryInstructions,
			messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: `Summarize this conversation:\n\n${transcriptOf(messages, budget)}` }] }],
			tools: [],
			maxOutputTokens,
		};
		let text = '';
		for await (const event of options.provider.stream(request, options.signal)) {
			if (event.type !== 'text-delta') continue;
			text += event.delta;
			// Leaving the loop ends the provider's stream (and its request).
			if (text.length > maxChars) return text.slice(0, maxChars);
		}
		return text;
	};
}

/** The messages as a readable transcript, its middle elided when it would exceed `maxTokens`. */
export function transcriptOf(messages: readonly ChatMessage[], maxTokens: number): string {
	const lines: string[] = [];
	for (const message of messages) {
		for (const part of message.content) {
			switch (part.type) {
				case 'text':
					lines.push(`${message.role === 'user' ? 'User' : 'Assistant'}: ${part.text}`);
					break;
				case 'tool-call':
					lines.push(`Assistant called ${part.toolName}(${JSON.stringify(part.input) ?? ''})`);
					break;
				case 'tool-result':
					lines.push(`Result of ${part.toolName}: ${outputText(part.output)}`);
					break;
				case 'provider-block':
				case 'reasoning':
					// The model's private reasoning and the provider's own tool blocks add length without facts the summary needs.
					break;
			}
		}
	}
	const transcript = lines.join('\n\n');
	const tokens = estimateTextTokens(transcript);
	if (tokens <= maxTokens) return transcript;
	return elideMiddle(transcript, Math.floor(transcript.length * (maxTokens / tokens)));
}

function outputText(output: ToolOutput): string {
	switch (output.type) {
		case 'text':
			return output.value;
		case 'json':
			return JSON.stringify(output.value) ?? '';
		case 'error-text':
			return `error: ${output.value}`;
		case 'denied':
			return `the user denied the call${output.reason ? `: ${output.reason}` : ''}`;
	}
}
