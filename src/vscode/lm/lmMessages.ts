// VS Code's language-model message and part types ⇄ ours (src/shared/chat.ts), both ways. The only place that
// knows both shapes: the provider VS Code calls (lmChatProvider.ts) and the provider Switchboard calls
// (vscodeLmProvider.ts) both go through here, so nothing past this file sees a VS Code part.
import * as vscode from 'vscode';
import type { ToolChoice, ToolSpec } from '../../providers/types';
import type { AssistantMessage, ChatMessage, ToolCallPart, ToolOutput, ToolResultPart } from '../../shared/chat';

/**
 * VS Code's proposed System role (LanguageModelChatMessageRole.System = 3 in vscode.proposed.languageModelSystem):
 * the final API has only User and Assistant, but a caller using the proposal can still send it.
 */
const SYSTEM_ROLE = 3;

/** A tool result's content (text, prompt-tsx or data parts) as the text a model reads. */
export function resultText(content: readonly unknown[]): string {
	return content.map((part) => {
		if (part instanceof vscode.LanguageModelTextPart) return part.value;
		if (part instanceof vscode.LanguageModelPromptTsxPart) return JSON.stringify(part.value) ?? '';
		if (isDataPart(part)) return part.mimeType.startsWith('text/') || part.mimeType.includes('json') ? new TextDecoder().decode(part.data) : `[${part.mimeType} data, ${part.data.byteLength} bytes]`;
		return '';
	}).join('');
}

/** LanguageModelDataPart is final only after 1.104 (our minimum), so it is recognised by shape. */
function isDataPart(part: unknown): part is { mimeType: string; data: Uint8Array } {
	return typeof part === 'object' && part !== null && typeof (part as { mimeType?: unknown }).mimeType === 'string' && (part as { data?: unknown }).data instanceof Uint8Array;
}

/**
 * The messages VS Code hands a LanguageModelChatProvider, as our conversation. A user message may carry tool
 * results and text: the results become a tool message first (they answer the previous assistant message).
 */
export function fromVscodeMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): { system?: string; messages: ChatMessage[] } {
	const system: string[] = [];
	const result: ChatMessage[] = [];
	const callNames = new Map<string, string>();
	for (const message of messages) {
		const texts = message.content.filter((part): part is vscode.LanguageModelTextPart => part instanceof vscode.LanguageModelTextPart).map((part) => part.value);
		if ((message.role as number) === SYSTEM_ROLE) {
			system.push(texts.join(''));
		} else if (message.role === vscode.LanguageModelChatMessageRole.Assistant) {
			const content: AssistantMessage['content'] = [];
			for (const part of message.content) {
				if (part instanceof vscode.LanguageModelTextPart && part.value) content.push({ type: 'text', text: part.value });
				else if (part instanceof vscode.LanguageModelToolCallPart) {
					callNames.set(part.callId, part.name);
					content.push({ type: 'tool-call', id: part.callId, providerId: part.callId, toolName: part.name, input: part.input });
				}
			}
			if (content.length > 0) result.push({ role: 'assistant', content });
		} else {
			const results: ToolResultPart[] = message.content
				.filter((part): part is vscode.LanguageModelToolResultPart => part instanceof vscode.LanguageModelToolResultPart)
				.map((part) => ({ type: 'tool-result', callId: part.callId, toolName: callNames.get(part.callId) ?? '', output: { type: 'text', value: resultText(part.content) } }));
			if (results.length > 0) result.push({ role: 'tool', content: results });
			const text = texts.join('');
			if (text) result.push({ role: 'user', content: [{ type: 'text', text }] });
		}
	}
	return { system: system.length > 0 ? system.join('\n\n') : undefined, messages: result };
}

/** Our result as the text VS Code's tool-result part carries. */
function outputText(output: ToolOutput): string {
	switch (output.type) {
		case 'text':
			return output.value;
		case 'error-text':
			return `Error: ${output.value}`;
		case 'json':
			return JSON.stringify(output.value) ?? '';
		case 'denied':
			return `The user denied this call${output.reason ? `: ${output.reason}` : '.'}`;
	}
}

/** The id a call goes by towards VS Code: the one the model gave it, else ours. */
function wireId(call: ToolCallPart): string {
	return call.providerId || call.id;
}

/** A tool-call input for VS Code, which requires an object. */
export function objectInput(input: unknown): object {
	return typeof input === 'object' && input !== null ? input : {};
}

/**
 * Our conversation as VS Code messages. The final API has no system role, so the system prompt opens the first user
 * message (as the quirk profiles do for models without one); reasoning is ours to keep and is not sent.
 */
export function toVscodeMessages(system: string | undefined, messages: readonly ChatMessage[]): vscode.LanguageModelChatMessage[] {
	const result: vscode.LanguageModelChatMessage[] = [];
	const callIds = new Map<string, string>();
	let systemPending = system?.trim() ? system : undefined;
	for (const message of messages) {
		if (message.role === 'assistant') {
			const parts: Array<vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart> = [];
			for (const part of message.content) {
				if (part.type === 'text' && part.text) parts.push(new vscode.LanguageModelTextPart(part.text));
				else if (part.type === 'tool-call') {
					callIds.set(part.id, wireId(part));
					parts.push(new vscode.LanguageModelToolCallPart(wireId(part), part.toolName, objectInput(part.input)));
				}
			}
			if (parts.length > 0) result.push(vscode.LanguageModelChatMessage.Assistant(parts));
		} else if (message.role === 'tool') {
			result.push(vscode.LanguageModelChatMessage.User(message.content.map((part) =>
				new vscode.LanguageModelToolResultPart(callIds.get(part.callId) ?? part.callId, [new vscode.LanguageModelTextPart(outputText(part.output))]))));
		} else {
			let text = message.content.map((part) => part.text).join('');
			if (systemPending) {
				text = `${systemPending}\n\n${text}`;
				systemPending = undefined;
			}
			result.push(vscode.LanguageModelChatMessage.User(text));
		}
	}
	if (systemPending) result.unshift(vscode.LanguageModelChatMessage.User(systemPending));
	return result;
}

/** An object schema every provider accepts: `properties` present, no `$schema` dialect marker. */
export function safeSchema(schema: unknown): Record<string, unknown> {
	if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { type: 'object', properties: {} };
	const { $schema: _dialect, ...rest } = schema as Record<string, unknown>;
	return { ...rest, type: 'object', properties: typeof rest.properties === 'object' && rest.properties !== null ? rest.properties : {} };
}

export function toolSpecsFromVscode(tools: readonly vscode.LanguageModelChatTool[] | undefined): ToolSpec[] {
	return (tools ?? []).map((tool) => ({ name: tool.name, description: tool.description, inputSchema: safeSchema(tool.inputSchema) }));
}

export function toolsToVscode(tools: readonly ToolSpec[]): vscode.LanguageModelChatTool[] {
	return tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }));
}

/** VS Code knows Auto and Required only: a named choice is sent as Required with that one tool (see callers). */
export function toolModeOf(choice: ToolChoice | undefined): vscode.LanguageModelChatToolMode {
	return choice === 'required' || (typeof choice === 'object' && choice !== null) ? vscode.LanguageModelChatToolMode.Required : vscode.LanguageModelChatToolMode.Auto;
}
