// The Switchboard commands. Each handler is small and reaches the rest through CommandDeps.
import * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKeyStore';
import type { ChatSurface } from './chatSurface';
import type { Log } from './log';
import { ProviderError } from '../providers/types';
import { authOf, engineSettings } from './providerConfig';
import { keyDestination } from './providerTrust';
import { readDefaultModel, readProviders, type ProviderEntry } from './settings';

export interface CommandDeps {
	keys: ApiKeyStore;
	log: Log;
	chat: ChatSurface;
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
			label: provider.label ?? provider.id,
			description: [provider.label ? provider.id : undefined, provider.preset ?? provider.protocol].filter(Boolean).join(' · '),
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
		title: vscode.l10n.t('API key for {0}', provider.id),
		// The key is bound to this host (apiKeyStore): say which, and which settings chose it.
		prompt: [vscode.l10n.t('Kept in VS Code secret storage; never written to settings or logs.'), keyDestination(provider)].filter(Boolean).join(' '),
		password: true,
		ignoreFocusOut: true,
		validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter a key, or press Escape to cancel.')),
	});
	if (key === undefined || !key.trim()) return false;
	await deps.keys.set(provider.id, key, baseUrlOf(provider));
	deps.log.info(`API key stored for provider "${provider.id}"`);
	void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard: API key for "{0}" saved.', provider.id));
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
	void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard: API key for "{0}" cleared.', provider.id));
}

async function selectModel(deps: CommandDeps): Promise<void> {
	const current = readDefaultModel();
	const items = readProviders(deps.log).flatMap((provider) =>
		provider.models.map((model) => ({
			label: `${provider.id}/${model}`,
			description: current?.provider === provider.id && current.model === model ? vscode.l10n.t('current') : undefined,
		})),
	);
	if (items.length === 0) return offerSettings(vscode.l10n.t('No models are listed in switchboard.providers. Add a "models" list to a provider.'));
	const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Model for new chats') });
	if (!picked) return;
	await vscode.workspace.getConfiguration('switchboard').update('defaultModel', picked.label, vscode.ConfigurationTarget.Global);
	deps.log.info(`Default model set to ${picked.label}`);
}

async function testConnection(deps: CommandDeps): Promise<void> {
	const target = readDefaultModel();
	const providers = readProviders(deps.log);
	const provider = providers.find((candidate) => candidate.id === target?.provider) ?? (await pickProvider(providers, vscode.l10n.t('Test which provider?')));
	if (!provider) return offerSettings(vscode.l10n.t('Add a provider to switchboard.providers first.'));
	const model = target?.provider === provider.id ? target.model : provider.models[0];
	if (!model) return offerSettings(vscode.l10n.t('Provider "{0}" lists no models.', provider.id));
	await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Switchboard: testing {0}', `${provider.id}/${model}`), cancellable: true },
		async (_progress, token) => {
			const controller = new AbortController();
			token.onCancellationRequested(() => controller.abort());
			try {
				const reply = await deps.testConnection(provider, model, controller.signal);
				deps.log.info(`Test connection to ${provider.id}/${model} succeeded`);
				void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard: {0} answered: {1}', `${provider.id}/${model}`, reply.slice(0, 80)));
			} catch (error) {
				const kind = error instanceof ProviderError ? ` (${error.kind}${error.status ? ` ${error.status}` : ''})` : '';
				deps.log.error(`Test connection to ${provider.id}/${model} failed${kind}`, error);
				const detail = error instanceof Error ? error.message : String(error);
				// The provider's error text may echo the key it was sent.
				void vscode.window.showErrorMessage(vscode.l10n.t('Switchboard: {0} failed{1}: {2}', `${provider.id}/${model}`, kind, deps.log.redact?.(detail) ?? detail));
			}
		},
	);
}

async function exportChat(deps: CommandDeps): Promise<void> {
	const markdown = deps.chat.exportMarkdown();
	if (markdown === undefined) {
		void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard: there is no chat to export yet.'));
		return;
	}
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
	const target = await vscode.window.showSaveDialog({
		defaultUri: folder && vscode.Uri.joinPath(folder, 'switchboard-chat.md'),
		filters: { Markdown: ['md'] },
	});
	if (!target) return;
	await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(markdown));
	deps.log.info(`Chat exported to ${target.toString(true)}`);
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
	const handlers: Record<string, (...args: unknown[]) => unknown> = {
		'switchboard.openChat': () => deps.chat.openInEditor(),
		'switchboard.newChat': () => deps.chat.newChat(),
		'switchboard.setApiKey': (providerId) => setApiKey(deps, providerId),
		'switchboard.clearApiKey': (providerId) => clearApiKey(deps, providerId),
		'switchboard.selectModel': () => selectModel(deps),
		'switchboard.testConnection': () => testConnection(deps),
		'switchboard.exportChat': () => exportChat(deps),
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
