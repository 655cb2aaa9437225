// The model step of "Add provider" and "Select Model": the models the server lists, in a quick pick that also takes
// any id typed into it. When the server does not list (or there is no key to ask with yet) the same box offers
// what is known (the entry's models, the preset's examples) and whatever is typed.
import * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKeyStore';
import type { Log } from '../log';
import { authOf, engineSettings } from '../../providers/providerConfig';
import { readRequestTimeoutSeconds, type ProviderEntry } from './settings';

/** Fetches the server's model ids, or says why it is not tried. */
export type ModelLister = ((signal: AbortSignal) => Promise<string[]>) | { skipped: string };

export interface ModelPickOptions {
	title: string;
	/** Ids the entry already has, listed first. */
	configured: readonly string[];
	/** Offered when the server lists nothing (a preset's examples). */
	examples?: readonly string[];
	current?: string;
	lister: ModelLister;
	log: Log;
}

interface ModelItem extends vscode.QuickPickItem {
	id?: string;
}

/** How the server's list is fetched for `entry`: through the engine, with the key only where the key may go. */
export async function modelLister(entry: ProviderEntry, keys: ApiKeyStore): Promise<ModelLister> {
	const auth = authOf(entry);
	if (auth.type === 'apiKey' && !(await keys.has(entry.id))) {
		return { skipped: vscode.l10n.t('Type a model id. Once its API key is set, Select Model lists the models the server offers.') };
	}
	return async (signal) => {
		// Loaded on first use, not at activation: the listing pulls in both provider SDKs.
		const [{ listModels }, { credentialsFor }] = await Promise.all([import('../../providers/modelList.js'), import('../../providers/auth.js')]);
		const settings = engineSettings(entry, '', readRequestTimeoutSeconds());
		const credentials = credentialsFor(auth, () => keys.getForRequest(entry.id, settings.baseUrl), { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath });
		return listModels(settings, { credentials }, signal);
	};
}

/** Resolves with the chosen or typed model id (trimmed), or undefined when dismissed. */
export function pickModelId(options: ModelPickOptions): Promise<string | undefined> {
	const pick = vscode.window.createQuickPick<ModelItem>();
	pick.title = options.title;
	pick.ignoreFocusOut = true;
	pick.matchOnDescription = true;
	const controller = new AbortController();
	let listed: readonly string[] = [];
	let fallback: readonly string[] = [];

	const render = (): void => {
		const typed = pick.value.trim();
		const row = (id: string, description?: string): ModelItem => ({ label: id, id, description: id === options.current ? vscode.l10n.t('current') : description });
		const known = [...options.configured, ...listed, ...fallback];
		const items: ModelItem[] = [];
		// What was typed comes first, so Enter takes it even when it is the start of a listed id.
		if (typed && !known.includes(typed)) items.push({ label: typed, id: typed, description: vscode.l10n.t('use this model id'), alwaysShow: true });
		const section = (label: string, ids: readonly string[], description?: string): void => {
			if (ids.length === 0) return;
			items.push({ label, kind: vscode.QuickPickItemKind.Separator }, ...ids.map((id) => row(id, description)));
		};
		section(vscode.l10n.t('In settings'), options.configured);
		section(vscode.l10n.t('Listed by the server'), listed.filter((id) => !options.configured.includes(id)));
		section(vscode.l10n.t('Examples'), fallback.filter((id) => !options.configured.includes(id)), vscode.l10n.t('example'));
		pick.items = items;
		const exact = items.find((item) => item.id === typed);
		if (exact) pick.activeItems = [exact];
	};

	const offerExamples = (reason: string): void => {
		fallback = options.examples ?? [];
		pick.placeholder = reason;
		render();
	};

	if (typeof options.lister === 'function') {
		pick.busy = true;
		pick.placeholder = vscode.l10n.t('Asking the server for its models… or type a model id');
		options.lister(controller.signal).then(
			(ids) => {
				listed = ids;
				pick.placeholder = vscode.l10n.t('{0} models listed by the server: pick one, or type another model id', String(ids.length));
				render();
			},
			(error: unknown) => {
				if (controller.signal.aborted) return;
				const words = error instanceof Error ? error.message : String(error);
				options.log.info(`Model list not available: ${words}`);
				const status = (error as { status?: unknown }).status;
				offerExamples(typeof status === 'number'
					? vscode.l10n.t('The server did not list its models (HTTP {0}). Type a model id.', String(status))
					: vscode.l10n.t('The server did not list its models. Type a model id.'));
			},
		).finally(() => {
			pick.busy = false;
		});
	} else {
		offerExamples(options.lister.skipped);
	}
	render();

	return new Promise((resolve) => {
		let settled = false;
		const finish = (value: string | undefined): void => {
			if (settled) return;
			settled = true;
			controller.abort();
			resolve(value);
			pick.dispose();
		};
		pick.onDidChangeValue(render);
		pick.onDidAccept(() => {
			const chosen = pick.selectedItems[0]?.id ?? pick.activeItems[0]?.id ?? pick.value.trim();
			if (chosen) finish(chosen);
		});
		pick.onDidHide(() => finish(undefined));
		pick.show();
	});
}

/** Appends `model` to the provider's "models" in the settings scope that defines the entry in effect. */
export async function addModelToProvider(providerId: string, model: string): Promise<void> {
	const config = vscode.workspace.getConfiguration('switchboard');
	const inspected = config.inspect<unknown[]>('providers');
	const scopes = [
		[inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
		[inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
		[inspected?.globalValue, vscode.ConfigurationTarget.Global],
	] as const;
	const isEntry = (value: unknown): value is { id: unknown; models?: unknown } => typeof value === 'object' && value !== null && (value as { id?: unknown }).id === providerId;
	for (const [value, target] of scopes) {
		if (!Array.isArray(value) || !value.some(isEntry)) continue;
		const updated = value.map((entry: unknown) => {
			if (!isEntry(entry)) return entry;
			const models = Array.isArray(entry.models) ? entry.models : [];
			return { ...entry, models: [...models, model] };
		});
		await config.update('providers', updated, target);
		return;
	}
}
