// The panel's conversation actions: the snapshot a panel starts from, New Chat, opening and deleting a chat of the
// history, Export. Each one that leaves the current conversation stops its turn first and saves it.
import * as vscode from 'vscode';
import type { ConversationView, HostToWebview, ViewState } from '../../shared/protocol';
import type { ChatSink } from '../chat/chatPanels';
import { toMarkdown } from './conversationText';
import type { ContextTracker } from './contextTracker';
import type { CurrentConversation } from './currentConversation';
import type { HistoryStore } from './historyStore';

export interface ConversationActionsHost {
	current: CurrentConversation;
	history: HistoryStore;
	contextTracker: ContextTracker;
	post(message: HostToWebview): void;
	/** To one panel (its init), which is ready from then on. */
	postTo(sink: ChatSink | undefined, message: HostToWebview, ready?: boolean): void;
	closed(): boolean;
	/** Stops the running turn and waits for its end. */
	stopTurn(): Promise<void>;
	/** Sends a running turn's buffered text, so a snapshot taken next holds it. */
	flushTurn(): void;
}

export class ConversationActions {
	constructor(private readonly host: ConversationActionsHost) {}

	get view(): ConversationView {
		const { id, title, turns } = this.host.current.value;
		return { id, title, turns };
	}

	/** The whole chat for a panel that just loaded, then its context meter. */
	init(from: ChatSink | undefined, state: ViewState): void {
		const { history } = this.host;
		const message: HostToWebview = { type: 'init', state, conversation: this.view, history: history.list() };
		// A running turn's buffered text is sent before the snapshot so the snapshot holds it and nothing doubles.
		this.host.flushTurn();
		this.host.postTo(from, { ...message, conversation: this.view }, true);
		this.postContext(from);
	}

	/** Starts an empty conversation (the previous one stays in the history). */
	async newChat(): Promise<void> {
		const { current, history } = this.host;
		await this.host.stopTurn();
		await current.saveNow();
		await current.startNew();
		this.host.post({ type: 'conversation', conversation: this.view });
		this.host.post({ type: 'history', entries: history.list() });
	}

	async open(id: string): Promise<void> {
		if (id === this.host.current.value.id) return;
		await this.host.stopTurn();
		if (!(await this.host.current.open(id))) {
			this.host.post({ type: 'error', error: { kind: 'history', message: vscode.l10n.t('That chat could not be read; it may have been deleted.') } });
			return;
		}
		this.host.post({ type: 'conversation', conversation: this.view });
		this.postContext();
	}

	async delete(id: string): Promise<void> {
		const { current, history, contextTracker } = this.host;
		if (id === current.value.id) {
			await this.host.stopTurn();
			await current.startNew();
			this.host.post({ type: 'conversation', conversation: this.view });
		}
		await history.delete(id);
		contextTracker.forget(id);
		this.host.post({ type: 'history', entries: history.list() });
	}

	/** Export Chat's Markdown, or undefined for an empty chat. */
	exportMarkdown(): string | undefined {
		return this.host.current.value.turns.length === 0 ? undefined : toMarkdown(this.view);
	}

	/** The meter's last reading for this conversation, to one panel (after its init) or to all. */
	private postContext(to?: ChatSink): void {
		const context = this.host.contextTracker.view(this.host.current.value.id);
		if (!context || this.host.closed()) return;
		const message: HostToWebview = { type: 'context', context };
		if (to) this.host.postTo(to, message);
		else this.host.post(message);
	}
}
