// API keys live only in VS Code's SecretStorage (the OS keychain or its encrypted equivalent), one per provider.
// Each key remembers the origin it was entered for, so a workspace setting that points the provider at another
// host cannot silently receive it.
import * as vscode from 'vscode';
import { ProviderError } from '../../providers/types';
import type { Log } from '../log';
import { providerLabel } from '../../providers/providerConfig';
import { readProviders } from './settings';

export interface ApiKeyStore {
	get(providerId: string): Promise<string | undefined>;
	/** Stores the trimmed key (an empty key is refused), bound to the origin of `baseUrl` when given. */
	set(providerId: string, key: string, baseUrl?: string): Promise<void>;
	/**
	 * The key to send to `baseUrl`. When it was stored for another origin, the user confirms first; declining
	 * throws an auth ProviderError and nothing is sent.
	 */
	getForRequest(providerId: string, baseUrl: string): Promise<string | undefined>;
	delete(providerId: string): Promise<void>;
	has(providerId: string): Promise<boolean>;
	/** Fires with the provider id whose key changed (here or in another window). */
	readonly onDidChange: vscode.Event<string>;
}

/** Asks whether a key stored for `boundOrigin` may go to `requestedOrigin`. */
export type OriginConfirmation = (providerId: string, boundOrigin: string, requestedOrigin: string) => Promise<boolean>;

const PREFIX = 'switchboard.apiKey.';
const ORIGIN_PREFIX = 'switchboard.apiKeyOrigin.';

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

function originOf(baseUrl: string): string | undefined {
	try {
		return new URL(baseUrl).origin;
	} catch {
		return undefined;
	}
}

/** The provider's name as its prompts show it (its label), or the id when the settings no longer list it. */
function labelOf(providerId: string): string {
	const entry = readProviders().find((candidate) => candidate.id === providerId);
	return entry ? providerLabel(entry) : providerId;
}

/** A modal question: the default answer (Escape), or no answer at all, keeps the key back. */
export const confirmOriginChange: OriginConfirmation = async (providerId, boundOrigin, requestedOrigin) => {
	const send = vscode.l10n.t('Send Key');
	// VS Code refuses (rejects) modal dialogs in some contexts, e.g. extension tests; that is a "no".
	const answer = await Promise.resolve(vscode.window.showWarningMessage(
		vscode.l10n.t('The API key of "{0}" was stored for {1}, but the settings now send it to {2}.', labelOf(providerId), boundOrigin, requestedOrigin),
		{ modal: true, detail: vscode.l10n.t('A workspace setting may have changed the base URL. Send the key to the new host only if you trust it.') },
		send,
	)).catch(() => undefined);
	return answer === send;
};

export class SecretApiKeyStore implements ApiKeyStore {
	readonly onDidChange: vscode.Event<string>;
	/**
	 * The last key change still being written. A read waits for it: a prompt sent right after Set API key closes
	 * must go with the key just typed (and its origin), not with what SecretStorage held a moment before.
	 */
	private writing: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly secrets: vscode.SecretStorage,
		private readonly log: Log,
		private readonly confirm: OriginConfirmation = confirmOriginChange,
	) {
		this.onDidChange = (listener, thisArgs, disposables) =>
			secrets.onDidChange((event) => {
				if (event.key.startsWith(PREFIX)) listener.call(thisArgs, event.key.slice(PREFIX.length));
			}, undefined, disposables);
	}

	async get(providerId: string): Promise<string | undefined> {
		await this.writing;
		const key = await this.secrets.get(apiKeySecretName(providerId));
		// Any key that is read may later appear in an error text; the log must know it to redact it.
		if (key) this.log.addSecret(key);
		return key || undefined;
	}

	async set(providerId: string, key: string, baseUrl?: string): Promise<void> {
		const trimmed = key.trim();
		if (!trimmed) throw new EmptyApiKeyError();
		this.log.addSecret(trimmed);
		const origin = baseUrl && originOf(baseUrl);
		await this.write(async () => {
			await this.secrets.store(apiKeySecretName(providerId), trimmed);
			if (origin) await this.secrets.store(ORIGIN_PREFIX + providerId, origin);
			else await this.secrets.delete(ORIGIN_PREFIX + providerId);
		});
	}

	/** Runs a change after the ones before it; reads wait for it (see `writing`). */
	private write(change: () => Promise<void>): Promise<void> {
		const done = this.writing.then(change);
		this.writing = done.catch(() => undefined);
		return done;
	}

	async getForRequest(providerId: string, baseUrl: string): Promise<string | undefined> {
		const key = await this.get(providerId);
		const requested = originOf(baseUrl);
		if (!key || !requested) return key;
		const bound = await this.secrets.get(ORIGIN_PREFIX + providerId);
		if (bound === requested) return key;
		if (bound && !(await this.confirm(providerId, bound, requested))) {
			this.log.warn(`Kept the API key of "${providerId}" from ${requested}: it was stored for ${bound}`);
			throw new ProviderError('auth', `The API key of "${providerId}" was stored for ${bound} and was not sent to ${requested}. Set the key again for the new host, or restore the base URL.`);
		}
		// First use of a key stored without an origin, or a confirmed move: bind it to this origin.
		await this.secrets.store(ORIGIN_PREFIX + providerId, requested);
		if (bound) this.log.info(`The API key of "${providerId}" moved from ${bound} to ${requested} (confirmed)`);
		return key;
	}

	async delete(providerId: string): Promise<void> {
		await this.write(async () => {
			await this.secrets.delete(apiKeySecretName(providerId));
			await this.secrets.delete(ORIGIN_PREFIX + providerId);
		});
	}

	async has(providerId: string): Promise<boolean> {
		return (await this.get(providerId)) !== undefined;
	}
}
