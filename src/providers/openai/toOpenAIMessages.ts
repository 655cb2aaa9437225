// Converts our conversation to Chat Completions messages for replay. Provider ids go back unchanged (Vertex AI's open-model function-calling guide
// replays two calls that share one id); results follow the order of the calls they answer, so calls with the
// same id still pair by position. Key order matches the OpenAI documentation's examples.
import type { AssistantMessage, ChatMessage, ToolCallPart, ToolOutput, ToolResultPart, UserMessage } from '../../shared/chat';

export interface OpenAIToolCall {
	function: { arguments: string; name: string };
	id: string;
	type: 'function';
	/** The provider's own fields on the call as it sent them (Gemini's extra_content), which it requires back. */
	[extra: string]: unknown;
}

/** A user content part, as the SDK's ChatCompletionContentPartText / ChatCompletionContentPartImage. */
export type OpenAIUserPart =
	| { type: 'text'; text: string }
	| { type: 'image_url'; image_url: { url: string } };

export type OpenAIMessage =
	| { role: 'system'; content: string }
	| { role: 'user'; content: string | OpenAIUserPart[] }
	| { role: 'assistant'; content: string | null; reasoning_content?: string; tool_calls?: OpenAIToolCall[] }
	| { role: 'tool'; content: string; tool_call_id: string };

export function toOpenAIMessages(system: string | undefined, messages: readonly ChatMessage[]): OpenAIMessage[] {
	const out: OpenAIMessage[] = [];
	if (system !== undefined && system !== '') out.push({ role: 'system', content: system });
	/** Every call seen so far: our id -> the id the provider knows it by. */
	const replayIds = new Map<string, string>();
	let openCalls: ToolCallPart[] = [];
	let results: ToolResultPart[] = [];
	const flushResults = (): void => {
		out.push(...toolMessages(openCalls, results, replayIds));
		openCalls = [];
		results = [];
	};
	for (const message of messages) {
		if (message.role === 'tool') {
			results.push(...message.content);
			continue;
		}
		flushResults();
		if (message.role === 'user') {
			out.push(userMessage(message));
		} else {
			out.push(assistantMessage(message, replayIds));
			openCalls = message.content.filter((part): part is ToolCallPart => part.type === 'tool-call');
		}
	}
	flushResults();
	return out;
}

/**
 * Text alone stays a plain string (what every Chat Completions server accepts); with images the content becomes
 * parts, each image a base64 data URL in an `image_url` part (OpenAI vision guide, "Passing a Base64 encoded image").
 */
function userMessage(message: UserMessage): OpenAIMessage {
	if (!message.content.some((part) => part.type === 'image')) {
		return { role: 'user', content: message.content.map((part) => part.type === 'text' ? part.text : '').join('\n') };
	}
	const parts: OpenAIUserPart[] = [];
	for (const part of message.content) {
		if (part.type === 'image') parts.push({ type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${part.data}` } });
		else if (part.text !== '') parts.push({ type: 'text', text: part.text });
	}
	return { role: 'user', content: parts };
}

function assistantMessage(message: AssistantMessage, replayIds: Map<string, string>): OpenAIMessage {
	let text = '';
	let reasoning = '';
	let replayableReasoning = false;
	const toolCalls: OpenAIToolCall[] = [];
	for (const part of message.content) {
		if (part.type === 'text') {
			text += part.text;
		} else if (part.type === 'reasoning') {
			// Only DeepSeek-style reasoning (no signature) travels back as reasoning_content.
			if (part.signature === undefined && part.redactedData === undefined) {
				reasoning += part.text;
				replayableReasoning = true;
			}
		} else if (part.type === 'tool-call') {
			const id = replayId(part);
			replayIds.set(part.id, id);
			// Gemini 3 rejects a replayed call without its extra_content thought signature ("Function call is missing
			// a thought_signature", https://ai.google.dev/gemini-api/docs/thought-signatures); extras go back as they came.
			toolCalls.push({ function: { arguments: JSON.stringify(part.input ?? {}), name: part.toolName }, id, type: 'function', ...extrasOf(part) });
		}
		// Provider blocks are Anthropic server-tool results, which no Chat Completions server would accept.
	}
	if (toolCalls.length === 0) return { role: 'assistant', content: text };
	return {
		role: 'assistant',
		content: text === '' ? null : text,
		// DeepSeek thinking mode requires the reasoning of a tool-calling turn to come back with it.
		...(replayableReasoning ? { reasoning_content: reasoning } : {}),
		tool_calls: toolCalls,
	};
}

/** The call's extra fields, never one that would replace what this converter writes. */
function extrasOf(call: ToolCallPart): Record<string, unknown> {
	if (call.extra === undefined) return {};
	const { function: _function, id: _id, type: _type, ...rest } = call.extra;
	return rest;
}

/** The provider's id unchanged; only a call that came without one gets a stable id derived from ours. */
function replayId(call: ToolCallPart): string {
	return call.providerId !== '' ? call.providerId : call.id;
}

/**
 * One `tool` message per call, in the order of the calls. A call left without a result gets one saying so,
 * because OpenAI-compatible servers reject a conversation with an unanswered tool call.
 */
function toolMessages(calls: readonly ToolCallPart[], results: readonly ToolResultPart[], replayIds: ReadonlyMap<string, string>): OpenAIMessage[] {
	const remaining = [...results];
	const out: OpenAIMessage[] = [];
	for (const call of calls) {
		const position = remaining.findIndex((result) => result.callId === call.id);
		const result = position >= 0 ? remaining.splice(position, 1)[0] : undefined;
		const content = result ? outputText(result.output) : 'No result: this tool call was not run.';
		out.push({ role: 'tool', content, tool_call_id: replayId(call) });
	}
	for (const result of remaining) {
		out.push({ role: 'tool', content: outputText(result.output), tool_call_id: replayIds.get(result.callId) ?? result.callId });
	}
	return out;
}

/** Every outcome becomes text the model can act on. */
export function outputText(output: ToolOutput): string {
	switch (output.type) {
		case 'text':
			return output.value === '' ? '(empty result)' : output.value;
		case 'json':
			return typeof output.value === 'string' ? output.value : JSON.stringify(output.value);
		case 'error-text':
			return `Error: ${output.value}`;
		case 'denied':
			return output.reason ? `The user denied this tool call. Reason: ${output.reason}` : 'The user denied this tool call.';
	}
}
