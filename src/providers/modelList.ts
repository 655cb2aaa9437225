// The models a server offers, for pickers: `GET {baseUrl}/models` on the OpenAI protocol, `GET /v1/models` on the
// Anthropic one, through each official SDK's models.list with the provider's own auth and headers. Not every
// server lists (the route is optional for OpenAI-compatible servers; gateways answer 404, an HTML page or an empty
// list), so every failure is a typed ProviderError the caller turns into a free-text box.
import { toProviderError } from './errors';
import { authHeaders, createAnthropicClient, withApiVersion } from './anthropic/anthropicProvider';
import { createClient } from './openai/openaiProvider';
import { ProviderError, type ProviderDeps, type ProviderSettings } from './types';

export interface ListModelsOptions {
	/** The whole listing, every page included; a server that does not answer in time "does not list". */
	timeoutMs?: number;
	/** A server paging forever (or echoing its cursor) stops here. */
	maxModels?: number;
}

const defaultTimeoutMs = 15_000;
const defaultMaxModels = 2_000;

/** Model ids, sorted and without duplicates. Throws ProviderError, never anything else. */
export async function listModels(settings: ProviderSettings, deps: ProviderDeps, signal: AbortSignal, options: ListModelsOptions = {}): Promise<string[]> {
	const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
	const deadline = AbortSignal.timeout(timeoutMs);
	const combined = AbortSignal.any([signal, deadline]);
	const max = options.maxModels ?? defaultMaxModels;
	const ids = new Set<string>();
	let seen = 0;
	const take = (id: unknown): boolean => {
		if (typeof id === 'string' && id) ids.add(id);
		return ++seen < max;
	};
	try {
		const credential = await deps.credentials.get(combined);
		if (settings.protocol === 'openai') {
			for await (const model of createClient(settings, deps, credential).models.list({ signal: combined })) if (!take(model?.id)) break;
		} else {
			const withVersion = withApiVersion(settings);
			const bearer = settings.auth?.type === 'command';
			const pages = createAnthropicClient(withVersion, deps).models.list({ limit: 1000 }, { signal: combined, headers: authHeaders(credential, bearer, withVersion.headers) });
			for await (const model of pages) if (!take(model?.id)) break;
		}
	} catch (error) {
		if (deadline.aborted && !signal.aborted) {
			throw new ProviderError('network', `The server did not list its models within ${timeoutMs / 1000} s.`, { cause: error });
		}
		throw toProviderError(error, signal);
	}
	if (ids.size === 0) {
		throw new ProviderError('invalid-response', 'The server answered, but listed no models (its response had no "data" list of model ids).');
	}
	return [...ids].sort((a, b) => a.localeCompare(b));
}
