// The chat's provider decisions that need no editor: which model a turn talks to, and which action the banner of a
// failed turn offers. chatProviderSetup.ts and modelChoice.ts feed them the settings; no 'vscode' here.
import type { LoopErrorInfo } from '../../chat/loopEvents';
import type { ProviderEntry } from '../../providers/providerConfig';
import type { ErrorBannerView, ModelRef } from '../../shared/protocol';

export const PROVIDERS_SETTING = 'switchboard.providers';

/** The panel's choice if its provider still exists, else the configured default's, else the first model listed. */
export function chooseModel(entries: readonly ProviderEntry[], preferred: ModelRef | undefined, configured: ModelRef | undefined): ModelRef | undefined {
	const exists = (ref: ModelRef | undefined): ref is ModelRef => ref !== undefined && entries.some((entry) => entry.id === ref.provider);
	if (exists(preferred)) return preferred;
	if (exists(configured)) return configured;
	const first = entries.find((entry) => entry.models.length > 0);
	return first ? { provider: first.id, model: first.models[0] } : undefined;
}

/**
 * The banner for a turn that stopped with an error: each kind gets the action that fixes it. `vscodeLm`: the
 * provider is VS Code's own models, which have no key.
 */
export function bannerFor(error: LoopErrorInfo, providerId: string | undefined, vscodeLm: boolean): ErrorBannerView {
	const base = { kind: error.kind, message: error.message };
	switch (error.kind) {
		case 'auth':
			// VS Code's own models have no key: their refusal is the user's answer to VS Code's consent prompt.
			if (vscodeLm) return { ...base, action: 'retry' };
			return { ...base, action: 'set-api-key', provider: providerId };
		case 'network':
		case 'server':
		case 'overloaded':
		case 'rate-limit':
		case 'interrupted':
		case 'quota': // the fix is in the provider's billing console; Retry sends the prompt again afterwards
			return { ...base, action: 'retry' };
		case 'not-found':
		case 'bad-request':
		case 'invalid-response':
			return { ...base, action: 'open-settings', setting: PROVIDERS_SETTING };
		default:
			return base;
	}
}
