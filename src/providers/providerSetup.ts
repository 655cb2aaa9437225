// From a provider entry, as the user wrote it, to a ready ChatProvider: engine settings, auth and credentials in
// one place. The CLI, the chat panel, Test Connection, the model list and VS Code's language-model provider all
// come through here; each front end only says where its key comes from and what it checks before asking.
import { credentialsFor } from './auth';
import { engineSettings, type ProviderEntry } from './providerConfig';
import { createProvider } from './registry';
import type { AuthConfig, ChatProvider, CredentialSource, ProviderSettings } from './types';

/** Where a front end keeps the credential of an entry. */
export interface ProviderAccess {
	/** The API key for a request to `baseUrl` (VS Code binds a stored key to the origin it was entered for). */
	apiKey(baseUrl: string): Promise<string | undefined>;
	/** Where a token command runs. */
	cwd?: string;
	/** Used instead of the entry's own auth (the CLI's --auth-command, or a key found in the environment). */
	auth?: AuthConfig;
	/** Sees each credential handed to a request (the CLI scrubs them from what it prints). */
	onCredential?(value: string): void;
}

/** What a front end sets beyond the entry itself. */
export interface ProviderTuning {
	/** The front end's request timeout, for an entry without its own `timeoutSeconds`. */
	defaultTimeoutSeconds?: number;
	maxRetries?: number;
	stream?: boolean;
	/** The output limit sent when nothing more specific gives one (VS Code: switchboard.reserveOutputTokens). */
	defaultOutputTokens?: number;
}

export interface ProviderConnection {
	settings: ProviderSettings;
	credentials: CredentialSource;
}

/**
 * The engine settings and credential source for talking to `model` through `entry`, without building an adapter
 * (the model list needs only these). Throws ProviderConfigError when the entry cannot be used.
 */
export function providerConnection(entry: ProviderEntry, model: string, access: ProviderAccess, tuning: ProviderTuning = {}): ProviderConnection {
	const { defaultTimeoutSeconds, ...rest } = tuning;
	const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
	const base = engineSettings(entry, model, defaultTimeoutSeconds);
	const settings: ProviderSettings = { ...base, ...defined, auth: access.auth ?? base.auth };
	const source = credentialsFor(settings.auth ?? { type: 'none' }, () => access.apiKey(settings.baseUrl), { cwd: access.cwd });
	return { settings, credentials: access.onCredential ? reporting(source, access.onCredential) : source };
}

/** The ready provider for `model` of `entry`: quirk profiles, retries and auth applied. Throws ProviderConfigError. */
export function setUpProvider(entry: ProviderEntry, model: string, access: ProviderAccess, tuning: ProviderTuning = {}): ProviderConnection & { provider: ChatProvider } {
	const connection = providerConnection(entry, model, access, tuning);
	return { ...connection, provider: createProvider(connection.settings, { credentials: connection.credentials }) };
}

/** `source`, telling `seen` each credential it hands out. */
function reporting(source: CredentialSource, seen: (value: string) => void): CredentialSource {
	return {
		get: async (signal) => {
			const value = await source.get(signal);
			if (value) seen(value);
			return value;
		},
		invalidate: () => source.invalidate(),
	};
}
