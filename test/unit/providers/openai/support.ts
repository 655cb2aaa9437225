// Shared helpers for the OpenAI adapter tests: a provider pointed at the scripted server, and event collection
// with our random call ids replaced by c1, c2… in order of appearance, so events compare as plain data.
import { createOpenAIProvider } from '../../../../src/providers/openai/openaiProvider';
import type { ChatRequest, CredentialSource, ProviderDeps, ProviderSettings, StreamEvent } from '../../../../src/providers/types';
import { ProviderError } from '../../../../src/providers/types';
import { readFixture } from '../../../support/scriptedServer';


export const testKey: CredentialSource = { get: async () => 'sk-test', invalidate: () => false };

/** A provider for the scripted server at `baseUrl`, without retries unless `settings` asks for them. */
export function openaiProvider(baseUrl: string, settings: Partial<ProviderSettings> = {}, deps: Partial<ProviderDeps> = {}) {
	return createOpenAIProvider({ id: 'test', protocol: 'openai', baseUrl: `${baseUrl}/v1`, maxRetries: 0, ...settings }, { credentials: testKey, ...deps });
}

export interface Outcome {
	events: StreamEvent[];
	error?: ProviderError;
}

export async function collect(stream: AsyncIterable<StreamEvent>): Promise<Outcome> {
	const events: StreamEvent[] = [];
	try {
		for await (const event of stream) events.push(event);
		return { events: normalizeCallIds(events) };
	} catch (error) {
		if (!(error instanceof ProviderError)) throw error;
		return { events: normalizeCallIds(events), error };
	}
}

export function normalizeCallIds(events: StreamEvent[]): StreamEvent[] {
	const names = new Map<string, string>();
	const rename = (id: string): string => {
		if (!names.has(id)) names.set(id, `c${names.size + 1}`);
		return names.get(id) ?? id;
	};
	return events.map((event) => ('callId' in event ? { ...event, callId: rename(event.callId) } : event));
}

export function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
	return { model: 'test-model', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [], ...overrides };
}

/** A JSON fixture without its provenance header. */
export function jsonFixture<T = Record<string, unknown>>(name: string): T {
	return JSON.parse(readFixture(name)) as T;
}

/** The events of one kind, for focused assertions. */
export function ofType<K extends StreamEvent['type']>(events: StreamEvent[], type: K): Array<Extract<StreamEvent, { type: K }>> {
	return events.filter((event): event is Extract<StreamEvent, { type: K }> => event.type === type);
}
