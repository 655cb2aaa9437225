// The chat's host side: one conversation, one turn at a time, shared by every surface showing it (the sidebar view
// and the editor tab). The controller builds the parts and routes each webview message to the one that acts on it:
// turns and approvals (turnRunner.ts, approvalAnswers.ts), the conversation and its history
// (conversation/conversationActions.ts), providers and models (providers/modelChoice.ts), undo
// (edits/turnEdits.ts) and the editor (workspace/editorActions.ts).
import type * as vscode from 'vscode';
import { assertNever, type ConversationView, type HostToWebview, type WebviewToHost } from '../../shared/protocol';
import type { AnyTool, Workspace } from '../../tools/types';
import type { ApiKeyStore } from '../providers/apiKeyStore';
import { ModelChoice } from '../providers/modelChoice';
import { warmProviderLayer } from '../providers/chatProviderSetup';
import { ContextHost } from '../context/contextHost';
import { ContextTracker } from '../conversation/contextTracker';
import { ConversationActions } from '../conversation/conversationActions';
import { CurrentConversation } from '../conversation/currentConversation';
import type { HistoryStore } from '../conversation/historyStore';
import { TurnEdits } from '../edits/turnEdits';
import type { Log } from '../log';
import { McpHost } from '../workspace/mcpHost';
import { copyCode, insertCode, openSettings } from '../workspace/editorActions';
import { approveAllCalls, approveCall, denyCall } from './approvalAnswers';
import { ChatPanels, type ChatSink } from './chatPanels';
import { TurnRunner } from './turnRunner';

export type { ChatSink } from './chatPanels';

export interface ChatControllerDeps {
	keys: ApiKeyStore;
	log: Log;
	history: HistoryStore;
	/** workspaceState: "Always allow <tool>" lives here. */
	state: vscode.Memento;
	workspace: Workspace;
	/** The tools of one turn; built per turn because workspace trust can change. */
	tools?: () => AnyTool[];
	/** Where `${secret:NAME}` values of the MCP server settings are kept. */
	secrets?: vscode.SecretStorage;
}

export class ChatController implements vscode.Disposable {
	private readonly panels: ChatPanels;
	private readonly current: CurrentConversation;
	private readonly loaded: Promise<void>;
	private readonly edits: TurnEdits;
	private readonly models: ModelChoice;
	private readonly turns: TurnRunner;
	private readonly conversations: ConversationActions;
	/** The MCP servers of this chat (the MCP Servers command lists them). */
	readonly mcp: McpHost;
	/** Attachments (@ mentions, Add Selection / Add File to Chat) and the project rule files. */
	readonly context: ContextHost;
	/** Every message posted to the panels (the extension-host tests observe the chat through it). */
	readonly onDidPost: vscode.Event<HostToWebview>;

	constructor(private readonly deps: ChatControllerDeps) {
		const { log, keys, history, state } = deps;
		const panels = new ChatPanels((text) => log.redact?.(text) ?? text);
		const post = (message: HostToWebview): void => panels.post(message);
		const closed = (): boolean => panels.closed;
		this.panels = panels;
		this.onDidPost = panels.onDidPost;
		this.current = new CurrentConversation(history, log);
		this.loaded = this.current.load();
		this.edits = new TurnEdits({ conversation: () => this.current.value, post, save: () => this.current.saveNow() });
		this.mcp = new McpHost(log, { secrets: deps.secrets, state });
		this.models = new ModelChoice({ keys, log, closed, postState: (viewState) => post({ type: 'state', state: viewState }) });
		this.context = new ContextHost({
			workspace: deps.workspace, log, post, onDidPost: panels.onDidPost, ready: () => panels.anyReady, conversationId: () => this.current.value.id,
		});
		const contextTracker = new ContextTracker();
		this.turns = new TurnRunner({
			keys, log, history, state, post, closed, current: this.current,
			model: () => this.models.current(),
			loop: { log, workspace: deps.workspace, tools: deps.tools, mcp: this.mcp, edits: this.edits, contextTracker, rules: this.context.rules },
		});
		this.conversations = new ConversationActions({
			current: this.current, history, contextTracker, post, closed,
			postTo: (sink, message, ready) => panels.postTo(sink, message, ready),
			stopTurn: () => this.turns.stopAndWait(),
			flushTurn: () => this.turns.turn?.flush(),
		});
	}

	/** A surface showing this chat; it receives `init` when it posts 'ready'. */
	attach(sink: ChatSink): vscode.Disposable {
		return this.panels.attach(sink);
	}

	get busy(): boolean {
		return this.turns.turn !== undefined;
	}

	get conversationView(): ConversationView {
		return this.conversations.view;
	}

	/** Routes one message from a webview (`from` is that webview; the tests post without one). */
	async receive(message: WebviewToHost, from?: ChatSink): Promise<void> {
		await this.loaded;
		const { log, state } = this.deps;
		switch (message.type) {
			case 'ready':
				warmProviderLayer();
				return this.conversations.init(from, await this.models.viewState());
			// Attachments are read before the turn starts: what the user chose is sent as it is now, without asking.
			case 'send-prompt': return this.turns.sendPrompt(message.text, await this.context.content(message.attachments, new AbortController().signal), message.images);
			case 'stop': return this.turns.stop();
			case 'new-chat': return this.newChat();
			case 'approve': return approveCall(this.turns.turn, message.callId, message.alwaysAllow === true, state, log);
			case 'deny': return denyCall(this.turns.turn, message.callId, message.reason, log);
			case 'approve-all': return approveAllCalls(this.turns.turn, message.callIds, log);
			case 'set-api-key':
				if (await this.models.setApiKey(message.provider)) await this.turns.keySet(message.provider);
				return;
			case 'add-provider': return this.models.addProvider();
			case 'select-model': return this.models.select({ provider: message.provider, model: message.model });
			case 'retry': return this.turns.retry();
			case 'open-settings': return openSettings(message.setting);
			case 'copy-code': return copyCode(message.code);
			case 'insert-code': return insertCode(message.code);
			case 'history-open': return this.conversations.open(message.id);
			case 'history-delete': return this.conversations.delete(message.id);
			case 'history-undo-delete': return this.conversations.undoDelete(message.id);
			case 'history-rename': return this.conversations.rename(message.id, message.title);
			case 'history-search': return this.conversations.search(message.query);
			case 'undo-turn': return this.edits.undoTurn(message.turnId);
			case 'mention-query': return this.context.query(message.query, (reply) => this.panels.postTo(from, reply));
			case 'rule-toggle': return this.context.rules.toggle(message.path, message.active);
			case 'open-file': return this.context.open(message.path);
			default: assertNever(message);
		}
	}

	/** Starts an empty conversation (the previous one stays in the history). */
	async newChat(): Promise<void> {
		await this.loaded;
		await this.conversations.newChat();
	}

	exportMarkdown(): string | undefined {
		return this.conversations.exportMarkdown();
	}

	/** Resolves when the running turn (if any) has ended. */
	whenIdle(): Promise<void> {
		return this.turns.whenIdle();
	}

	/**
	 * Saves the conversation as it is, a running turn included (a reload restores it as interrupted, pending calls
	 * as not run), then stops listening. The turn is cancelled without being recorded as finished.
	 */
	async shutdown(): Promise<void> {
		if (this.panels.closed) return;
		await this.loaded;
		this.turns.turn?.flush();
		await this.current.close();
		await this.deps.history.emptyTrash();
		this.panels.close();
		this.context.dispose();
		this.turns.stop();
		this.models.dispose();
		this.edits.dispose();
		await this.mcp.close();
	}

	dispose(): void {
		void this.shutdown();
	}
}
