// The one message union between the extension host and the chat webview. Imported with `import type` on both
// sides (only assertNever is a value). Pure TypeScript: no 'vscode', no DOM. The webview never receives a key:
// providers carry `hasKey` only.
import type { FinishReason, ImageMediaType, Usage } from './chat';
import type { ModelPrice } from './cost';
import type { ApprovalMode, Risk, ToolCall } from './toolCall';

/** A provider entry as the panel shows it. */
export interface ProviderView {
	id: string;
	/** Display name, e.g. "DeepSeek" or "Demo (scripted)". */
	label: string;
	/** How it authenticates; 'apiKey' providers need a key before the first request. */
	auth: 'apiKey' | 'none' | 'command';
	/** True when a key is stored in SecretStorage. Never the key itself. */
	hasKey: boolean;
	models: string[];
	/** Models whose profile says they read no images: the composer refuses to send one to them. */
	textOnlyModels?: string[];
}

/** An image attached to a prompt: base64 bytes (no data: prefix), already downscaled by the panel. */
export interface ImageAttachment {
	mediaType: ImageMediaType;
	data: string;
	/** The file name or "pasted image", for the thumbnail's accessible name and the export. */
	name?: string;
}

export interface ModelRef {
	provider: string;
	model: string;
}

/** Everything the panel needs besides the conversation. Sent on `init` and again whenever it changes. */
export interface ViewState {
	providers: ProviderView[];
	selected?: ModelRef;
	/** The approval policy per risk class, shown as a hint on cards. */
	approvalDefaults: Record<Risk, ApprovalMode>;
	/** Optional translated UI strings, keyed as in src/webview/l10n.ts; missing keys fall back to English. */
	l10n?: Record<string, string>;
}

/** A piece of an assistant turn, in arrival order. */
export type SegmentView =
	| { kind: 'text'; text: string }
	| { kind: 'reasoning'; text: string }
	| { kind: 'tool'; call: ToolCall }
	/** Where the conversation was compacted: the older messages, condensed, shown collapsed. */
	| { kind: 'compaction'; summary: ContextSummaryView };

export type TurnView =
	| { role: 'user'; turnId: string; text: string; attachments?: AttachmentChipView[]; images?: ImageAttachment[] }
	| {
		role: 'assistant';
		turnId: string;
		segments: SegmentView[];
		model?: ModelRef;
		usage?: Usage;
		/** The model's price when the turn ran (absent: unknown, tokens only). */
		price?: ModelPrice;
		/** Absent while the turn is still running. */
		finish?: FinishReason;
		/** The files this turn wrote (edit_file, create_file), and whether "Undo this turn's changes" was used. */
		changes?: TurnChangesView;
	};

export interface TurnChangesView {
	/** Display paths, in the order the turn first wrote them. */
	files: string[];
	undone: boolean;
}

/** A whole conversation, to restore the panel after a reload or to open one from history. */
export interface ConversationView {
	id: string;
	title?: string;
	turns: TurnView[];
}

export interface HistoryEntry {
	id: string;
	title: string;
	/** Epoch milliseconds of the last message (opening or renaming a chat does not count). */
	updatedAt: number;
	/** In search results: where the query matched in the messages, with some words around it. */
	snippet?: string;
}

/** The button a banner offers to fix its error. */
export type ErrorAction = 'set-api-key' | 'retry' | 'open-settings';

export interface ErrorBannerView {
	/** A ProviderErrorKind or a host-side kind ('config', 'tool'); shown as a title. */
	kind: string;
	message: string;
	action?: ErrorAction;
	/** The provider concerned, for 'set-api-key'. */
	provider?: string;
	/** For 'open-settings': the setting to reveal, e.g. 'switchboard.providers'. */
	setting?: string;
}

/** The oldest turns condensed into one message: by the model, or (byModel false) left out with a note. */
export interface ContextSummaryView {
	text: string;
	/** How many earlier messages it stands for. */
	replacedCount: number;
	byModel: boolean;
}

/** How full the model's context is before the latest request, and what was condensed to make it fit. */
export interface ContextView {
	/** The prompt's estimated size in tokens (calibrated by the provider's reported usage). */
	usedTokens: number;
	windowTokens: number;
	/** The oldest turns, condensed into one message; the user can expand it. */
	summary?: ContextSummaryView;
	/** Old tool results shortened for the latest request. */
	elidedToolResults?: number;
}

/**
 * What the user attached to a message. A selection carries its text as it was when picked; files, folders and
 * problems are read by the host when the message is sent.
 */
export type AttachmentRef =
	| { kind: 'file'; path: string }
	| { kind: 'folder'; path: string }
	| { kind: 'selection'; path: string; startLine: number; endLine: number; text: string }
	| { kind: 'problems' };

/** An attachment as a chip in the transcript: saved with the chat. */
export interface AttachmentChipView {
	kind: AttachmentRef['kind'];
	/** "src/app.ts", "src/app.ts:10-24", "src/", "Problems". */
	label: string;
	/** The workspace path, to open it (file, folder, selection). */
	path?: string;
	/** Characters left out because the content was over the size limit. */
	omitted?: number;
	/** Why it could not be attached (the file was gone, binary, outside the workspace); nothing was sent for it. */
	error?: string;
}

/** A row of the '@' picker. */
export interface MentionItem {
	ref: AttachmentRef;
	label: string;
	/** The folder of a file, or what @selection / @file / @problems stand for. */
	detail?: string;
}

/** A project rule file (AGENTS.md, .github/copilot-instructions.md, the user's switchboard.rules.files). */
export interface RuleFileView {
	/** Workspace-relative, or absolute for a user file outside the workspace. */
	path: string;
	/** Whether it goes into this chat's system prompt. */
	active: boolean;
	/** Off because the workspace is in Restricted Mode and the user has not switched it on. */
	restricted?: boolean;
	/** Characters left out because the file was over the size limit. */
	omitted?: number;
}

export type HostToWebview =
	| { type: 'init'; state: ViewState; conversation: ConversationView; history: HistoryEntry[] }
	| { type: 'state'; state: ViewState }
	/** Replaces the transcript: New Chat (an empty conversation) or a conversation opened from history. */
	| { type: 'conversation'; conversation: ConversationView }
	| { type: 'history'; entries: HistoryEntry[] }
	/** The chats matching `query` (titles and message text), newest activity first. */
	| { type: 'history-results'; query: string; entries: HistoryEntry[] }
	/** A chat was deleted; the panel offers to undo it for a while. */
	| { type: 'history-deleted'; id: string; title: string }
	| { type: 'user-message'; turnId: string; text: string; attachments?: AttachmentChipView[]; images?: ImageAttachment[] }
	| { type: 'turn-start'; turnId: string; model?: ModelRef; price?: ModelPrice }
	/** Deltas are batched by the host; `text` is appended to the turn's current text segment. */
	| { type: 'text-delta'; turnId: string; text: string }
	| { type: 'reasoning-delta'; turnId: string; text: string }
	/** Creates or replaces the card keyed by `call.callId`. */
	| { type: 'tool-call'; turnId: string; call: ToolCall }
	/** The turn's total so far (summed over its model requests), replacing the previous value. */
	| { type: 'usage'; turnId: string; usage: Usage }
	| { type: 'retry-wait'; turnId: string; attempt: number; delayMs: number; message: string }
	/** 'interrupted' marks a partial answer that stays on screen. */
	| { type: 'turn-end'; turnId: string; reason: FinishReason }
	| { type: 'error'; turnId?: string; error: ErrorBannerView }
	/** The files a turn changed so far (or after an undo), shown as a row under the turn. */
	| { type: 'turn-files'; turnId: string; changes: TurnChangesView }
	| { type: 'clear-error' }
	/**
	 * The context meter; sent before each model request, and after 'init' when the host knows one. With `turnId`
	 * (the running turn), a summary not yet in the transcript is shown there, where the compaction happened.
	 */
	| { type: 'context'; context: ContextView; turnId?: string }
	/** The answer to a 'mention-query': the best matches first. */
	/** `searching`: the file list is still being read (the first '@' in a large workspace); a full answer follows. */
	| { type: 'mention-results'; query: string; items: MentionItem[]; searching?: boolean }
	/** A chip for the composer (Add Selection / Add File to Chat). */
	| { type: 'add-attachment'; attachment: AttachmentRef }
	/** Focus Chat: the keyboard goes to the message box. */
	| { type: 'focus-composer' }
	/** The project rule files found for this chat, whether each goes into the system prompt. */
	| { type: 'rules'; rules: RuleFileView[] };

export type WebviewToHost =
	| { type: 'ready' }
	| { type: 'send-prompt'; text: string; attachments?: AttachmentRef[]; images?: ImageAttachment[] }
	/** Cancels the stream or the running tool. */
	| { type: 'stop' }
	| { type: 'new-chat' }
	| { type: 'approve'; callId: string; alwaysAllow?: boolean }
	| { type: 'deny'; callId: string; reason?: string }
	| { type: 'approve-all'; callIds: string[] }
	/** The host asks for the key in a password input box. */
	| { type: 'set-api-key'; provider?: string }
	/** The host offers the provider presets (empty state step 1). */
	| { type: 'add-provider' }
	| { type: 'select-model'; provider: string; model: string }
	| { type: 'retry' }
	| { type: 'open-settings'; setting?: string }
	| { type: 'copy-code'; code: string }
	| { type: 'insert-code'; code: string }
	| { type: 'history-open'; id: string }
	| { type: 'history-delete'; id: string }
	| { type: 'history-undo-delete'; id: string }
	| { type: 'history-rename'; id: string; title: string }
	| { type: 'history-search'; query: string }
	/** Restores every file the turn changed to its content before the turn (files it created are deleted). */
	| { type: 'undo-turn'; turnId: string }
	/** Typing after '@' in the composer: the host answers with 'mention-results'. */
	| { type: 'mention-query'; query: string }
	/** A rule chip's switch: on or off for this chat only. */
	| { type: 'rule-toggle'; path: string; active: boolean }
	/** Opens a workspace file in an editor (a rule chip, an attachment chip). */
	| { type: 'open-file'; path: string };

/** Ends every switch over a union so a new member is a compile error. */
export function assertNever(value: never): never {
	throw new Error(`Unhandled message: ${JSON.stringify(value)}`);
}
