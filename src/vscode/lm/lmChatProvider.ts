// Switchboard's providers as VS Code language models (vendor "switchboard"): every model of every configured
// provider shows up in VS Code's model picker and in vscode.lm.selectChatModels() for any extension. Requests go
// through the same engine as the panel (prepareProvider: quirk profiles, retries, auth commands, keys from
// SecretStorage, the log's redaction), so a model set up once works everywhere.
import * as vscode from 'vscode';
import { resolveContextWindow } from '../../chat/context/contextWindows';
import { estimateMessageTokens, estimateTextTokens } from '../../chat/context/tokenEstimate';
import { ProviderError, type ChatRequest } from '../../providers/types';
import type { ApiKeyStore } from '../providers/apiKeyStore';
import { ChatSetupError, prepareProvider } from '../providers/chatProviderSetup';
import { readContextWindows, readReserveOutputTokens } from '../conversation/contextSettings';
import { fromVscodeMessages, objectInput, toolSpecsFromVscode } from './lmMessages';
import type { Log } from '../log';
import { authOf } from '../../providers/providerConfig';
import { readProviders } from '../providers/settings';
import { SWITCHBOARD_VENDOR } from './vscodeLmProvider';

/** What VS Code hands back with each request: which provider entry and model id it stands for. */
export interface SwitchboardModelInfo extends vscode.LanguageModelChatInformation {
	readonly provider: string;
	readonly model: string;
}

export interface LanguageModelDeps {
	keys: ApiKeyStore;
	log: Log;
}

/** Settings whose change can add, remove or resize models. */
const WATCHED = ['switchboard.providers', 'switchboard.contextWindows', 'switchboard.reserveOutputTokens'];

export class SwitchboardLanguageModels implements vscode.LanguageModelChatProvider<SwitchboardModelInfo>, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<void>();
	private readonly subscriptions: vscode.Disposable[];
	readonly onDidChangeLanguageModelChatInformation = this.changed.event;

	constructor(private readonly deps: LanguageModelDeps) {
		this.subscriptions = [
			this.changed,
			deps.keys.onDidChange(() => this.changed.fire()),
			vscode.workspace.onDidChangeConfiguration((event) => {
				if (WATCHED.some((setting) => event.affectsConfiguration(setting))) this.changed.fire();
			}),
		];
	}

	/**
	 * Every model of every provider Switchboard can talk to now: a provider waiting for its API key is left out
	 * until the key is set (the list updates then), and VS Code's own models (protocol vscode-lm) are never offered
	 * back to VS Code.
	 */
	async provideLanguageModelChatInformation(): Promise<SwitchboardModelInfo[]> {
		const windows = readContextWindows();
		const reserve = readReserveOutputTokens();
		const models: SwitchboardModelInfo[] = [];
		for (const entry of readProviders(this.deps.log)) {
			if (entry.protocol === 'vscode-lm') continue;
			if (authOf(entry).type === 'apiKey' && !(await this.deps.keys.has(entry.id))) continue;
			for (const model of entry.models) {
				const window = resolveContextWindow(model, windows).tokens;
				const output = Math.min(reserve, Math.floor(window / 2));
				models.push({
					id: `${entry.id}/${model}`,
					name: model,
					family: model,
					version: '',
					detail: entry.label ?? entry.id,
					tooltip: vscode.l10n.t('{0} through Switchboard\'s provider "{1}"', model, entry.label ?? entry.id),
					maxInputTokens: window - output,
					maxOutputTokens: output,
					capabilities: { toolCalling: true },
					provider: entry.id,
					model,
				});
			}
		}
		return models;
	}

	async provideLanguageModelChatResponse(
		info: SwitchboardModelInfo,
		messages: readonly vscode.LanguageModelChatRequestMessage[],
		options: vscode.ProvideLanguageModelChatResponseOptions,
		progress: vscode.Progress<vscode.LanguageModelResponsePart>,
		token: vscode.CancellationToken,
	): Promise<void> {
		const abort = new AbortController();
		const listener = token.onCancellationRequested(() => abort.abort());
		try {
			const provider = await prepareProvider({ provider: info.provider, model: info.model }, this.deps.keys, this.deps.log);
			const { system, messages: history } = fromVscodeMessages(messages);
			const request: ChatRequest = {
				model: info.model,
				system,
				messages: history,
				tools: toolSpecsFromVscode(options.tools),
				toolChoice: options.tools?.length && options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : undefined,
			};
			for await (const event of provider.stream(request, abort.signal)) {
				if (event.type === 'text-delta' || event.type === 'refusal-delta') progress.report(new vscode.LanguageModelTextPart(event.delta));
				else if (event.type === 'tool-call') progress.report(new vscode.LanguageModelToolCallPart(event.providerId || event.callId, event.toolName, objectInput(event.input)));
				else if (event.type === 'tool-call-error') throw new ProviderError('invalid-response', event.message);
			}
		} catch (error) {
			if (token.isCancellationRequested) throw new vscode.CancellationError();
			throw this.callerError(error);
		} finally {
			listener.dispose();
		}
	}

	async provideTokenCount(_info: SwitchboardModelInfo, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
		if (typeof text === 'string') return estimateTextTokens(text);
		const { system, messages } = fromVscodeMessages([text]);
		return messages.reduce((sum, message) => sum + estimateMessageTokens(message), system ? estimateTextTokens(system) : 0);
	}

	/** The error the calling extension sees: the provider's own words, with keys removed. */
	private callerError(error: unknown): Error {
		const message = error instanceof ChatSetupError ? error.banner.message : error instanceof Error ? error.message : String(error);
		const redacted = this.deps.log.redact?.(message) ?? message;
		if (!(error instanceof ChatSetupError)) this.deps.log.warn(`language model request failed: ${redacted}`);
		return new Error(redacted);
	}

	dispose(): void {
		for (const subscription of this.subscriptions) subscription.dispose();
	}
}

/** Registers the provider with VS Code; the returned disposable unregisters it. */
export function registerSwitchboardModels(deps: LanguageModelDeps): vscode.Disposable {
	const provider = new SwitchboardLanguageModels(deps);
	return vscode.Disposable.from(provider, vscode.lm.registerLanguageModelChatProvider(SWITCHBOARD_VENDOR, provider));
}
