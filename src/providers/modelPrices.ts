// The price of one model of a provider entry: the entry's own `prices`, else its preset's dated list price for that
// exact model id. Anything else has no price; the cost is then not shown (never estimated from a similar model).
import type { ModelPrice } from '../shared/cost';
import { isPresetName, presets } from './presets';
import type { ProviderEntry } from './providerConfig';

export function priceOf(entry: Pick<ProviderEntry, 'preset' | 'prices'>, model: string): ModelPrice | undefined {
	const own = entry.prices?.[model];
	if (own) return own;
	if (!entry.preset || !isPresetName(entry.preset)) return undefined;
	const listed = presets[entry.preset].prices?.[model];
	return listed ? { ...listed } : undefined;
}

/** The price of `ref`'s model at its provider, when one is known. */
export function priceOfRef(entries: readonly ProviderEntry[], ref: { provider: string; model: string }): ModelPrice | undefined {
	const entry = entries.find((candidate) => candidate.id === ref.provider);
	return entry ? priceOf(entry, ref.model) : undefined;
}
