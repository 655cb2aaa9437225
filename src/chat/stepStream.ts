// Consumes one provider stream into a step draft: text, reasoning (with what must be replayed) and the tool calls
// in the order they started, forwarding each event to the caller as it arrives.
import type { FinishReason, ReasoningPart, Usage } from '../shared/chat';
import type { StreamEvent } from '../providers/types';
import type { ToolCallState } from '../shared/toolCall';
import type { LoopEvent } from './loopEvents';

/**
 * The stream's working copy of a call: the raw text as it arrives, the parsed input once its arguments close. Its
 * states are the ToolCall's (src/shared/toolCall.ts) plus 'parsed', arguments that closed and wait to be checked
 * and decided by the tool runner; a UI never sees 'parsed' (the card stays 'streaming' until then).
 */
export type DraftCall = {
	callId: string;
	providerId: string;
	toolName: string;
	rawInput: string;
	/** The provider's own fields on the call, replayed with it (see ToolCallPart.extra). */
	extra?: Record<string, unknown>;
} & (
	| { state: Extract<ToolCallState, 'streaming'> }
	| { state: 'parsed'; input: unknown }
	| { state: Extract<ToolCallState, 'invalid' | 'incomplete'>; message: string }
);

export class StepDraft {
	text = '';
	/** All reasoning text, for the record. */
	reasoning = '';
	readonly reasoningParts: ReasoningPart[] = [];
	readonly calls: DraftCall[] = [];
	finish: FinishReason | undefined;
	usage: Usage | null = null;
	/** Blocks the provider ran itself, each with the length of the text before it (so it replays in its place). */
	readonly providerBlocks: Array<{ at: number; block: Record<string, unknown> }> = [];
	/** What the provider layer warned about during this step, for the step's record. */
	readonly warnings: string[] = [];
	/** Whether anything the user could see arrived (decides 'interrupted' vs 'error' on failure). */
	receivedContent = false;
	private openReasoning = '';

	constructor(private readonly step: number, private readonly emit: (event: LoopEvent) => void) {}

	apply(event: StreamEvent): void {
		switch (event.type) {
			case 'text-delta':
			case 'refusal-delta':
				this.text += event.delta;
				this.receivedContent = true;
				this.emit({ type: 'text-delta', step: this.step, delta: event.delta });
				return;
			case 'reasoning-delta':
				this.reasoning += event.delta;
				this.openReasoning += event.delta;
				this.receivedContent = true;
				this.emit({ type: 'reasoning-delta', step: this.step, delta: event.delta });
				return;
			case 'reasoning-signature':
				this.reasoningParts.push({ type: 'reasoning', text: this.openReasoning, signature: event.signature });
				this.openReasoning = '';
				return;
			case 'reasoning-redacted':
				this.reasoningParts.push({ type: 'reasoning', text: '', redactedData: event.data });
				return;
			case 'tool-input-start':
				this.receivedContent = true;
				this.upsert(event.callId, event.providerId, event.toolName);
				return;
			case 'tool-input-delta': {
				const call = this.calls.find((c) => c.callId === event.callId);
				if (!call || call.state !== 'streaming') return;
				call.rawInput += event.delta;
				this.emitStreaming(call);
				return;
			}
			case 'tool-call':
				this.receivedContent = true;
				// Absurdly deep arguments are refused here: replaying or comparing them would overflow the stack.
				if (nestingDepth(event.input, maxArgumentDepth) > maxArgumentDepth) {
					const detail = `nested deeper than ${maxArgumentDepth} levels`;
					this.replace({ callId: event.callId, providerId: event.providerId, toolName: event.toolName, rawInput: event.rawInput, ...extraOf(event), state: 'invalid', message: invalidJsonMessage(event.toolName, detail) });
					return;
				}
				this.replace({ callId: event.callId, providerId: event.providerId, toolName: event.toolName, rawInput: event.rawInput, ...extraOf(event), state: 'parsed', input: event.input });
				return;
			case 'tool-call-error': {
				this.receivedContent = true;
				const base = { callId: event.callId, providerId: event.providerId, toolName: event.toolName, rawInput: event.rawInput, ...extraOf(event) };
				this.replace(event.reason === 'incomplete'
					? { ...base, state: 'incomplete', message: incompleteMessage(event.toolName, event.message) }
					: { ...base, state: 'invalid', message: invalidJsonMessage(event.toolName, event.message) });
				return;
			}
			case 'provider-block':
				this.receivedContent = true;
				this.providerBlocks.push({ at: this.text.length, block: event.block });
				return;
			case 'usage':
				this.usage = mergeUsage(this.usage, event.usage);
				this.emit({ type: 'usage', step: this.step, usage: this.usage });
				return;
			case 'retry':
				this.emit({ type: 'retry', step: this.step, attempt: event.attempt, delayMs: event.delayMs, error: event.error });
				return;
			case 'warning':
				this.warnings.push(event.message);
				this.emit({ type: 'warning', step: this.step, message: event.message });
				return;
			case 'finish':
				this.finish = event.reason;
				return;
		}
	}

	/** Reasoning not closed by a signature (DeepSeek-style) becomes a part too, so it can be replayed. */
	allReasoningParts(): ReasoningPart[] {
		return this.openReasoning ? [...this.reasoningParts, { type: 'reasoning', text: this.openReasoning }] : [...this.reasoningParts];
	}

	/**
	 * Calls that will not run become incomplete: with `includeComplete` false only those whose arguments never
	 * closed (the stream ended mid-call); with true every unrun call (the stream failed, so nothing runs).
	 */
	closeCalls(detail: string, includeComplete: boolean): void {
		for (const [index, call] of this.calls.entries()) {
			if (call.state === 'streaming' || (includeComplete && call.state === 'parsed')) {
				this.calls[index] = { ...call, state: 'incomplete', message: incompleteMessage(call.toolName, detail) };
			}
		}
	}

	private upsert(callId: string, providerId: string, toolName: string): void {
		if (this.calls.some((c) => c.callId === callId)) return;
		const call: DraftCall = { callId, providerId, toolName, rawInput: '', state: 'streaming' };
		this.calls.push(call);
		this.emitStreaming(call);
	}

	private replace(call: DraftCall): void {
		const index = this.calls.findIndex((c) => c.callId === call.callId);
		if (index === -1) this.calls.push(call);
		else this.calls[index] = call;
	}

	/** Until the tool has looked at the arguments, the card knows only the tool's name and the raw text. */
	private emitStreaming(call: DraftCall): void {
		this.emit({ type: 'call-update', step: this.step, call: { callId: call.callId, toolName: call.toolName, summary: call.toolName, argumentsText: call.rawInput, state: 'streaming' } });
	}
}

function extraOf(event: { extra?: Record<string, unknown> }): { extra?: Record<string, unknown> } {
	return event.extra === undefined ? {} : { extra: event.extra };
}

/** Deeper tool arguments than this are not run (no real tool schema comes close). */
const maxArgumentDepth = 64;

/** How deeply arrays and objects nest in `value`, counted without recursion and stopping past `limit`. */
function nestingDepth(value: unknown, limit: number): number {
	let deepest = 0;
	const stack: Array<[unknown, number]> = [[value, 0]];
	while (stack.length > 0) {
		const [current, depth] = stack.pop() as [unknown, number];
		if (typeof current !== 'object' || current === null) continue;
		deepest = Math.max(deepest, depth + 1);
		if (deepest > limit) return deepest;
		for (const child of Object.values(current)) stack.push([child, depth + 1]);
	}
	return deepest;
}

function incompleteMessage(toolName: string, detail: string): string {
	return `The call to ${toolName} was cut off before its arguments were complete (${detail}), so it was not run. `
		+ 'If you still need it, call it again with shorter arguments.';
}

function invalidJsonMessage(toolName: string, detail: string): string {
	return `The arguments for ${toolName} were not valid JSON (${detail}), so it was not run. Call it again with a JSON object.`;
}

/** Providers report usage in pieces (Anthropic: input at the start, output at the end); keep the latest of each. */
function mergeUsage(previous: Usage | null, next: Usage): Usage {
	if (!previous) return { ...next };
	return {
		inputTokens: next.inputTokens || previous.inputTokens,
		outputTokens: next.outputTokens || previous.outputTokens,
		...(next.cachedInputTokens ?? previous.cachedInputTokens) !== undefined
			? { cachedInputTokens: next.cachedInputTokens ?? previous.cachedInputTokens }
			: {},
	};
}
