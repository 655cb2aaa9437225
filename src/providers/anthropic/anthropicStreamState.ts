// Our own accumulation of Anthropic stream events into normalized StreamEvents. A tool_use block's JSON is parsed
// only at its content_block_stop, and that call is held back until the response shows it was not cut off:
// a call that max_tokens interrupted, or that never closed, is reported 'incomplete' and never as a tool-call.
import { randomUUID } from 'node:crypto';
import type { Usage } from '../../shared/chat';
import { errorReasonError, isErrorReason } from '../endWords';
import type { ProviderError, StreamEvent } from '../types';
import type { WireEvent, WireUsage } from './anthropicWire';
import { mapStopReason } from './mapStopReason';

interface ToolBlock {
	kind: 'tool';
	callId: string;
	providerId: string;
	toolName: string;
	raw: string;
	/** Some gateways put the whole input in content_block_start and send no deltas. */
	startInput: unknown;
}

/** A server-tool block (web search, code execution, MCP…): the provider ran it; we keep it to send back unchanged. */
interface ServerBlock {
	kind: 'server';
	block: Record<string, unknown>;
	/** A streamed server_tool_use's input arrives as input_json_delta fragments, as a tool_use's does. */
	raw: string;
}

type OpenBlock = { kind: 'text' } | { kind: 'thinking'; signature: string } | ToolBlock | ServerBlock | { kind: 'other' };

/** server_tool_use, web_search_tool_result, code_execution_tool_result, mcp_tool_use, mcp_tool_result… */
const serverBlockType = /^(?:server_tool_use|mcp_tool_use|[a-z_]+_tool_result)$/;

const knownStopReasons: ReadonlySet<string> = new Set(['end_turn', 'stop_sequence', 'tool_use', 'max_tokens', 'model_context_window_exceeded', 'refusal', 'pause_turn']);

/** Stop reasons that mean the output was cut short, so the last block may be truncated. */
const truncatingStopReasons = new Set(['max_tokens', 'model_context_window_exceeded']);

export class AnthropicStreamState {
	private readonly blocks = new Map<number, OpenBlock>();
	/** The last closed tool call, not yet emitted. */
	private held: ToolBlock | undefined;
	private readonly usage = { input: 0, cacheRead: 0, cacheCreation: 0, output: 0 };
	private stopReason: string | null = null;
	private messageStopped = false;
	private toolCallsSeen = false;
	private readonly warnedTypes = new Set<string>();

	constructor(private readonly newCallId: () => string = () => `call_${randomUUID()}`) {}

	/** True once the response said it ended: a stop_reason or message_stop arrived. */
	get ended(): boolean {
		return this.messageStopped || this.stopReason !== null;
	}

	/** The events `event` causes, pushed onto `out` (the adapter's queue: no array per event) and returned. */
	push(event: WireEvent, out: StreamEvent[] = []): StreamEvent[] {
		switch (event.type) {
			case 'message_start':
				this.addUsage(event.message?.usage);
				return out;
			case 'content_block_start':
				return pushAll(pushAll(out, this.releaseHeld()), this.startBlock(event));
			case 'content_block_delta':
				this.applyDelta(event, out);
				return out;
			case 'content_block_stop':
				return pushAll(out, this.stopBlock(event.index ?? 0));
			case 'message_delta': {
				this.addUsage(event.usage);
				const stopReason = event.delta?.stop_reason;
				if (typeof stopReason !== 'string') return out;
				this.stopReason = stopReason;
				return pushAll(out, truncatingStopReasons.has(stopReason) ? this.abandonHeld('the response reached its token limit') : this.releaseHeld());
			}
			case 'message_stop':
				this.messageStopped = true;
				return out;
			default:
				// 'ping' and event names newer than this client.
				return out;
		}
	}

	/** A stop_reason that names an error (a gateway forwarding an upstream failure): the response did not complete. */
	stopError(): ProviderError | undefined {
		const raw = this.stopReason;
		return raw !== null && !knownStopReasons.has(raw) && isErrorReason(raw) ? errorReasonError('stop_reason', raw) : undefined;
	}

	/** Ends a response that completed: releases what is held, reports usage and the finish reason. */
	finish(): StreamEvent[] {
		const events = this.truncatingStop() ? this.abandonHeld('the response reached its token limit') : this.releaseHeld();
		events.push(...this.abandonOpen('the response ended before the call was complete'));
		const mapped = mapStopReason(this.stopReason, this.toolCallsSeen);
		if (mapped.warning) events.push({ type: 'warning', message: mapped.warning });
		events.push({ type: 'usage', usage: this.totalUsage() });
		events.push({ type: 'finish', reason: mapped.reason, ...(this.stopReason !== null && { raw: this.stopReason }) });
		return events;
	}

	/** The response was cut off (reset, error event, missing end): every unconfirmed call becomes incomplete. */
	abandon(why: string): StreamEvent[] {
		return [...this.abandonHeld(why), ...this.abandonOpen(why)];
	}

	private truncatingStop(): boolean {
		return this.stopReason !== null && truncatingStopReasons.has(this.stopReason);
	}

	private startBlock(event: WireEvent): StreamEvent[] {
		const index = event.index ?? 0;
		const block = event.content_block;
		switch (block?.type) {
			case 'text':
				this.blocks.set(index, { kind: 'text' });
				return block.text ? [{ type: 'text-delta', delta: block.text }] : [];
			case 'thinking':
				this.blocks.set(index, { kind: 'thinking', signature: block.signature ?? '' });
				return block.thinking ? [{ type: 'reasoning-delta', delta: block.thinking }] : [];
			case 'redacted_thinking':
				this.blocks.set(index, { kind: 'other' });
				return [{ type: 'reasoning-redacted', data: block.data ?? '' }];
			case 'tool_use': {
				this.toolCallsSeen = true;
				const tool: ToolBlock = {
					kind: 'tool',
					callId: this.newCallId(),
					providerId: block.id ?? '',
					toolName: block.name ?? '',
					raw: '',
					startInput: block.input,
				};
				this.blocks.set(index, tool);
				return [{ type: 'tool-input-start', callId: tool.callId, providerId: tool.providerId, toolName: tool.toolName }];
			}
			default: {
				if (block && serverBlockType.test(block.type)) {
					// Never run here: the provider ran it (https://docs.claude.com/en/docs/agents-and-tools/tool-use/server-tools).
					this.blocks.set(index, { kind: 'server', block: { ...block }, raw: '' });
					return [];
				}
				this.blocks.set(index, { kind: 'other' });
				const type = block?.type ?? 'unknown';
				if (this.warnedTypes.has(type)) return [];
				this.warnedTypes.add(type);
				return [{ type: 'warning', message: `Ignored a "${type}" content block, which this client does not handle.` }];
			}
		}
	}

	private applyDelta(event: WireEvent, out: StreamEvent[]): void {
		const block = this.blocks.get(event.index ?? 0);
		const delta = event.delta;
		if (!block || !delta) return;
		switch (delta.type) {
			case 'text_delta':
				if (block.kind === 'text' && delta.text) out.push({ type: 'text-delta', delta: delta.text });
				return;
			case 'thinking_delta':
				if (block.kind === 'thinking' && delta.thinking) out.push({ type: 'reasoning-delta', delta: delta.thinking });
				return;
			case 'signature_delta':
				if (block.kind === 'thinking') block.signature += delta.signature ?? '';
				return;
			case 'input_json_delta':
				// partial_json may be "" (the first delta often is); only real fragments are passed on.
				if (block.kind === 'server' && delta.partial_json) block.raw += delta.partial_json;
				if (block.kind !== 'tool' || !delta.partial_json) return;
				block.raw += delta.partial_json;
				out.push({ type: 'tool-input-delta', callId: block.callId, delta: delta.partial_json });
				return;
			default:
				// citations_delta and newer kinds carry nothing we show.
				return;
		}
	}

	private stopBlock(index: number): StreamEvent[] {
		const block = this.blocks.get(index);
		this.blocks.delete(index);
		if (block?.kind === 'thinking') return block.signature ? [{ type: 'reasoning-signature', signature: block.signature }] : [];
		if (block?.kind === 'server') return [{ type: 'provider-block', block: serverBlock(block) }];
		if (block?.kind !== 'tool') return [];
		// A call closed here may still be the one max_tokens cut: hold it until the next block or the stop reason.
		const released = this.releaseHeld();
		this.held = block;
		return released;
	}

	private releaseHeld(): StreamEvent[] {
		const block = this.held;
		if (!block) return [];
		this.held = undefined;
		return [toolCallEvent(block)];
	}

	private abandonHeld(why: string): StreamEvent[] {
		const block = this.held;
		if (!block) return [];
		this.held = undefined;
		return [incomplete(block, why)];
	}

	private abandonOpen(why: string): StreamEvent[] {
		const events: StreamEvent[] = [];
		for (const block of this.blocks.values()) if (block.kind === 'tool') events.push(incomplete(block, why));
		this.blocks.clear();
		return events;
	}

	private addUsage(usage: WireUsage | undefined): void {
		if (!usage) return;
		// Counts are cumulative, so the latest value wins.
		if (typeof usage.input_tokens === 'number') this.usage.input = usage.input_tokens;
		if (typeof usage.cache_read_input_tokens === 'number') this.usage.cacheRead = usage.cache_read_input_tokens;
		if (typeof usage.cache_creation_input_tokens === 'number') this.usage.cacheCreation = usage.cache_creation_input_tokens;
		if (typeof usage.output_tokens === 'number') this.usage.output = usage.output_tokens;
	}

	private totalUsage(): Usage {
		// Anthropic's input_tokens excludes cache reads and writes; ours counts the whole prompt, as OpenAI does.
		const usage: Usage = { inputTokens: this.usage.input + this.usage.cacheRead + this.usage.cacheCreation, outputTokens: this.usage.output };
		if (this.usage.cacheRead > 0) usage.cachedInputTokens = this.usage.cacheRead;
		return usage;
	}
}

function pushAll(out: StreamEvent[], events: readonly StreamEvent[]): StreamEvent[] {
	for (const event of events) out.push(event);
	return out;
}

function toolCallEvent(block: ToolBlock): StreamEvent {
	const base = { callId: block.callId, providerId: block.providerId, toolName: block.toolName };
	let raw = block.raw;
	if (raw.trim() === '') {
		// No fragments: the input came whole at the start (some gateways), or the call takes no arguments.
		const start = block.startInput;
		const hasStartInput = typeof start === 'object' && start !== null && Object.keys(start).length > 0;
		raw = hasStartInput ? JSON.stringify(start) : '{}';
	}
	try {
		return { type: 'tool-call', ...base, input: JSON.parse(raw) as unknown, rawInput: raw };
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		return { type: 'tool-call-error', ...base, rawInput: raw, reason: 'invalid', message: `The arguments of ${block.toolName} are not valid JSON (${detail}).` };
	}
}

function serverBlock(open: ServerBlock): Record<string, unknown> {
	if (open.raw.trim() === '') return open.block;
	try {
		return { ...open.block, input: JSON.parse(open.raw) as unknown };
	} catch {
		// Sent back as it started; the provider judges it.
		return open.block;
	}
}

function incomplete(block: ToolBlock, why: string): StreamEvent {
	return {
		type: 'tool-call-error',
		callId: block.callId,
		providerId: block.providerId,
		toolName: block.toolName,
		rawInput: block.raw,
		reason: 'incomplete',
		message: `The call to ${block.toolName} was cut off before its arguments were complete: ${why}.`,
	};
}
