// API keys live only in VS Code's SecretStorage (the OS keychain or its encrypted equivalent), one per provider.
import type * as vscode from 'vscode';
import type { Log } from './log';

export interface ApiKeyStore {
	get(providerId: string): Promise<string | undefined>;
	/** Stores the trimmed key; an empty key is refused. */
	set(providerId: string, key: string): Promise<void>;
	delete(providerId: string): Promise<void>;
	has(providerId: string): Promise<boolean>;
	/** Fires with the provider id whose key changed (here or in another window). */
	readonly onDidChange: vscode.Event<string>;
}

const PREFIX = 'switchboard.apiKey.';

/** The SecretStorage entry for a provider's key. */
export function apiKeySecretName(providerId: string): string {
	return PREFIX + providerId;
}

export class EmptyApiKeyError extends Error {
	override readonly name = 'EmptyApiKeyError';
	constructor() {
		super('An API key cannot be empty.');
	}
}

export class SecretApiKeyStore implements ApiKeyStore {
	readonly onDidChange: vscode.Event<string>;

	constructor(
		private readonly secrets: vscode.SecretStorage,
		private readonly log: Log,
	) {
		this.onDidChange = (listener, thisArgs, disposables) =>
			secrets.onDidChange((event) => {
				if (event.key.startsWith(PREFIX)) listener.call(thisArgs, event.key.slice(PREFIX.length));
			}, undefined, disposables);
	}

	async get(providerId: string): Promise<string | undefined> {
		const key = await this.secrets.get(apiKeySecretName(providerId));
		// Any key that is read may later appear in an error text; the log must know it to redact it.
		if (key) this.log.addSecret(key);
		return key || undefined;
	}

	async set(providerId: string, key: string): Promise<void> {
		const trimmed = key.trim();
		if (!trimmed) throw new EmptyApiKeyError();
		this.log.addSecret(trimmed);
		await this.secrets.store(apiKeySecretName(providerId), trimmed);
	}

	async delete(providerId: string): Promise<void> {
		await this.secrets.delete(apiKeySecretName(providerId));
	}

	async has(providerId: string): Promise<boolean> {
		return (await this.get(providerId)) !== undefined;
	}
}
