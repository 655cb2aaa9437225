// The panel's provider and model actions: which model the chat talks to (the panel's pick, else
// switchboard.defaultModel), the provider list it shows, and Add provider / Set API key / a model picked in the panel.
// The state is posted again whenever the settings or the stored keys change.
import * as vscode from 'vscode';
import type { ModelRef, ViewState } from '../../shared/protocol';
import { authOf } from '../../providers/providerConfig';
import { readRiskModes } from '../chat/approvalPolicy';
import { webviewStrings } from '../chat/webviewStrings';
import type { Log } from '../log';
import type { ApiKeyStore } from './apiKeyStore';
import { addProviderFromPreset, providerViews } from './chatProviderSetup';
import { chooseModel } from './setupDecisions';
import { readDefaultModel, readProviders } from './settings';

export interface ModelChoiceHost {
	keys: ApiKeyStore;
	log: Log;
	/** The panels' new state; not called once the chat is closed. */
	postState(state: ViewState): void;
	closed(): boolean;
}

export class ModelChoice implements vscode.Disposable {
	/** The model picked in the panel; a change of switchboard.defaultModel clears it. */
	private selected: ModelRef | undefined;
	private readonly subscriptions: vscode.Disposable[];

	constructor(private readonly host: ModelChoiceHost) {
		this.subscriptions = [
			host.keys.onDidChange(() => void this.postState()),
			vscode.workspace.onDidChangeConfiguration((event) => {
				// Select Model (the command or another window) wins over the panel's last choice.
				if (event.affectsConfiguration('switchboard.defaultModel')) this.selected = undefined;
				if (event.affectsConfiguration('switchboard')) void this.postState();
			}),
		];
	}

	/** The model a turn talks to now: the panel's pick if its provider still exists, else the configured default. */
	current(): ModelRef | undefined {
		return chooseModel(readProviders(this.host.log), this.selected, readDefaultModel());
	}

	/** What the panel shows above the prompt: providers (with whether each has its key), the model, the defaults. */
	async viewState(): Promise<ViewState> {
		const entries = readProviders(this.host.log);
		this.selected = chooseModel(entries, this.selected, readDefaultModel());
		return { providers: await providerViews(entries, this.host.keys), selected: this.selected, approvalDefaults: readRiskModes(), l10n: webviewStrings() };
	}

	async postState(): Promise<void> {
		if (this.host.closed()) return;
		const state = await this.viewState();
		if (!this.host.closed()) this.host.postState(state);
	}

	/** A model picked in the panel becomes the default for new chats too. */
	async select(ref: ModelRef): Promise<void> {
		this.selected = ref;
		await vscode.workspace.getConfiguration('switchboard').update('defaultModel', `${ref.provider}/${ref.model}`, vscode.ConfigurationTarget.Global);
		await this.postState();
	}

	/** Empty-state step 1: a provider from a preset, its first model selected, then its key asked for if it takes one. */
	async addProvider(): Promise<void> {
		const { keys, log } = this.host;
		const id = await addProviderFromPreset(log, keys);
		if (!id) return;
		const entry = readProviders(log).find((candidate) => candidate.id === id);
		this.selected = entry?.models[0] ? { provider: id, model: entry.models[0] } : undefined;
		await this.postState();
		if (entry && authOf(entry).type === 'apiKey') await vscode.commands.executeCommand('switchboard.setApiKey', id);
	}

	/** Runs Set API Key; true when a key was stored. */
	async setApiKey(provider: string | undefined): Promise<boolean> {
		const stored = await vscode.commands.executeCommand<boolean>('switchboard.setApiKey', provider) === true;
		await this.postState();
		return stored;
	}

	dispose(): void {
		for (const subscription of this.subscriptions) subscription.dispose();
	}
}
