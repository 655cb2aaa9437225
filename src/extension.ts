// Entry point: build the objects, register them, return. Everything heavy (provider SDKs, the chat engine)
// loads on first use, so activation stays cheap.
import * as vscode from 'vscode';
import { SecretApiKeyStore, type ApiKeyStore } from './vscode/providers/apiKeyStore';
import { CHAT_VIEW_ID, type ChatSurface } from './vscode/chat/chatSurface';
import { ChatViewProvider } from './vscode/chat/chatViewProvider';
import { startBenchProbe } from './vscode/benchProbe';
import { registerCommands } from './vscode/commands';
import { registerContextCommands } from './vscode/context/contextCommands';
import { testConnection } from './vscode/providers/connectionTest';
import { HistoryStore } from './vscode/conversation/historyStore';
import { registerSwitchboardModels } from './vscode/lm/lmChatProvider';
import { ChannelLog } from './vscode/log';
import { registerMcpCommands } from './vscode/workspace/mcpStatus';
import { VscodeWorkspace } from './vscode/workspace/workspaceAdapter';

/** Returned by activate() only in test mode, for the extension-host tests. */
export interface SwitchboardTestApi {
	readonly keys: ApiKeyStore;
	readonly chat: ChatSurface;
	/** The same object as `chat`, with the controller the tests drive and a simulated reload. */
	readonly chatHost: ChatViewProvider;
	readonly context: vscode.ExtensionContext;
	readonly activationMs: number;
}

/** Kept so deactivate() can save a running turn before the window goes (VS Code waits for the promise). */
let activeChat: ChatViewProvider | undefined;

export function activate(context: vscode.ExtensionContext): SwitchboardTestApi | undefined {
	const started = performance.now();
	const log = new ChannelLog();
	const keys = new SecretApiKeyStore(context.secrets, log);
	const workspace = new VscodeWorkspace();
	const chat = new ChatViewProvider(context.extensionUri, { keys, log, workspace, history: HistoryStore.forContext(context), state: context.workspaceState, secrets: context.secrets });
	activeChat = chat;
	context.subscriptions.push(
		log,
		workspace,
		chat,
		vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chat, { webviewOptions: { retainContextWhenHidden: true } }),
		// Our providers' models in VS Code's model picker and for other extensions (vscode.lm, vendor "switchboard").
		registerSwitchboardModels({ keys, log }),
		...registerCommands({
			keys,
			log,
			chat,
			state: context.globalState,
			testConnection: (provider, model, signal) => testConnection(provider, model, keys, signal),
		}),
		...registerMcpCommands({ mcp: () => chat.controller.mcp, log, secrets: context.secrets }),
		...registerContextCommands({ context: () => chat.controller.context, log }),
	);
	const activationMs = performance.now() - started;
	log.info(`activated in ${activationMs.toFixed(1)} ms`);
	startBenchProbe();
	return context.extensionMode === vscode.ExtensionMode.Test ? { keys, chat, chatHost: chat, context, activationMs } : undefined;
}

export function deactivate(): Promise<void> | undefined {
	// Everything else is disposed through context.subscriptions; the chat is saved first, as it stands.
	const chat = activeChat;
	activeChat = undefined;
	return chat?.controller.shutdown();
}
