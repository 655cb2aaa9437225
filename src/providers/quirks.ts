// Per model-family workarounds (the per-family advice in Vertex AI's open-model function-calling guide), applied to a ChatRequest before any protocol adapter sees it, so both
// adapters behave the same. Built-in profiles match the model id; user overrides from settings win.
import type { ChatMessage, UserMessage } from '../shared/chat';
import type { ChatRequest, ProviderSettings, QuirkProfile, ToolSpec } from './types';

export const defaultQuirks: QuirkProfile = {
	systemPrompt: 'keep',
	supportsRequiredToolChoice: true,
	supportsNamedToolChoice: true,
	toolsInSystemPrompt: false,
	explicitToolChoice: false,
	// Unknown models may take images: most current chat models do, and one that does not answers with a 400 whose
	// own words the panel shows. Families known to read text only say so below.
	images: true,
};

export interface BuiltInQuirks {
	family: string;
	/** Matched case-insensitively anywhere in the model id, so vendor prefixes (`deepseek/…`, `meta/…`) match too. */
	pattern: RegExp;
	quirks: Partial<QuirkProfile>;
}

/** In order; later matches override earlier ones. */
export const builtInQuirks: readonly BuiltInQuirks[] = [
	// Function calling degrades when a system prompt is present.
	{ family: 'DeepSeek', pattern: /deepseek/i, quirks: { systemPrompt: 'fold' } },
	{ family: 'Gemma', pattern: /gemma/i, quirks: { systemPrompt: 'fold' } },
	{ family: 'Llama', pattern: /llama/i, quirks: { supportsRequiredToolChoice: false } },
	// Text only, too (openai.com/index/gpt-oss-model-card).
	{ family: 'gpt-oss', pattern: /gpt-oss/i, quirks: { supportsRequiredToolChoice: false, supportsNamedToolChoice: false, toolsInSystemPrompt: true, images: false } },
	// Qwen (and QwQ) may misbehave when tool_choice is left unset.
	{ family: 'Qwen', pattern: /qwen|qwq/i, quirks: { explicitToolChoice: true } },
	// Text-only models, by their public model cards: DeepSeek's API models (api-docs.deepseek.com lists text input
	// only), Llama 3, 3.1 and 3.3 (the vision models are 3.2 and 4), QwQ and Qwen coder models, Baidu's ERNIE 3.5 /
	// Lite / Speed text models.
	{ family: 'text-only', pattern: /deepseek-(chat|reasoner|coder|v3|r1)|llama-?3(?:\.[013])?(?!\.\d|\d)|qwq|qwen[\d.]*-coder|ernie-(3\.5|lite|speed|tiny)/i, quirks: { images: false } },
];

/** The profile for `model`: defaults, then every matching built-in, then every matching user override. */
export function resolveQuirks(model: string, overrides?: ProviderSettings['quirks']): QuirkProfile {
	let profile: QuirkProfile = { ...defaultQuirks };
	for (const builtIn of builtInQuirks) {
		if (builtIn.pattern.test(model)) profile = { ...profile, ...builtIn.quirks };
	}
	for (const [pattern, quirks] of Object.entries(overrides ?? {})) {
		if (patternMatches(pattern, model)) profile = { ...profile, ...definedOnly(quirks) };
	}
	return profile;
}

/** The built-in family names that match `model`, for diagnostics. */
export function quirkFamilies(model: string): string[] {
	return builtInQuirks.filter((builtIn) => builtIn.pattern.test(model)).map((builtIn) => builtIn.family);
}

export interface QuirkResult {
	request: ChatRequest;
	warnings: string[];
	/** A required or named tool choice became an instruction: the caller should check a tool was called. */
	mustCallTool?: true;
}

/** Rewrites `request` for `quirks`, protocol-independently. Never mutates the input. */
export function applyQuirks(request: ChatRequest, quirks: QuirkProfile): QuirkResult {
	const warnings: string[] = [];
	const instructions: string[] = [];
	let toolChoice = request.toolChoice;
	let mustCallTool: true | undefined;
	const hasTools = request.tools.length > 0;

	if (hasTools && toolChoice === 'required' && !quirks.supportsRequiredToolChoice) {
		toolChoice = 'auto';
		mustCallTool = true;
		instructions.push('You must call one of the provided tools in this response.');
		warnings.push(`${request.model} does not support tool_choice "required"; sent "auto" with an instruction to call a tool instead.`);
	} else if (hasTools && typeof toolChoice === 'object' && !quirks.supportsNamedToolChoice) {
		const name = toolChoice.name;
		toolChoice = 'auto';
		mustCallTool = true;
		instructions.push(`You must call the tool ${name} in this response.`);
		warnings.push(`${request.model} does not support choosing a tool by name; sent "auto" with an instruction to call ${name} instead.`);
	} else if (hasTools && toolChoice === undefined && quirks.explicitToolChoice) {
		toolChoice = 'auto';
	}
	if (hasTools && quirks.toolsInSystemPrompt && toolChoice !== 'none') instructions.push(describeTools(request.tools));

	const system = [request.system, ...instructions].filter((part): part is string => part !== undefined && part.trim() !== '').join('\n\n');
	let rewritten: ChatRequest = { ...request, system: system === '' ? undefined : system, toolChoice };
	// A per-model output limit (or null: none) from the user's quirks setting, unless the request set its own.
	if (request.maxOutputTokens === undefined && quirks.maxOutputTokens !== undefined) rewritten.maxOutputTokens = quirks.maxOutputTokens;
	if (toolChoice === undefined) delete rewritten.toolChoice;
	if (rewritten.system === undefined) delete rewritten.system;
	if (!quirks.images && hasImages(rewritten.messages)) {
		// Images already in the history (sent to another model) go as a note, or the whole conversation would fail.
		rewritten = { ...rewritten, messages: withoutImages(rewritten.messages) };
		warnings.push(`${request.model} reads no images; earlier images in this chat were left out of the request.`);
	}
	if (quirks.systemPrompt === 'fold' && rewritten.system !== undefined) rewritten = foldSystemPrompt(rewritten, rewritten.system);
	return mustCallTool ? { request: rewritten, warnings, mustCallTool } : { request: rewritten, warnings };
}

export function hasImages(messages: readonly ChatMessage[]): boolean {
	return messages.some((message) => message.role === 'user' && message.content.some((part) => part.type === 'image'));
}

/** Each image replaced by a short note, so the model knows one was there. */
function withoutImages(messages: readonly ChatMessage[]): ChatMessage[] {
	return messages.map((message) => message.role !== 'user' || !message.content.some((part) => part.type === 'image')
		? message
		: { role: 'user', content: message.content.map((part) => part.type === 'image' ? { type: 'text', text: `[image (${part.mediaType}) left out: this model reads no images]` } : part) });
}

/** Prepends the system prompt to the first user message; the same message every turn, so prompt caches hold. */
function foldSystemPrompt(request: ChatRequest, system: string): ChatRequest {
	const index = request.messages.findIndex((message) => message.role === 'user');
	if (index < 0) return request;
	const first = request.messages[index] as Extract<ChatMessage, { role: 'user' }>;
	const textIndex = first.content.findIndex((part) => part.type === 'text');
	const content: UserMessage['content'] = textIndex < 0
		? [{ type: 'text', text: system }, ...first.content]
		: first.content.map((part, i) => (i === textIndex && part.type === 'text' ? { type: 'text', text: `${system}\n\n${part.text}` } : part));
	const messages = request.messages.map((message, i) => (i === index ? { role: 'user' as const, content } : message));
	const folded: ChatRequest = { ...request, messages };
	delete folded.system;
	return folded;
}

/** A compact listing of the tools for models that follow tool definitions better when they also read them. */
export function describeTools(tools: readonly ToolSpec[]): string {
	const lines = tools.map((tool) => `- ${tool.name}: ${tool.description.trim()}\n  parameters (JSON Schema): ${JSON.stringify(tool.inputSchema)}`);
	return `You can call these tools:\n${lines.join('\n')}`;
}

function patternMatches(pattern: string, model: string): boolean {
	try {
		return new RegExp(pattern, 'i').test(model);
	} catch {
		// Not a valid RegExp: treat it as a plain substring rather than failing the request.
		return model.toLowerCase().includes(pattern.toLowerCase());
	}
}

function definedOnly(quirks: Partial<QuirkProfile>): Partial<QuirkProfile> {
	return Object.fromEntries(Object.entries(quirks).filter(([, value]) => value !== undefined)) as Partial<QuirkProfile>;
}
