// The Switchboard commands. Each handler is small and reaches the rest through CommandDeps.
import * as vscode from 'vscode';
import type { ApiKeyStore } from './providers/apiKeyStore';
import type { ChatSurface } from './chat/chatSurface';
import { exportChat } from './conversation/exportChat';
import type { Log } from './log';
import { ProviderError } from '../providers/types';
import { addModelToProvider, modelLister, pickModelId } from './providers/modelPicker';
import { authOf, engineSettings, providerLabel } from '../providers/providerConfig';
import { keyDestination } from './providers/providerTrust';
import { readDefaultModel, readProviders, type ProviderEntry } from './providers/settings';

export interface CommandDeps {
	keys: ApiKeyStore;
	log: Log;
	chat: ChatSurface;
	/** globalState: what Export Chat remembers between windows. */
	state: vscode.Memento;
	/** Runs the one-token request of Test Connection; resolves with a short description of the answer. */
	testConnection: (provider: ProviderEntry, model: string, signal: AbortSignal) => Promise<string>;
}

const SETTINGS_QUERY = 'switchboard.providers';

async function offerSettings(message: string): Promise<void> {
	const open = vscode.l10n.t('Open Settings');
	if ((await vscode.window.showWarningMessage(message, open)) === open) {
		await vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS_QUERY);
	}
}

/** Picks one provider; skips the list when there is only one to choose from. */
async function pickProvider(providers: ProviderEntry[], placeHolder: string, keyed?: Set<string>): Promise<ProviderEntry | undefined> {
	if (providers.length === 1) return providers[0];
	const picked = await vscode.window.showQuickPick(
		providers.map((provider) => ({
			label: providerLabel(provider),
			description: [providerLabel(provider) !== provider.id ? provider.id : undefined, provider.preset ?? provider.protocol].filter(Boolean).join(' · '),
			detail: [provider.baseUrl, keyed?.has(provider.id) ? vscode.l10n.t('key set') : undefined].filter(Boolean).join(' · ') || undefined,
			provider,
		})),
		{ placeHolder, ignoreFocusOut: true },
	);
	return picked?.provider;
}

/** Where the provider's requests go, when the settings say (the key is bound to that origin). */
function baseUrlOf(provider: ProviderEntry): string | undefined {
	try {
		return engineSettings(provider, provider.models[0] ?? '').baseUrl;
	} catch {
		return undefined;
	}
}

/** Resolves true when a key was stored (the chat then resends the prompt that was waiting for it). */
async function setApiKey(deps: CommandDeps, providerId?: unknown): Promise<boolean> {
	const providers = readProviders(deps.log).filter((provider) => authOf(provider).type === 'apiKey');
	if (providers.length === 0) {
		await offerSettings(vscode.l10n.t('No provider in switchboard.providers uses an API key. Add one first.'));
		return false;
	}
	const provider = typeof providerId === 'string'
		? providers.find((candidate) => candidate.id === providerId)
		: await pickProvider(providers, vscode.l10n.t('Set the API key of which provider?'));
	if (!provider) {
		if (typeof providerId === 'string') {
			const message = `No provider "${providerId}" with API-key auth in switchboard.providers.`;
			deps.log.warn(`Set API Key: ${message}`);
			void vscode.window.showErrorMessage(vscode.l10n.t('Switchboard: no provider "{0}" with API-key auth in switchboard.providers.', providerId));
		}
		return false;
	}
	const key = await vscode.window.showInputBox({
		title: vscode.l10n.t('API key for {0}', providerLabel(provider)),
		// The key is bound to this host (apiKeyStore): say which, and which settings chose it.
		prompt: [vscode.l10n.t('Kept in VS Code secret storage; never written to settings or logs.'), keyDestination(provider)].filter(Boolean).join(' '),
		password: true,
		ignoreFocusOut: true,
		validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter a key, or press Escape to cancel.')),
	});
	if (key === undefined || !key.trim()) return false;
	await deps.keys.set(provider.id, key, baseUrlOf(provider));
	deps.log.info(`API key stored for provider "${provider.id}"`);
	void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard: API key for "{0}" saved.', providerLabel(provider)));
	return true;
}

async function clearApiKey(deps: CommandDeps, providerId?: unknown): Promise<void> {
	const providers: ProviderEntry[] = [];
	for (const provider of readProviders(deps.log)) if (await deps.keys.has(provider.id)) providers.push(provider);
	if (providers.length === 0) {
		void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard: no API key is stored.'));
		return;
	}
	const provider = typeof providerId === 'string'
		? providers.find((candidate) => candidate.id === providerId)
		: await pickProvider(providers, vscode.l10n.t('Clear the API key of which provider?'));
	if (!provider) return;
	await deps.keys.delete(provider.id);
	deps.log.info(`API key cleared for provider "${provider.id}"`);
	void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard: API key for "{0}" cleared.', providerLabel(provider)));
}

/** A provider, then one of its models: those in settings, those the server lists, or any id typed (then saved). */
async function selectModel(deps: CommandDeps): Promise<void> {
	const current = readDefaultModel();
	const providers = readProviders(deps.log);
	if (providers.length === 0) return offerSettings(vscode.l10n.t('Add a provider to switchboard.providers first.'));
	// The current default's provider first, so Enter keeps it.
	const ordered = [...providers].sort((a, b) => Number(b.id === current?.provider) - Number(a.id === current?.provider));
	const provider = await pickProvider(ordered, vscode.l10n.t('Select a model of which provider?'));
	if (!provider) return;
	const model = await pickModelId({
		title: vscode.l10n.t('{0}: model id', providerLabel(provider)),
		configured: provider.models,
		current: current?.provider === provider.id ? current.model : undefined,
		lister: await modelLister(provider, deps.keys),
		log: deps.log,
	});
	if (!model) return;
	if (!provider.models.includes(model)) await addModelToProvider(provider.id, model);
	await vscode.workspace.getConfiguration('switchboard').update('defaultModel', `${provider.id}/${model}`, vscode.ConfigurationTarget.Global);
	deps.log.info(`Default model set to ${provider.id}/${model}`);
}

async function testConnection(deps: CommandDeps): Promise<void> {
	const selected = readDefaultModel();
	const providers = readProviders(deps.log);
	const provider = providers.find((candidate) => candidate.id === selected?.provider) ?? (await pickProvider(providers, vscode.l10n.t('Test which provider?')));
	if (!provider) return offerSettings(vscode.l10n.t('Add a provider to switchboard.providers first.'));
	const model = selected?.provider === provider.id ? selected.model : provider.models[0];
	const label = providerLabel(provider);
	if (!model) return offerSettings(vscode.l10n.t('Provider "{0}" lists no models.', label));
	// Without its key the request would go out with no Authorization header and fail for a reason nobody is told.
	if (authOf(provider).type === 'apiKey' && !(await deps.keys.has(provider.id))) {
		const set = vscode.l10n.t('Set API Key');
		const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Switchboard: {0} needs an API key, and none is set. Nothing was sent.', label), set);
		if (answer !== set || !(await setApiKey(deps, provider.id))) return;
	}
	const target = `${label}/${model}`;
	await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Switchboard: testing {0}', target), cancellable: true },
		async (_progress, token) => {
			const controller = new AbortController();
			token.onCancellationRequested(() => controller.abort());
			try {
				const reply = await deps.testConnection(provider, model, controller.signal);
				deps.log.info(`Test connection to ${provider.id}/${model} succeeded`);
				void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard: {0} answered: {1}', target, reply.slice(0, 80)));
			} catch (error) {
				const kind = error instanceof ProviderError ? ` (${error.kind}${error.status ? ` ${error.status}` : ''})` : '';
				deps.log.error(`Test connection to ${provider.id}/${model} failed${kind}`, error);
				const detail = error instanceof Error ? error.message : String(error);
				// The provider's error text may echo the key it was sent.
				void vscode.window.showErrorMessage(vscode.l10n.t('Switchboard: {0} failed{1}: {2}', target, kind, deps.log.redact?.(detail) ?? detail));
			}
		},
	);
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
	const handlers: Record<string, (...args: unknown[]) => unknown> = {
		'switchboard.openChat': () => deps.chat.openInEditor(),
		'switchboard.newChat': () => deps.chat.newChat(),
		'switchboard.setApiKey': (providerId) => setApiKey(deps, providerId),
		'switchboard.clearApiKey': (providerId) => clearApiKey(deps, providerId),
		'switchboard.selectModel': () => selectModel(deps),
		'switchboard.testConnection': () => testConnection(deps),
		'switchboard.exportChat': () => exportChat(deps.chat, deps.state, deps.log),
		'switchboard.showLog': () => deps.log.show(),
	};
	return Object.entries(handlers).map(([id, handler]) =>
		vscode.commands.registerCommand(id, async (...args: unknown[]) => {
			try {
				return await handler(...args);
			} catch (error) {
				deps.log.error(`${id} failed`, error);
				void vscode.window.showErrorMessage(`Switchboard: ${error instanceof Error ? error.message : String(error)}`);
				return undefined;
			}
		}),
	);
}
