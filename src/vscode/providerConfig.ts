// Turns a `switchboard.providers` entry into what the provider engine takes: presets filled in, auth decided.
import { getPreset, settingsFromPreset } from '../providers/presets';
import type { ProviderEntry as EngineEntry } from '../providers/registry';
import type { AuthConfig, ProviderSettings } from '../providers/types';
import type { ProviderEntry } from './settings';

export class ProviderConfigError extends Error {
	override readonly name = 'ProviderConfigError';
}

/** The entry's own auth, else its preset's, else an API key. */
export function authOf(entry: ProviderEntry): AuthConfig {
	if (entry.protocol === 'vscode-lm') return { type: 'none' };
	if (entry.auth === 'apiKey') return { type: 'apiKey' };
	if (entry.auth === 'none') return { type: 'none' };
	if (entry.auth) return { type: 'command', command: entry.auth.command };
	if (entry.preset) {
		try {
			return getPreset(entry.preset).auth;
		} catch {
			// An unknown preset is reported when the provider is used (engineSettings).
		}
	}
	return { type: 'apiKey' };
}

/**
 * Settings for the provider engine when talking to `model` (a gateway preset picks its endpoint per model).
 * `defaultTimeoutSeconds` is switchboard.requestTimeoutSeconds, passed in so this file stays free of `vscode`.
 */
export function engineSettings(entry: ProviderEntry, model: string, defaultTimeoutSeconds = 0): EngineEntry {
	if (entry.protocol === 'vscode-lm') throw new ProviderConfigError(`Provider "${entry.id}" uses VS Code's language models, not an HTTP endpoint.`);
	const common = { id: entry.id, headers: entry.headers, extraBody: entry.extraBody, quirks: entry.quirks };
	let settings: ProviderSettings;
	if (entry.preset) {
		try {
			settings = settingsFromPreset(getPreset(entry.preset).name, { ...common, baseUrl: entry.baseUrl, model });
		} catch (error) {
			throw new ProviderConfigError(`Provider "${entry.id}": ${error instanceof Error ? error.message : String(error)}`);
		}
		if (entry.protocol) settings.protocol = entry.protocol;
	} else {
		if (!entry.protocol || !entry.baseUrl) throw new ProviderConfigError(`Provider "${entry.id}" needs "protocol" and "baseUrl", or a "preset".`);
		settings = { ...common, protocol: entry.protocol, baseUrl: entry.baseUrl };
	}
	// A stalled stream ends with a network error that says to retry or raise the timeout, rather than hanging.
	const seconds = entry.timeoutSeconds ?? defaultTimeoutSeconds;
	return { ...settings, timeoutMs: seconds > 0 ? seconds * 1000 : undefined, auth: authOf(entry) };
}
