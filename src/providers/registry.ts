// Protocol -> adapter, with the model-family quirks applied in front of it so neither adapter needs to know them.
import { createAnthropicProvider } from './anthropic/anthropicProvider';
import { createOpenAIProvider } from './openai/openaiProvider';
import { precededBy } from './eventPump';
import { applyQuirks, resolveQuirks } from './quirks';
import type { ChatProvider, ChatRequest, Protocol, ProviderDeps, ProviderSettings, StreamEvent } from './types';

type AdapterFactory = (settings: ProviderSettings, deps: ProviderDeps) => ChatProvider;

const adapters: Record<Protocol, AdapterFactory> = {
	openai: createOpenAIProvider,
	anthropic: createAnthropicProvider,
};

export function createProvider(settings: ProviderSettings, deps: ProviderDeps): ChatProvider {
	return withQuirks(adapters[settings.protocol](settings, deps), settings.quirks);
}

/**
 * Rewrites each request for its model's quirk profile before `adapter` sees it. The rewrite's warnings come out
 * first; when a required tool choice had to become an instruction, a step that ends without any tool call gets a
 * warning just before its 'finish'. Otherwise the adapter's own iterator is handed out: no layer per event.
 */
export function withQuirks(adapter: ChatProvider, overrides?: ProviderSettings['quirks']): ChatProvider {
	return {
		protocol: adapter.protocol,
		stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
			return {
				[Symbol.asyncIterator]: () => {
					const { request: rewritten, warnings, mustCallTool } = applyQuirks(request, resolveQuirks(request.model, overrides));
					const events = adapter.stream(rewritten, signal);
					return precededBy(warnings, mustCallTool ? checkToolCalled(events, request.model) : events);
				},
			};
		},
	};
}

async function* checkToolCalled(events: AsyncIterable<StreamEvent>, model: string): AsyncGenerator<StreamEvent> {
	let calledTool = false;
	for await (const event of events) {
		if (event.type === 'tool-call' || event.type === 'tool-call-error') calledTool = true;
		if (event.type === 'finish' && !calledTool) {
			yield { type: 'warning', message: `${model} did not call a tool although one was required (the requirement could only be sent as an instruction to this model).` };
		}
		yield event;
	}
}
