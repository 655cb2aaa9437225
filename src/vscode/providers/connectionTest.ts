// Test Connection: the smallest real request (one output token) through the same engine the chat uses.
import type { ApiKeyStore } from './apiKeyStore';
import { ProviderError } from '../../providers/types';
import { authOf, engineSettings } from '../../providers/providerConfig';
import { authCommandRefusal } from './providerTrust';
import { readRequestTimeoutSeconds, type ProviderEntry } from './settings';

/** Resolves with what the model answered (or how it finished); throws the engine's ProviderError. */
export async function testConnection(entry: ProviderEntry, model: string, keys: ApiKeyStore, cwd: string | undefined, signal: AbortSignal): Promise<string> {
	// Loaded here, not at activation: the registry pulls in both provider SDKs.
	const [{ createProvider }, { credentialsFor }] = await Promise.all([import('../../providers/registry.js'), import('../../providers/auth.js')]);
	const settings = engineSettings(entry, model, readRequestTimeoutSeconds());
	const auth = authOf(entry);
	const refusal = auth.type === 'command' ? await authCommandRefusal(entry.id, auth.command) : undefined;
	if (refusal) throw new ProviderError('auth', refusal);
	const credentials = credentialsFor(auth, () => keys.getForRequest(entry.id, settings.baseUrl), { cwd });
	const provider = createProvider(settings, { credentials });
	let text = '';
	let finish = 'no finish';
	const request = { model, messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Reply with the single word OK.' }] }], tools: [], maxOutputTokens: 1 };
	for await (const event of provider.stream(request, signal)) {
		if (event.type === 'text-delta') text += event.delta;
		else if (event.type === 'finish') finish = event.reason;
	}
	return text.trim() ? `"${text.trim()}"` : `(finished: ${finish})`;
}
