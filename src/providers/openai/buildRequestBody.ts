// Builds the Chat Completions request body: our request, converted, then the user's extra body fields
// (Qianfan documents tool_options and stream_options), which must reach the wire even when the SDK has no type for them.
import type { ChatRequest, ProviderSettings, ToolChoice, ToolSpec } from '../types';
import { outputLimit, outputLimitField } from '../outputLimit';
import { toOpenAIMessages } from './toOpenAIMessages';

export interface RequestBody {
	body: Record<string, unknown>;
	/** Settings that could not be honoured; the caller emits them as warning events. */
	warnings: string[];
}

export function buildRequestBody(request: ChatRequest, settings: ProviderSettings): RequestBody {
	const warnings: string[] = [];
	const streaming = settings.stream !== false;
	const body: Record<string, unknown> = { model: request.model, messages: toOpenAIMessages(request.system, request.messages) };
	if (request.tools.length > 0) {
		body.tools = request.tools.map(toOpenAITool);
		if (request.toolChoice !== undefined) body.tool_choice = toOpenAIToolChoice(request.toolChoice);
	} else if (request.toolChoice !== undefined && request.toolChoice !== 'auto' && request.toolChoice !== 'none') {
		warnings.push('A tool choice was set but the request has no tools; it was not sent.');
	}
	const extra = settings.extraBody ?? {};
	const limit = outputLimit(request, settings);
	// A limit in extraBody (either name) is the user's own and replaces ours.
	if (limit !== undefined && !('max_tokens' in extra) && !('max_completion_tokens' in extra)) body[outputLimitField(settings)] = limit;
	if (request.temperature !== undefined) body.temperature = request.temperature;
	Object.assign(body, extra);
	// The adapter parses what it asked for, so `stream` is never overridden; usage is requested when streaming.
	body.stream = streaming;
	if (streaming) body.stream_options = { include_usage: true, ...asRecord(extra.stream_options) };
	return { body, warnings };
}

/** The schema goes out exactly as given: Qianfan's documented weather tool has no `required` and lists `properties` first. */
function toOpenAITool(tool: ToolSpec): Record<string, unknown> {
	return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } };
}

export function toOpenAIToolChoice(choice: ToolChoice): string | Record<string, unknown> {
	return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function asRecord(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
