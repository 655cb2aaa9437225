// Our ChatMessage[] -> Anthropic `messages`. Thinking blocks go back unchanged and before the tool_use blocks;
// every tool result of a turn travels in one user message, tool_result blocks first; consecutive messages of
// one role are merged, since the protocol alternates user and assistant.
import type { ContentBlockParam, MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { AssistantMessage, ChatMessage, ReasoningPart, ToolOutput, ToolResultPart } from '../../shared/chat';

type Role = 'user' | 'assistant';
type Turn = { role: Role; content: ContentBlockParam[] };

export function toAnthropicMessages(messages: readonly ChatMessage[]): MessageParam[] {
	const ids = new ToolUseIds();
	const turns: Turn[] = [];
	for (const message of messages) {
		const content = convert(message, ids);
		if (content.length === 0) continue;
		const role: Role = message.role === 'assistant' ? 'assistant' : 'user';
		const last = turns[turns.length - 1];
		if (last?.role === role) last.content.push(...content);
		else turns.push({ role, content });
	}
	// tool_result blocks must open their user message, before any text.
	for (const turn of turns) if (turn.role === 'user') turn.content = toolResultsFirst(turn.content);
	return turns;
}

function convert(message: ChatMessage, ids: ToolUseIds): ContentBlockParam[] {
	switch (message.role) {
		case 'user':
			// An image is a base64 `image` block (Anthropic vision docs); the API rejects empty text blocks.
			return message.content.flatMap((part): ContentBlockParam[] => part.type === 'image'
				? [{ type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } }]
				: part.text !== '' ? [{ type: 'text', text: part.text }] : []);
		case 'assistant':
			return convertAssistant(message, ids);
		case 'tool':
			return message.content.map((part) => toolResult(part, ids));
	}
}

function convertAssistant(message: AssistantMessage, ids: ToolUseIds): ContentBlockParam[] {
	const reasoning: ContentBlockParam[] = [];
	const rest: ContentBlockParam[] = [];
	const usedInMessage = new Set<string>();
	for (const part of message.content) {
		switch (part.type) {
			case 'reasoning': {
				const block = reasoningBlock(part);
				if (block) reasoning.push(block);
				break;
			}
			case 'text':
				// The API rejects empty text blocks.
				if (part.text !== '') rest.push({ type: 'text', text: part.text });
				break;
			case 'tool-call':
				rest.push({ type: 'tool_use', id: ids.assign(part.id, part.providerId, usedInMessage), name: part.toolName, input: asObject(part.input) });
				break;
			case 'provider-block':
				// Server-tool blocks go back exactly as the provider sent them, where they were among the text.
				rest.push(part.block as unknown as ContentBlockParam);
				break;
		}
	}
	return [...reasoning, ...rest];
}

/** Only blocks the provider signed can be replayed; unsigned reasoning (another provider's, or cut off) is dropped. */
function reasoningBlock(part: ReasoningPart): ContentBlockParam | undefined {
	if (part.redactedData !== undefined) return { type: 'redacted_thinking', data: part.redactedData };
	if (part.signature) return { type: 'thinking', thinking: part.text, signature: part.signature };
	return undefined;
}

function toolResult(part: ToolResultPart, ids: ToolUseIds): ToolResultBlockParam {
	const { text, isError } = outputText(part.output);
	return { type: 'tool_result', tool_use_id: ids.lookup(part.callId), content: text, ...(isError && { is_error: true }) };
}

function outputText(output: ToolOutput): { text: string; isError: boolean } {
	switch (output.type) {
		case 'text':
			return { text: output.value, isError: false };
		case 'json':
			return { text: JSON.stringify(output.value) ?? 'null', isError: false };
		case 'error-text':
			return { text: output.value, isError: true };
		case 'denied':
			return {
				text: output.reason ? `The user denied this tool call: ${output.reason}` : 'The user denied this tool call. Do not retry it unchanged.',
				isError: true,
			};
	}
}

function toolResultsFirst(content: ContentBlockParam[]): ContentBlockParam[] {
	const results = content.filter((block) => block.type === 'tool_result');
	return results.length === 0 ? content : [...results, ...content.filter((block) => block.type !== 'tool_result')];
}

/** tool_use.input must be an object; anything else (a call whose arguments never parsed) replays as {}. */
function asObject(input: unknown): Record<string, unknown> {
	return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}

/**
 * The ids replayed as tool_use.id, keyed by our call id: the provider's own id when it is usable, otherwise
 * (empty, or repeated, as Vertex AI's open-model function-calling guide shows) one made from our unique call id. Results look up the same mapping.
 */
class ToolUseIds {
	private readonly byCallId = new Map<string, string>();
	private readonly used = new Set<string>();

	assign(callId: string, providerId: string, usedInMessage: Set<string>): string {
		let id = providerId !== '' && !usedInMessage.has(providerId) && !this.used.has(providerId) ? providerId : synthesize(callId);
		for (let n = 2; this.used.has(id); n++) id = `${synthesize(callId)}_${n}`;
		usedInMessage.add(providerId);
		this.used.add(id);
		this.byCallId.set(callId, id);
		return id;
	}

	lookup(callId: string): string {
		return this.byCallId.get(callId) ?? synthesize(callId);
	}
}

/** Anthropic ids match ^[a-zA-Z0-9_-]+$. */
function synthesize(callId: string): string {
	return `toolu_${callId.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
}
