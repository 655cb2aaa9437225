// The chat's host side: one conversation, one turn at a time, shared by every surface showing it (the sidebar view
// and the editor tab). It routes the webview's messages, runs each turn (turnLoop.ts) and keeps the conversation
// saved (currentConversation.ts).
import * as vscode from 'vscode';
import type { ApprovalDecision } from '../../chat/approvals';
import { assertNever, type ConversationView, type HostToWebview, type ModelRef, type ViewState, type WebviewToHost } from '../../shared/protocol';
import type { AnyTool, Workspace } from '../../tools/types';
import type { ApiKeyStore } from '../providers/apiKeyStore';
import { addAlwaysAllowed, readApprovalPolicy, readRiskModes } from './approvalPolicy';
import { addProviderFromPreset, ChatSetupError, errorBanner, prepareProvider, providerViews, selectModel } from '../providers/chatProviderSetup';
import { ChatTurn, finishReason } from './chatTurn';
import { ContextTracker } from '../conversation/contextSettings';
import { titleFrom, toMarkdown, type AssistantTurnView } from '../conversation/conversationMapper';
import { CurrentConversation, newId } from '../conversation/currentConversation';
import type { HistoryStore } from '../conversation/historyStore';
import type { Log } from '../log';
import { McpHost } from '../workspace/mcpHost';
import { authOf } from '../../providers/providerConfig';
import { readProviders } from '../providers/settings';
import { insertCode, runTurnLoop } from './turnLoop';
import { TurnEdits } from '../edits/turnEdits';
import { webviewStrings } from './webviewStrings';

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

/** Where the controller's messages go: a webview, which gets the stream only after it said 'ready'. */
export interface ChatSink {
	post(message: HostToWebview): void;
}

/** Saving waits this long after text (call changes save sooner), so a long answer is not written per token. */
const TEXT_SAVE_MS = 1000;
const CALL_SAVE_MS = 150;

export class ChatController implements vscode.Disposable {
	private readonly current: CurrentConversation;
	private selected: ModelRef | undefined;
	private turn: ChatTurn | undefined;
	private turnDone: Promise<void> = Promise.resolve();
	private disposed = false;
	/** The provider whose auth error ended the last turn: setting its key resends that prompt. */
	private authFailed: string | undefined;
	private readonly sinks = new Map<ChatSink, boolean>();
	private readonly posted = new vscode.EventEmitter<HostToWebview>();
	private readonly subscriptions: vscode.Disposable[] = [this.posted];
	private readonly loaded: Promise<void>;
	private readonly edits: TurnEdits;
	/** The MCP servers of this chat (the MCP Servers command lists them). */
	readonly mcp: McpHost;
	private readonly contextTracker = new ContextTracker();
	/** Every message posted to the panels (the extension-host tests observe the chat through it). */
	readonly onDidPost = this.posted.event;

	constructor(private readonly deps: ChatControllerDeps) {
		this.current = new CurrentConversation(deps.history, deps.log);
		this.loaded = this.current.load();
		this.edits = new TurnEdits({
			conversation: () => this.conversation, post: (message) => this.post(message), save: () => this.current.saveNow(),
			policy: () => readApprovalPolicy(deps.state), workspace: deps.workspace, error: (message, error) => deps.log.error(message, error),
		});
		this.subscriptions.push(this.edits);
		this.mcp = new McpHost(deps.log, { secrets: deps.secrets, state: deps.state });
		this.subscriptions.push(
			deps.keys.onDidChange(() => void this.postState()),
			vscode.workspace.onDidChangeConfiguration((event) => {
				// Select Model (the command or another window) wins over the panel's last choice.
				if (event.affectsConfiguration('switchboard.defaultModel')) this.selected = undefined;
				if (event.affectsConfiguration('switchboard')) void this.postState();
			}),
		);
	}

	/** A surface showing this chat; it receives `init` when it posts 'ready'. */
	attach(sink: ChatSink): vscode.Disposable {
		this.sinks.set(sink, false);
		return { dispose: () => this.sinks.delete(sink) };
	}

	private get conversation() {
		return this.current.value;
	}

	get busy(): boolean {
		return this.turn !== undefined;
	}

	get conversationView(): ConversationView {
		return { id: this.conversation.id, title: this.conversation.title, turns: this.conversation.turns };
	}

	/** Routes one message from a webview (`from` is that webview; the tests post without one). */
	async receive(message: WebviewToHost, from?: ChatSink): Promise<void> {
		await this.loaded;
		switch (message.type) {
			case 'ready': return this.sendInit(from);
			case 'send-prompt': return this.sendPrompt(message.text);
			case 'stop': return this.stop();
			case 'new-chat': return this.newChat();
			case 'approve': return this.approve(message.callId, message.alwaysAllow === true);
			case 'deny': return this.decide(message.callId, message.reason ? { approved: false, reason: message.reason } : { approved: false });
			case 'approve-all': {
				// The host decides which calls one click may answer; the ones that must always ask keep waiting.
				const approved = this.turn?.approvals.approveAll(message.callIds) ?? [];
				if (approved.length < message.callIds.length) this.deps.log.info(`Approve all left ${message.callIds.length - approved.length} call(s) that always ask waiting.`);
				return;
			}
			case 'set-api-key': return this.setApiKey(message.provider);
			case 'add-provider': return this.addProvider();
			case 'select-model': return this.selectModel({ provider: message.provider, model: message.model });
			case 'retry': return this.retry();
			case 'open-settings':
				await vscode.commands.executeCommand('workbench.action.openSettings', message.setting ?? 'switchboard');
				return;
			case 'copy-code':
				await vscode.env.clipboard.writeText(message.code);
				return;
			case 'insert-code': return insertCode(message.code);
			case 'history-open': return this.openFromHistory(message.id);
			case 'history-delete': return this.deleteFromHistory(message.id);
			case 'undo-turn': return this.edits.undoTurn(message.turnId);
			default: assertNever(message);
		}
	}

	/** Starts an empty conversation (the previous one stays in the history). */
	async newChat(): Promise<void> {
		await this.loaded;
		await this.stopAndWait();
		await this.current.saveNow();
		await this.current.startNew();
		this.post({ type: 'conversation', conversation: this.conversationView });
		this.post({ type: 'history', entries: this.deps.history.list() });
	}

	exportMarkdown(): string | undefined {
		return this.conversation.turns.length === 0 ? undefined : toMarkdown(this.conversationView);
	}

	/** Resolves when the running turn (if any) has ended. */
	whenIdle(): Promise<void> {
		return this.turnDone;
	}

	/**
	 * Saves the conversation as it is, a running turn included (a reload restores it as interrupted, pending calls
	 * as not run), then stops listening. The turn is cancelled without being recorded as finished.
	 */
	async shutdown(): Promise<void> {
		if (this.disposed) return;
		await this.loaded;
		this.turn?.flush();
		await this.current.close();
		this.disposed = true;
		this.turn?.abort.abort();
		for (const subscription of this.subscriptions) subscription.dispose();
		this.sinks.clear();
		await this.mcp.close();
	}

	dispose(): void {
		void this.shutdown();
	}

	private post(original: HostToWebview): void {
		if (this.disposed) return;
		const message = this.withoutSecrets(original);
		for (const [sink, ready] of this.sinks) if (ready) sink.post(message);
		this.fire(message);
	}

	/** Error texts come from providers, which may echo the key they were sent (a 401 body, a proxy's 500 page). */
	private withoutSecrets(message: HostToWebview): HostToWebview {
		const redact = (text: string): string => this.deps.log.redact?.(text) ?? text;
		if (message.type === 'error') return { ...message, error: { ...message.error, message: redact(message.error.message) } };
		if (message.type === 'retry-wait') return { ...message, message: redact(message.message) };
		return message;
	}

	private async viewState(): Promise<ViewState> {
		const entries = readProviders(this.deps.log);
		this.selected = selectModel(entries, this.selected);
		return { providers: await providerViews(entries, this.deps.keys), selected: this.selected, approvalDefaults: readRiskModes(), l10n: webviewStrings() };
	}

	private async sendInit(from: ChatSink | undefined): Promise<void> {
		const message: HostToWebview = { type: 'init', state: await this.viewState(), conversation: this.conversationView, history: this.deps.history.list() };
		// A running turn's buffered text is sent before the snapshot so the snapshot holds it and nothing doubles.
		this.turn?.flush();
		const snapshot = { ...message, conversation: this.conversationView };
		if (from) {
			this.sinks.set(from, true);
			from.post(snapshot);
		}
		this.fire(snapshot);
		this.postContext(from);
	}

	/** Observers get a copy: the host keeps mutating its turns, as a webview's structured clone would not see. */
	private fire(message: HostToWebview): void {
		this.posted.fire(structuredClone(message));
	}

	private async postState(): Promise<void> {
		if (!this.disposed) this.post({ type: 'state', state: await this.viewState() });
	}

	private async sendPrompt(text: string): Promise<void> {
		if (!text.trim()) return;
		if (this.turn) {
			this.deps.log.warn('A prompt arrived while a turn was running; the panel should have disabled Send.');
			return;
		}
		const turnId = newId();
		if (this.conversation.turns.length === 0) this.conversation.title = titleFrom(text);
		this.conversation.turns.push({ role: 'user', turnId, text });
		this.conversation.messages.push({ role: 'user', content: [{ type: 'text', text }] });
		this.post({ type: 'user-message', turnId, text });
		// Started before the save so a second prompt meanwhile finds the chat busy.
		this.startTurn();
		await this.current.saveNow();
		this.post({ type: 'history', entries: this.deps.history.list() });
	}

	/** Starts a turn and returns: the turn reports through its messages, and whenIdle() says when it ended. */
	private startTurn(): void {
		this.turnDone = this.runTurn();
	}

	/** Runs the loop from the history as it stands (ending with a user message). Never rejects. */
	private async runTurn(): Promise<void> {
		const view: AssistantTurnView = { role: 'assistant', turnId: newId(), segments: [] };
		const turn = new ChatTurn(view, {
			post: (message) => this.post(message),
			changed: (soon) => this.current.scheduleSave(soon ? CALL_SAVE_MS : TEXT_SAVE_MS),
			policy: () => readApprovalPolicy(this.deps.state),
			warn: (message) => this.deps.log.warn(`model warning: ${message}`),
		});
		this.turn = turn;
		this.authFailed = undefined;
		try {
			const ref = selectModel(readProviders(this.deps.log), this.selected);
			let provider;
			try {
				provider = await prepareProvider(ref, this.deps.keys, this.deps.log);
			} catch (error) {
				if (!(error instanceof ChatSetupError)) throw error;
				this.post({ type: 'error', error: error.banner });
				return;
			}
			if (!ref) return;
			view.model = ref;
			this.conversation.turns.push(view);
			this.post({ type: 'turn-start', turnId: view.turnId, model: ref });
			const conversation = this.conversation;
			const result = await runTurnLoop({ ...this.deps, mcp: this.mcp, edits: this.edits, contextTracker: this.contextTracker }, {
				provider, ref, turn, conversationId: conversation.id, messages: [...conversation.messages],
				// Steps join the history as they complete, so a reload mid-turn replays their tool calls to the model.
				onMessage: (message) => {
					if (!this.disposed) conversation.messages.push(message);
				},
				onContext: (context) => this.post({ type: 'context', context, turnId: view.turnId }),
			});
			// After shutdown the saved snapshot is the truth: a reload restores it as interrupted.
			if (this.disposed) return;
			turn.flush();
			const reason = finishReason(result.error, view, result.steps.at(-1)?.finish);
			view.finish = reason;
			this.post({ type: 'turn-end', turnId: view.turnId, reason });
			if (result.error && result.error.kind !== 'aborted') {
				if (result.error.kind === 'auth') this.authFailed = ref.provider;
				this.post({ type: 'error', turnId: view.turnId, error: errorBanner(result.error, ref.provider) });
			}
		} catch (error) {
			this.deps.log.error('The chat turn failed', error);
			if (!this.disposed) {
				turn.flush();
				if (this.conversation.turns.includes(view)) {
					view.finish = 'error';
					this.post({ type: 'turn-end', turnId: view.turnId, reason: 'error' });
				}
				this.post({ type: 'error', error: { kind: 'internal', message: error instanceof Error ? error.message : String(error) } });
			}
		} finally {
			turn.dispose();
			this.turn = undefined;
			if (!this.disposed) await this.current.saveNow();
		}
	}

	private async retry(): Promise<void> {
		if (this.turn) return;
		const messages = this.conversation.messages;
		let lastUser = messages.length - 1;
		while (lastUser >= 0 && messages[lastUser].role !== 'user') lastUser--;
		if (lastUser < 0) return;
		// The failed attempt stays on screen; the model gets the history as it was before it.
		messages.length = lastUser + 1;
		this.post({ type: 'clear-error' });
		this.startTurn();
	}

	private stop(): void {
		this.turn?.abort.abort();
	}

	private async stopAndWait(): Promise<void> {
		this.stop();
		await this.turnDone;
	}

	private approve(callId: string, alwaysAllow: boolean): void {
		const memo = this.turn?.memo(callId);
		if (alwaysAllow && memo && !memo.forced) {
			void addAlwaysAllowed(this.deps.state, memo.toolName);
			// Other calls of the same tool waiting in this step are covered by the same answer.
			for (const waiting of this.turn?.approvals.waiting ?? []) {
				const other = this.turn?.memo(waiting);
				if (other && other.toolName === memo.toolName && !other.forced) this.decide(waiting, { approved: true });
			}
		}
		this.decide(callId, { approved: true });
	}

	private decide(callId: string, decision: ApprovalDecision): void {
		if (!this.turn?.approvals.resolve(callId, decision)) this.deps.log.warn(`No call ${callId} is waiting for approval.`);
	}

	/**
	 * After the key that a prompt was waiting for is set (none was set, or the provider refused the old one), that
	 * prompt is sent again: the user never types it twice.
	 */
	private async setApiKey(provider: string | undefined): Promise<void> {
		const stored = await vscode.commands.executeCommand<boolean>('switchboard.setApiKey', provider) === true;
		await this.postState();
		if (!stored || !provider || this.turn) return;
		const waiting = this.conversation.turns.at(-1)?.role === 'user';
		if (waiting) {
			this.post({ type: 'clear-error' });
			this.startTurn();
		} else if (this.authFailed === provider) {
			await this.retry();
		}
	}

	private async addProvider(): Promise<void> {
		const id = await addProviderFromPreset(this.deps.log, this.deps.keys);
		if (!id) return;
		const entry = readProviders(this.deps.log).find((candidate) => candidate.id === id);
		this.selected = entry?.models[0] ? { provider: id, model: entry.models[0] } : undefined;
		await this.postState();
		if (entry && authOf(entry).type === 'apiKey') await vscode.commands.executeCommand('switchboard.setApiKey', id);
	}

	private async selectModel(ref: ModelRef): Promise<void> {
		this.selected = ref;
		await vscode.workspace.getConfiguration('switchboard').update('defaultModel', `${ref.provider}/${ref.model}`, vscode.ConfigurationTarget.Global);
		await this.postState();
	}

	private async openFromHistory(id: string): Promise<void> {
		if (id === this.conversation.id) return;
		await this.stopAndWait();
		if (!(await this.current.open(id))) {
			this.post({ type: 'error', error: { kind: 'history', message: vscode.l10n.t('That chat could not be read; it may have been deleted.') } });
			return;
		}
		this.post({ type: 'conversation', conversation: this.conversationView });
		this.postContext();
	}

	private async deleteFromHistory(id: string): Promise<void> {
		if (id === this.conversation.id) {
			await this.stopAndWait();
			await this.current.startNew();
			this.post({ type: 'conversation', conversation: this.conversationView });
		}
		await this.deps.history.delete(id);
		this.contextTracker.forget(id);
		this.post({ type: 'history', entries: this.deps.history.list() });
	}

	/** The meter's last reading for this conversation, to one panel (after its init) or to all. */
	private postContext(to?: ChatSink): void {
		const context = this.contextTracker.view(this.conversation.id);
		if (!context || this.disposed) return;
		const message: HostToWebview = { type: 'context', context };
		if (to) {
			to.post(message);
			this.fire(message);
		} else this.post(message);
	}
}
