// Entry point: build the objects, register them, return. Everything heavy (provider SDKs, the chat engine)
// loads on first use, so activation stays cheap.
import * as vscode from 'vscode';
import { SecretApiKeyStore, type ApiKeyStore } from './vscode/apiKeyStore';
import { CHAT_VIEW_ID, type ChatSurface } from './vscode/chatSurface';
import { ChatViewPlaceholder } from './vscode/chatViewPlaceholder';
import { registerCommands } from './vscode/commands';
import { testConnection } from './vscode/connectionTest';
import { ChannelLog } from './vscode/log';

/** Returned by activate() only in test mode, for the extension-host tests. */
export interface SwitchboardTestApi {
	readonly keys: ApiKeyStore;
	readonly chat: ChatSurface;
	readonly context: vscode.ExtensionContext;
	readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): SwitchboardTestApi | undefined {
	const started = performance.now();
	const log = new ChannelLog();
	const keys = new SecretApiKeyStore(context.secrets, log);
	const chat: ChatSurface = new ChatViewPlaceholder(context.extensionUri);
	context.subscriptions.push(
		log,
		vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chat, { webviewOptions: { retainContextWhenHidden: true } }),
		...registerCommands({
			keys,
			log,
			chat,
			testConnection: (provider, model, signal) => testConnection(provider, model, keys, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, signal),
		}),
	);
	const activationMs = performance.now() - started;
	log.info(`activated in ${activationMs.toFixed(1)} ms`);
	return context.extensionMode === vscode.ExtensionMode.Test ? { keys, chat, context, activationMs } : undefined;
}

export function deactivate(): void {
	// Everything is disposed through context.subscriptions.
}
