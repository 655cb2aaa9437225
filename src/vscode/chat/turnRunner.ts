// The chat's turns, one at a time: a prompt starts one, Retry and a newly set key start one again from the history
// as it stands, Stop cancels it. Each turn gets its provider (prepareProvider), runs the agent loop (turnLoop.ts)
// with ChatTurn turning its events into panel messages, and ends saved with a finish reason or an error banner.
import type * as vscode from 'vscode';
import type { ResolvedAttachments } from '../../chat/attachments/resolveAttachments';
import type { HistoryEntry, HostToWebview, ImageAttachment, ModelRef } from '../../shared/protocol';
import type { AssistantTurn } from '../../shared/transcript';
import { ChatSetupError, errorBanner, prepareProvider } from '../providers/chatProviderSetup';
import type { ApiKeyStore } from '../providers/apiKeyStore';
import { titleFrom } from '../conversation/conversationText';
import { newId, type CurrentConversation } from '../conversation/currentConversation';
import type { HistoryStore } from '../conversation/historyStore';
import type { Log } from '../log';
import { readApprovalPolicy } from './approvalPolicy';
import { ChatTurn, finishReason } from './chatTurn';
import { runTurnLoop, type TurnLoopDeps } from './turnLoop';
import { imagesRefused } from './promptParts';
import { userMessage, userTurn } from '../conversation/promptMessage';
import { priceOfRef } from '../../providers/modelPrices';
import { readProviders } from '../providers/settings';

/** Saving waits this long after text (call changes save sooner), so a long answer is not written per token. */
const TEXT_SAVE_MS = 1000;
const CALL_SAVE_MS = 150;

export interface TurnRunnerHost {
	keys: ApiKeyStore;
	log: Log;
	history: HistoryStore;
	/** workspaceState: the approval policy's "Always allow" list. */
	state: vscode.Memento;
	current: CurrentConversation;
	/** What runTurnLoop needs besides the turn: tools, MCP, edits, the context tracker. */
	loop: TurnLoopDeps;
	post(message: HostToWebview): void;
	/** The model the next turn talks to. */
	model(): ModelRef | undefined;
	/** True once the chat is shut down: the saved snapshot is then the truth and a turn's end is not recorded. */
	closed(): boolean;
}

export class TurnRunner {
	private running: ChatTurn | undefined;
	private done: Promise<void> = Promise.resolve();
	/** The provider whose auth error ended the last turn: setting its key resends that prompt. */
	private authFailed: string | undefined;

	constructor(private readonly host: TurnRunnerHost) {}

	/** The running turn, if any (its approvals are answered through it). */
	get turn(): ChatTurn | undefined {
		return this.running;
	}

	/** Resolves when the running turn (if any) has ended. */
	whenIdle(): Promise<void> {
		return this.done;
	}

	/** `attached`: what the user attached, already read (it goes after their text, and as chips on the turn). */
	async sendPrompt(text: string, attached: ResolvedAttachments = { parts: [], chips: [] }, images: ImageAttachment[] = []): Promise<void> {
		if (!text.trim() && images.length === 0) return;
		if (this.running) {
			this.host.log.warn('A prompt arrived while a turn was running; the panel should have disabled Send.');
			return;
		}
		const refused = imagesRefused(images, readProviders(this.host.log), this.host.model());
		if (refused) return this.host.post({ type: 'error', error: refused });
		const { current, history } = this.host;
		const conversation = current.value;
		const turnId = newId();
		if (conversation.turns.length === 0) conversation.title = titleFrom(text);
		conversation.turns.push(userTurn(turnId, text, images, attached.chips));
		conversation.messages.push(userMessage(text, images, attached.parts));
		current.touch();
		const chips = attached.chips.length > 0 ? { attachments: attached.chips } : {};
		this.host.post({ type: 'user-message', turnId, text, ...chips, ...(images.length > 0 && { images }) });
		const listed = history.list();
		// Started before the save so a second prompt meanwhile finds the chat busy.
		this.start();
		await current.saveNow();
		// The list goes to the panel now only when this chat joined it, moved up or was renamed; otherwise only its
		// time changed, which comes with the turn's end: the first words of the answer need the way to the panel.
		const entries = history.list();
		if (!sameOrder(listed, entries)) this.host.post({ type: 'history', entries });
	}

	async retry(): Promise<void> {
		if (this.running) return;
		const messages = this.host.current.value.messages;
		let lastUser = messages.length - 1;
		while (lastUser >= 0 && messages[lastUser].role !== 'user') lastUser--;
		if (lastUser < 0) return;
		// The failed attempt stays on screen; the model gets the history as it was before it.
		messages.length = lastUser + 1;
		this.host.post({ type: 'clear-error' });
		this.start();
	}

	/**
	 * After the key that a prompt was waiting for is set (none was set, or the provider refused the old one), that
	 * prompt is sent again: the user never types it twice.
	 */
	async keySet(provider: string | undefined): Promise<void> {
		if (!provider || this.running) return;
		const waiting = this.host.current.value.turns.at(-1)?.role === 'user';
		if (waiting) {
			this.host.post({ type: 'clear-error' });
			this.start();
		} else if (this.authFailed === provider) {
			await this.retry();
		}
	}

	stop(): void {
		this.running?.abort.abort();
	}

	async stopAndWait(): Promise<void> {
		this.stop();
		await this.done;
	}

	/** Starts a turn and returns: the turn reports through its messages, and whenIdle() says when it ended. */
	private start(): void {
		this.done = this.run();
	}

	/** Runs the loop from the history as it stands (ending with a user message). Never rejects. */
	private async run(): Promise<void> {
		const { host } = this;
		const view: AssistantTurn = { role: 'assistant', turnId: newId(), segments: [] };
		const turn = new ChatTurn(view, {
			post: (message) => host.post(message),
			changed: (soon) => host.current.scheduleSave(soon ? CALL_SAVE_MS : TEXT_SAVE_MS),
			policy: () => readApprovalPolicy(host.state),
			warn: (message) => host.log.warn(`model warning: ${message}`),
			error: (message, error) => host.log.error(message, error),
		});
		this.running = turn;
		this.authFailed = undefined;
		try {
			const ref = host.model();
			let provider;
			try {
				provider = await prepareProvider(ref, host.keys, host.log);
			} catch (error) {
				if (!(error instanceof ChatSetupError)) throw error;
				host.post({ type: 'error', error: error.banner });
				return;
			}
			if (!ref) return;
			view.model = ref;
			view.price = priceOfRef(readProviders(host.log), ref);
			const conversation = host.current.value;
			conversation.turns.push(view);
			host.post({ type: 'turn-start', turnId: view.turnId, model: ref, ...(view.price && { price: view.price }) });
			const result = await runTurnLoop(host.loop, {
				provider, ref, turn, conversationId: conversation.id, messages: [...conversation.messages],
				// Steps join the history as they complete, so a reload mid-turn replays their tool calls to the model.
				onMessage: (message) => {
					if (!host.closed()) conversation.messages.push(message);
				},
				onContext: (context) => turn.postWithNext({ type: 'context', context, turnId: view.turnId }),
			});
			// After shutdown the saved snapshot is the truth: a reload restores it as interrupted.
			if (host.closed()) return;
			turn.flush();
			const reason = finishReason(result.error, view, result.steps.at(-1)?.finish);
			view.finish = reason;
			host.post({ type: 'turn-end', turnId: view.turnId, reason });
			if (result.error && result.error.kind !== 'aborted') {
				if (result.error.kind === 'auth') this.authFailed = ref.provider;
				host.post({ type: 'error', turnId: view.turnId, error: errorBanner(result.error, ref.provider) });
			}
		} catch (error) {
			host.log.error('The chat turn failed', error);
			if (!host.closed()) {
				turn.flush();
				if (host.current.value.turns.includes(view)) {
					view.finish = 'error';
					host.post({ type: 'turn-end', turnId: view.turnId, reason: 'error' });
				}
				host.post({ type: 'error', error: { kind: 'internal', message: error instanceof Error ? error.message : String(error) } });
			}
		} finally {
			turn.dispose();
			this.running = undefined;
			if (!host.closed()) {
				await host.current.saveNow();
				host.post({ type: 'history', entries: host.history.list() });
			}
		}
	}
}

function sameOrder(before: readonly HistoryEntry[], after: readonly HistoryEntry[]): boolean {
	return before.length === after.length && before.every((entry, index) => entry.id === after[index].id && entry.title === after[index].title);
}
