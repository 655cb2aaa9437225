// The chat's surfaces: the sidebar webview view and, on Open Chat, an editor tab. Both show the one conversation of
// the shared ChatController, so what happens in one is on screen in the other. Each webview loads the bundle under a
// nonce CSP with resources limited to dist/ and media/; messages go through the typed union only.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { WebviewToHost } from '../../shared/protocol';
import { ChatController, type ChatControllerDeps } from './chatController';
import { webviewStringsAttribute } from './webviewStrings';
import type { ChatSurface } from './chatSurface';

const PANEL_TYPE = 'switchboard.chatPanel';

function isMessage(value: unknown): value is WebviewToHost {
	return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export class ChatViewProvider implements ChatSurface, vscode.Disposable {
	private resolved = 0;
	private current: ChatController;
	private panel: vscode.WebviewPanel | undefined;
	private readonly webviews = new Map<vscode.Webview, vscode.Disposable[]>();

	constructor(private readonly extensionUri: vscode.Uri, private readonly deps: ChatControllerDeps) {
		this.current = new ChatController(deps);
	}

	get resolveCount(): number {
		return this.resolved;
	}

	/** The controller behind every surface (the extension-host tests drive it through its message API). */
	get controller(): ChatController {
		return this.current;
	}

	resolveWebviewView(view: vscode.WebviewView): void {
		this.resolved++;
		this.show(view.webview);
		view.onDidDispose(() => this.hide(view.webview));
	}

	openInEditor(): void {
		if (this.panel) {
			this.panel.reveal();
			return;
		}
		const panel = vscode.window.createWebviewPanel(PANEL_TYPE, vscode.l10n.t('Switchboard Chat'), vscode.ViewColumn.Active, { ...this.options(), retainContextWhenHidden: true });
		panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
		this.panel = panel;
		this.show(panel.webview);
		panel.onDidDispose(() => {
			this.hide(panel.webview);
			this.panel = undefined;
		});
	}

	newChat(): void {
		void this.current.newChat();
		if (!this.panel?.visible) void vscode.commands.executeCommand('switchboard.chatView.focus');
	}

	exportMarkdown(): string | undefined {
		return this.current.exportMarkdown();
	}

	/**
	 * Saves and drops the controller and builds a new one from the history store, as a window reload would; open
	 * webviews are reloaded too. For the extension-host tests.
	 */
	async reloadController(): Promise<ChatController> {
		await this.current.shutdown();
		this.current = new ChatController(this.deps);
		for (const webview of [...this.webviews.keys()]) {
			this.hide(webview);
			try {
				this.show(webview);
			} catch {
				// Disposed, its dispose event not delivered yet: nothing to reload.
				this.hide(webview);
			}
		}
		return this.current;
	}

	dispose(): void {
		for (const webview of [...this.webviews.keys()]) this.hide(webview);
		this.panel?.dispose();
		this.current.dispose();
	}

	private show(webview: vscode.Webview): void {
		webview.options = this.options();
		const sink = { post: (message: unknown) => void webview.postMessage(message) };
		const controller = this.current;
		const subscriptions = [
			controller.attach(sink),
			webview.onDidReceiveMessage((message: unknown) => {
				if (!isMessage(message)) return;
				controller.receive(message, sink).catch((error: unknown) => {
					this.deps.log.error(`Handling '${message.type}' from the chat panel failed`, error);
				});
			}),
		];
		this.webviews.set(webview, subscriptions);
		// Setting html (re)loads the page, which posts 'ready' and gets the conversation in 'init'.
		webview.html = this.html(webview);
	}

	private hide(webview: vscode.Webview): void {
		for (const subscription of this.webviews.get(webview) ?? []) subscription.dispose();
		this.webviews.delete(webview);
	}

	private options(): vscode.WebviewOptions {
		return {
			enableScripts: true,
			localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
		};
	}

	private html(webview: vscode.Webview): string {
		const nonce = randomBytes(16).toString('base64');
		const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
		const codicons = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'codicon.css'));
		const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'webview.css'));
		const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${webview.cspSource}; img-src ${webview.cspSource} data:; font-src ${webview.cspSource}`;
		return `<!DOCTYPE html>
<html lang="${vscode.env.language}"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="switchboard-l10n" content="${webviewStringsAttribute()}">
<link rel="stylesheet" href="${codicons.toString()}">
<link rel="stylesheet" href="${style.toString()}">
<title>Switchboard Chat</title></head>
<body><script nonce="${nonce}" src="${script.toString()}"></script></body></html>`;
	}
}
