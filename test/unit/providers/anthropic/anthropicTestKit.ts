// Shared set-up for the Anthropic adapter tests: the real SDK against the scripted loopback server.
import { createAnthropicProvider } from '../../../../src/providers/anthropic/anthropicProvider';
import { ProviderError, type ChatProvider, type ChatRequest, type CredentialSource, type ProviderSettings, type StreamEvent } from '../../../../src/providers/types';
import type { ScriptedServer } from '../../../support/scriptedServer';

export function keyCredential(key: string | undefined): CredentialSource {
	return { get: async () => key, invalidate: () => false };
}

export function providerFor(server: ScriptedServer, settings: Partial<ProviderSettings> = {}, credentials = keyCredential('sk-ant-test')): ChatProvider {
	return createAnthropicProvider(
		{ id: 'test', protocol: 'anthropic', baseUrl: `${server.url}/anthropic`, maxRetries: 0, ...settings },
		{ credentials, sleep: async () => undefined },
	);
}

export function weatherRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
	return {
		model: 'claude-sonnet-4-6',
		messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather in San Francisco?' }] }],
		tools: [{
			name: 'get_weather',
			description: 'Get the current weather in a given location',
			inputSchema: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location'] },
		}],
		...overrides,
	};
}

export interface Outcome {
	events: StreamEvent[];
	error?: ProviderError;
}

/** Runs a stream to its end, keeping the events that came before any error. */
export async function run(provider: ChatProvider, request: ChatRequest, signal: AbortSignal = new AbortController().signal): Promise<Outcome> {
	const events: StreamEvent[] = [];
	try {
		for await (const event of provider.stream(request, signal)) events.push(event);
		return { events };
	} catch (error) {
		if (!(error instanceof ProviderError)) throw error;
		return { events, error };
	}
}

export function ofType<T extends StreamEvent['type']>(events: StreamEvent[], type: T): Array<Extract<StreamEvent, { type: T }>> {
	return events.filter((event): event is Extract<StreamEvent, { type: T }> => event.type === type);
}

export function textOf(events: StreamEvent[]): string {
	return ofType(events, 'text-delta').map((event) => event.delta).join('');
}
