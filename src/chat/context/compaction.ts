// Makes a conversation fit the model's context window, in order of increasing loss:
//   1. shorten old tool results (head and tail kept, a note says how much was cut);
//   2. replace the oldest turns by ONE summary message (written by the model when a summarizer is given);
//   3. as a last resort, shorten the tool results of the recent turns too.
// The system prompt, the first user message and the last `keepTurns` turns always stay. Cuts fall only on user
// message boundaries, so an assistant message with tool calls and the tool message answering it stay together
// (providers reject a call without its result and vice versa). The caller's messages are never modified: what is
// sent is returned, the originals remain for display and history.
import type { ChatMessage, ToolMessage, ToolOutput, ToolResultPart } from '../../shared/chat';
import type { ToolSpec } from '../../providers/types';
import type { SummaryCache } from './summaryCache';
import { estimateMessageTokens, estimatePromptTokens, TokenCalibration } from './tokenEstimate';

/** Writes a summary of `messages` (the loop asks the same model, without tools). */
export type Summarizer = (messages: readonly ChatMessage[]) => Promise<string>;

export interface CompactionInput {
	system?: string;
	tools?: readonly ToolSpec[];
	messages: readonly ChatMessage[];
	/** The model's context window, in tokens. */
	window: number;
	/** Tokens kept free for the response. */
	reserveOutput: number;
	/** Recent turns (a user message and everything after it) that always stay whole. Default 2. */
	keepTurns?: number;
	calibration?: TokenCalibration;
	/** Without one, the oldest turns are replaced by a note saying they were omitted. */
	summarize?: Summarizer;
	/** A summarizer error is rethrown once this is aborted (otherwise the turns are omitted with a note). */
	signal?: AbortSignal;
	/** The conversation's earlier summaries: reused for the same messages, extended when more are cut. */
	summaries?: SummaryCache;
}

export interface CompactionSummary {
	text: string;
	/** How many of the original messages the summary stands for. */
	replacedCount: number;
	/** false when the turns were omitted with a note (no summarizer, or it failed). */
	byModel: boolean;
}

export interface CompactionResult {
	/** What to send. */
	messages: ChatMessage[];
	summary?: CompactionSummary;
	/** Tool results that were shortened. */
	elidedToolResults: number;
	/** The calibrated estimate of the prompt as returned. */
	usedTokens: number;
	/** Whether estimated prompt + reserved output fits the window. */
	fits: boolean;
	/** Something the user should know (the summarizer failed). */
	warning?: string;
}

export const defaultKeepTurns = 2;
/** Character caps for a shortened tool result: a first, gentle pass, then a hard one. */
const toolResultCaps = [2000, 400] as const;
const summaryHeading = 'Summary of the earlier conversation';

export function summaryMessageText(text: string, replacedCount: number): string {
	return `[${summaryHeading} (${replacedCount} messages), condensed to fit the context window]\n\n${text}`;
}

/** Whether `message` is a summary this module wrote (the UI shows it collapsed, with the originals to expand). */
export function isSummaryMessage(message: ChatMessage): boolean {
	const first = message.content[0];
	return message.role === 'assistant' && first?.type === 'text' && first.text.startsWith(`[${summaryHeading} (`);
}

export async function compactToFit(input: CompactionInput): Promise<CompactionResult> {
	const calibration = input.calibration ?? new TokenCalibration();
	const budget = input.window - input.reserveOutput;
	// Sizes per message, updated as messages are replaced, so long histories are not re-scanned at every cut.
	const fixed = estimatePromptTokens({ system: input.system, tools: input.tools, messages: [] });
	const tokensOf = (sizes: readonly number[]): number => calibration.apply(sizes.reduce((sum, n) => sum + n, fixed));
	let messages = [...input.messages];
	let sizes = messages.map(estimateMessageTokens);
	let elided = 0;
	let summary: CompactionSummary | undefined;
	let warning: string | undefined;
	const result = (): CompactionResult => {
		const usedTokens = tokensOf(sizes);
		return { messages, summary, elidedToolResults: elided, usedTokens, fits: usedTokens <= budget, warning };
	};
	if (tokensOf(sizes) <= budget) return result();

	const keepTurns = Math.max(1, input.keepTurns ?? defaultKeepTurns);
	const { headEnd, tailStart, turnStarts } = layout(messages, keepTurns);

	// Shortens tool results in [from, to), oldest first, until the prompt fits; true when it does.
	const shortenRange = (from: number, to: number): boolean => {
		for (const cap of toolResultCaps) {
			for (let index = from; index < to; index++) {
				const message = messages[index];
				if (message.role !== 'tool') continue;
				const shortened = shortenToolMessage(message, cap);
				if (shortened.count === 0) continue;
				messages[index] = shortened.message;
				sizes[index] = estimateMessageTokens(shortened.message);
				elided += shortened.count;
				if (tokensOf(sizes) <= budget) return true;
			}
		}
		return false;
	};

	if (shortenRange(headEnd, tailStart)) return result();

	if (tailStart > headEnd) {
		// Replace as few of the oldest turns as leave a quarter of the budget free, so the next steps of this
		// turn do not need another summary straight away; all of them when that is not enough.
		const allowance = Math.min(1000, Math.floor(budget / 10));
		const target = Math.floor(budget * 0.75);
		const boundaries = [...turnStarts.filter((start) => start > headEnd && start < tailStart), tailStart];
		const cut = boundaries.find((end) => tokensOf([...sizes.slice(0, headEnd), ...sizes.slice(end)]) + allowance <= target) ?? tailStart;
		const replaced = messages.slice(headEnd, cut);
		// The key is what the summary stands for: the messages as given, before any shortening above.
		const originals = input.messages.slice(headEnd, cut);
		let text: string;
		let byModel = false;
		const cached = input.summarize && input.summaries?.exact(originals);
		if (cached) {
			text = cached;
			byModel = true;
		} else if (input.summarize) {
			try {
				text = (await input.summarize(withEarlierSummary(replaced, input.summaries?.prefix(originals)))).trim();
				if (!text) throw new Error('the summary was empty');
				byModel = true;
				input.summaries?.remember(originals, text);
			} catch (error) {
				if (input.signal?.aborted) throw error;
				text = omissionNote(replaced.length);
				warning = `Could not summarize the earlier conversation (${error instanceof Error ? error.message : String(error)}); ${replaced.length} earlier messages were left out to fit the context window.`;
			}
		} else {
			text = omissionNote(replaced.length);
		}
		const summaryMessage: ChatMessage = { role: 'assistant', content: [{ type: 'text', text: summaryMessageText(text, replaced.length) }] };
		messages = [...messages.slice(0, headEnd), summaryMessage, ...messages.slice(cut)];
		sizes = [...sizes.slice(0, headEnd), estimateMessageTokens(summaryMessage), ...sizes.slice(cut)];
		summary = { text, replacedCount: replaced.length, byModel };
		if (tokensOf(sizes) <= budget) return result();
	}

	// The tail (and the summary, which never holds tool results) as a last resort.
	shortenRange(0, messages.length);
	return result();
}

/** What to summarize: with an earlier summary of the first messages, that summary and only the messages after it. */
function withEarlierSummary(replaced: ChatMessage[], earlier: { text: string; count: number } | undefined): ChatMessage[] {
	if (!earlier) return replaced;
	const summary: ChatMessage = { role: 'assistant', content: [{ type: 'text', text: summaryMessageText(earlier.text, earlier.count) }] };
	return [summary, ...replaced.slice(earlier.count)];
}

function omissionNote(count: number): string {
	return `${count} earlier messages were left out to fit the context window.`;
}

/**
 * headEnd: just after the first user message (the head that always stays). tailStart: where the last
 * `keepTurns` turns begin (never before headEnd). turnStarts: the index of every user message.
 */
function layout(messages: readonly ChatMessage[], keepTurns: number): { headEnd: number; tailStart: number; turnStarts: number[] } {
	const turnStarts = messages.flatMap((message, index) => message.role === 'user' ? [index] : []);
	const headEnd = turnStarts.length > 0 ? turnStarts[0] + 1 : 0;
	const tailStart = Math.max(headEnd, turnStarts.length >= keepTurns ? turnStarts[turnStarts.length - keepTurns] : 0);
	return { headEnd, tailStart, turnStarts };
}

function shortenToolMessage(message: ToolMessage, cap: number): { message: ToolMessage; count: number } {
	let count = 0;
	const content = message.content.map((part): ToolResultPart => {
		const output = shortenOutput(part.output, cap);
		if (output === part.output) return part;
		count++;
		return { ...part, output };
	});
	return { message: count === 0 ? message : { role: 'tool', content }, count };
}

function shortenOutput(output: ToolOutput, cap: number): ToolOutput {
	switch (output.type) {
		case 'text':
		case 'error-text': {
			const value = elideMiddle(output.value, cap);
			return value === output.value ? output : { type: output.type, value };
		}
		case 'json': {
			const text = JSON.stringify(output.value) ?? '';
			const value = elideMiddle(text, cap);
			return value === text ? output : { type: 'text', value };
		}
		case 'denied':
			return output;
	}
}

const notePattern = /\n?\[… (\d+) chars elided to fit the context window\]\n?/g;

/**
 * Keeps about 60% of `cap` from the start and 30% from the end of `text` (the start of a file or command output
 * and its last lines matter most) with a note between them counting the characters cut from the original,
 * including those an earlier, gentler pass already cut.
 */
export function elideMiddle(text: string, cap: number): string {
	if (text.length <= cap) return text;
	let headLength = Math.floor(cap * 0.6);
	let tailStart = text.length - Math.floor(cap * 0.3);
	// Never split a surrogate pair.
	if (isLowSurrogate(text.charCodeAt(headLength))) headLength--;
	if (isLowSurrogate(text.charCodeAt(tailStart))) tailStart++;
	const removed = text.slice(headLength, tailStart);
	let count = 0;
	let noteChars = 0;
	for (const match of removed.matchAll(notePattern)) {
		count += Number(match[1]);
		noteChars += match[0].length;
	}
	count += removed.length - noteChars;
	return `${text.slice(0, headLength)}\n[… ${count} chars elided to fit the context window]\n${text.slice(tailStart)}`;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}
