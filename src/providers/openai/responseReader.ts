// Turns Chat Completions chunks (or one whole non-streamed completion) into our normalized events.
// Only choice 0 is read. Tool calls are closed when the response ends, because only then is it known
// whether the response was complete, cut by the token limit, or interrupted.
import type { Usage } from '../../shared/chat';
import { ProviderError, type StreamEvent } from '../types';
import { errorReasonError, isErrorReason } from '../endWords';
import { INTERRUPTED_FINISH_REASONS, mapFinishReason } from './mapFinishReason';
import { ToolCallAccumulator } from './toolCallAccumulator';
import type { WireChunk, WireCompletion, WireDelta, WireUsage } from './wireTypes';

/** What ends a response: its last events, and the error to throw after them when it was not complete. */
export interface ResponseEnd {
	events: StreamEvent[];
	error?: ProviderError;
}

export class ResponseReader {
	private readonly toolCalls: ToolCallAccumulator;
	private finishReason: string | undefined;
	private usage: Usage | undefined;

	constructor(createCallId?: () => string) {
		this.toolCalls = new ToolCallAccumulator(createCallId);
	}

	/** A finish_reason arrived, so the response is complete even if the connection then drops. */
	get finished(): boolean {
		return this.finishReason !== undefined;
	}

	/** One chunk's events, pushed onto `out` (the adapter's queue: no array per chunk) and returned. */
	readChunk(chunk: WireChunk, out: StreamEvent[] = []): StreamEvent[] {
		this.readUsage(chunk.usage);
		// `choices: []` is a usage-only chunk.
		const choice = firstChoice(chunk.choices);
		if (!choice) return out;
		if (choice.delta) this.readDelta(choice.delta, false, out);
		this.readFinishReason(choice.finish_reason);
		return out;
	}

	readCompletion(completion: WireCompletion): StreamEvent[] {
		this.readUsage(completion.usage);
		const choice = firstChoice(completion.choices);
		if (!choice) return [];
		const events = choice.message ? this.readDelta(choice.message, true, []) : [];
		this.readFinishReason(choice.finish_reason);
		return events;
	}

	/** The body ended cleanly ([DONE] or end of the stream). */
	end(): ResponseEnd {
		const reason = this.finishReason;
		if (reason === undefined) {
			return { events: this.toolCalls.finish('interrupted'), error: interrupted('The response ended before the provider said it was complete (no finish_reason). Try again; if it repeats, a proxy may be cutting responses short.') };
		}
		if (INTERRUPTED_FINISH_REASONS.has(reason)) {
			return { events: this.toolCalls.finish('interrupted'), error: interrupted(`The provider stopped the response early (finish_reason "${reason}"). Try again.`) };
		}
		if (!knownFinishReasons.has(reason) && isErrorReason(reason)) {
			// Calls of a failed response never run; what arrived stays with the caller.
			const events = this.toolCalls.finish('interrupted');
			if (this.usage) events.push({ type: 'usage', usage: this.usage });
			return { events, error: errorReasonError('finish_reason', reason) };
		}
		const mapped = mapFinishReason(reason, this.toolCalls.count > 0);
		const events = this.toolCalls.finish(reason === 'length' ? 'length' : 'complete');
		if (this.usage) events.push({ type: 'usage', usage: this.usage });
		if (mapped.warning) events.push({ type: 'warning', message: mapped.warning });
		events.push(mapped.raw === undefined ? { type: 'finish', reason: mapped.reason } : { type: 'finish', reason: mapped.reason, raw: mapped.raw });
		return { events };
	}

	/** The response broke off (reset, error payload, bad chunk): calls still open must not run. */
	abandon(): StreamEvent[] {
		return this.toolCalls.finish('interrupted');
	}

	private readDelta(delta: WireDelta, whole: boolean, events: StreamEvent[]): StreamEvent[] {
		// Some servers send both fields with the same text; one is enough.
		const reasoning = nonEmpty(delta.reasoning_content) ?? nonEmpty(delta.reasoning);
		if (reasoning !== undefined) events.push({ type: 'reasoning-delta', delta: reasoning });
		const content = nonEmpty(delta.content);
		if (content !== undefined) events.push({ type: 'text-delta', delta: content });
		const refusal = nonEmpty(delta.refusal);
		if (refusal !== undefined) events.push({ type: 'refusal-delta', delta: refusal });
		const calls = delta.tool_calls;
		if (Array.isArray(calls)) {
			for (let position = 0; position < calls.length; position++) {
				const call = calls[position];
				// In a whole message each entry is its own call, whatever its id (Vertex AI's open-model function-calling guide repeats one id).
				for (const event of this.toolCalls.add(whole ? { ...call, index: position } : call)) events.push(event);
			}
		}
		return events;
	}

	private readFinishReason(reason: string | null | undefined): void {
		if (typeof reason === 'string' && reason !== '') this.finishReason = reason;
	}

	private readUsage(usage: WireUsage | null | undefined): void {
		if (!usage || (usage.prompt_tokens === undefined && usage.completion_tokens === undefined)) return;
		const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens;
		// Servers that repeat usage on every chunk report running totals; the last one wins.
		this.usage = {
			inputTokens: usage.prompt_tokens ?? 0,
			outputTokens: usage.completion_tokens ?? 0,
			...(cached !== undefined ? { cachedInputTokens: cached } : {}),
		};
	}
}

const knownFinishReasons: ReadonlySet<string> = new Set(['stop', 'length', 'tool_calls', 'function_call', 'content_filter']);

/**
 * The answer's choice. One choice is requested, so a lone entry is it whatever its index says: some servers count
 * the index up on every chunk (https://github.com/huggingface/text-generation-inference/pull/1648,
 * https://github.com/microsoft/foundry-local/issues/263). Among several entries, index 0 (a missing index counts as
 * 0), else the first. A plain loop, as this runs for every chunk.
 */
function firstChoice<T extends { index?: number | null }>(choices: readonly T[] | null | undefined): T | undefined {
	if (!Array.isArray(choices) || choices.length === 0) return undefined;
	if (choices.length === 1) return choices[0];
	for (let position = 0; position < choices.length; position++) {
		if ((choices[position].index ?? 0) === 0) return choices[position];
	}
	return choices[0];
}

function nonEmpty(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

export function interrupted(message: string, cause?: unknown): ProviderError {
	return new ProviderError('interrupted', message, { retryable: true, cause });
}
