// Test Connection: the smallest real request (one output token) through the same engine the chat uses.
import type { ApiKeyStore } from './apiKeyStore';
import { ProviderError } from '../../providers/types';
import { authCommandRefusal, windowAccess } from './providerTrust';
import { readRequestTimeoutSeconds, type ProviderEntry } from './settings';

/** Resolves with what the model answered (or how it finished); throws the engine's ProviderError. */
export async function testConnection(entry: ProviderEntry, model: string, keys: ApiKeyStore, signal: AbortSignal): Promise<string> {
	// Loaded here, not at activation: the engine pulls in both provider SDKs.
	const { setUpProvider } = await import('../../providers/providerSetup.js');
	const { provider } = setUpProvider(entry, model, windowAccess(entry, keys), { defaultTimeoutSeconds: readRequestTimeoutSeconds() });
	const refusal = await authCommandRefusal(entry);
	if (refusal) throw new ProviderError('auth', refusal);
	let text = '';
	let finish = 'no finish';
	const request = { model, messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Reply with the single word OK.' }] }], tools: [], maxOutputTokens: 1 };
	for await (const event of provider.stream(request, signal)) {
		if (event.type === 'text-delta') text += event.delta;
		else if (event.type === 'finish') finish = event.reason;
	}
	return text.trim() ? `"${text.trim()}"` : `(finished: ${finish})`;
}
