// ChatRequest + settings -> the Messages request body, as sent on the wire.
import type { MessageCreateParamsBase, Tool, ToolChoice as AnthropicToolChoice } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest, ProviderSettings, ToolChoice } from '../types';
import { toAnthropicMessages } from './toAnthropicMessages';

/** The protocol requires max_tokens; this is used when neither the request nor extraBody sets it. */
export const defaultMaxTokens = 4096;

/**
 * API version 2026-10-21 (what SDK v1 sends to api.anthropic.com) answers 400 to any temperature/top_p/top_k, even
 * 1.0. Requests under an older `anthropic-version` (other hosts get 2023-06-01, or the user pinned one) send it.
 */
const firstVersionWithoutSampling = '2026-10-21';

export interface AnthropicBody {
	body: MessageCreateParamsBase;
	warnings: string[];
}

export function toAnthropicBody(request: ChatRequest, settings: ProviderSettings, stream: boolean): AnthropicBody {
	const warnings: string[] = [];
	const body: MessageCreateParamsBase & { temperature?: number } = {
		model: request.model,
		max_tokens: request.maxOutputTokens ?? (typeof settings.maxOutputTokens === 'number' ? settings.maxOutputTokens : defaultMaxTokens),
		messages: toAnthropicMessages(request.messages),
	};
	if (request.system) body.system = request.system;
	if (request.temperature !== undefined) {
		const version = headerValue(settings.headers, 'anthropic-version');
		if (version !== undefined && version < firstVersionWithoutSampling) body.temperature = request.temperature;
		else warnings.push(`temperature was not sent: Anthropic API version ${version ?? firstVersionWithoutSampling} rejects it (pin an older anthropic-version header to use it).`);
	}
	if (request.tools.length > 0) {
		body.tools = request.tools.map((tool): Tool => ({
			name: tool.name,
			description: tool.description,
			// Sent unchanged: loose but valid schemas (Qianfan's documented weather tool has no `required`) must reach the provider as the user wrote them.
			input_schema: tool.inputSchema as Tool.InputSchema,
		}));
		if (request.toolChoice !== undefined) body.tool_choice = toToolChoice(request.toolChoice);
	}
	// extraBody is the user's escape hatch, so it wins over what we computed, except `stream`, which we rely on.
	return { body: { ...body, ...settings.extraBody, stream } as MessageCreateParamsBase, warnings };
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : headers?.[key];
}

export function toToolChoice(choice: ToolChoice): AnthropicToolChoice {
	switch (choice) {
		case 'auto':
			return { type: 'auto' };
		case 'required':
			return { type: 'any' };
		case 'none':
			return { type: 'none' };
		default:
			return { type: 'tool', name: choice.name };
	}
}
