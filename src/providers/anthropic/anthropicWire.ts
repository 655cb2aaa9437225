// The parts of Anthropic's Messages wire format this adapter reads, modelled loosely on purpose: gateways omit
// fields the SDK's types call required, so every field is optional and checked where it is used.

export interface WireUsage {
	input_tokens?: number | null;
	output_tokens?: number | null;
	cache_read_input_tokens?: number | null;
	cache_creation_input_tokens?: number | null;
}

export interface WireContentBlock {
	type: string;
	/** tool_use */
	id?: string;
	name?: string;
	input?: unknown;
	/** text */
	text?: string;
	/** thinking */
	thinking?: string;
	signature?: string;
	/** redacted_thinking */
	data?: string;
}

export interface WireDelta {
	type?: string;
	text?: string;
	partial_json?: string;
	thinking?: string;
	signature?: string;
	/** message_delta */
	stop_reason?: string | null;
}

/** One parsed server-sent event of a streamed response. */
export interface WireEvent {
	type: string;
	index?: number;
	message?: { usage?: WireUsage };
	content_block?: WireContentBlock;
	delta?: WireDelta;
	usage?: WireUsage;
}

/** A whole (non-streamed) response. */
export interface WireMessage {
	content?: WireContentBlock[];
	stop_reason?: string | null;
	usage?: WireUsage;
}

/**
 * Replays a whole response as the events a stream would have carried, so one accumulator handles both modes.
 * A tool_use block's object `input` (already an object, as the Messages API documents) becomes a single input_json_delta.
 */
export function messageToWireEvents(message: WireMessage): WireEvent[] {
	const events: WireEvent[] = [{ type: 'message_start', message: { usage: message.usage } }];
	(message.content ?? []).forEach((block, index) => {
		switch (block.type) {
			case 'text':
				events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
				events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text ?? '' } });
				break;
			case 'thinking':
				events.push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
				events.push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: block.thinking ?? '' } });
				if (block.signature) events.push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } });
				break;
			case 'tool_use':
				events.push({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
				events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input ?? {}) } });
				break;
			default:
				events.push({ type: 'content_block_start', index, content_block: block });
		}
		events.push({ type: 'content_block_stop', index });
	});
	events.push({ type: 'message_delta', delta: { stop_reason: message.stop_reason ?? null }, usage: { output_tokens: message.usage?.output_tokens } });
	events.push({ type: 'message_stop' });
	return events;
}
