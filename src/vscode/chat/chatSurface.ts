// What the commands and the tests need from the chat UI (implemented by chatViewProvider.ts).
import type * as vscode from 'vscode';

export interface ChatSurface extends vscode.WebviewViewProvider {
	/** How many times VS Code resolved the view; the extension-host tests wait for it to reach 1. */
	readonly resolveCount: number;
	/** Opens the same chat in an editor tab. */
	openInEditor(): void;
	newChat(): void;
	/** The current conversation as Markdown, or undefined when there is none. */
	exportMarkdown(): string | undefined;
}

export const CHAT_VIEW_ID = 'switchboard.chatView';
