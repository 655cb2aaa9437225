// A minimal chat surface until the full webview chat lands: the empty state with its two steps (configure a
// provider, set its key), under the same CSP and resource rules the real view uses.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatSurface } from './chatSurface';

type PlaceholderMessage = { type: 'open-settings' } | { type: 'set-api-key' };

function isPlaceholderMessage(value: unknown): value is PlaceholderMessage {
	const type = (value as { type?: unknown } | null)?.type;
	return type === 'open-settings' || type === 'set-api-key';
}

export class ChatViewPlaceholder implements ChatSurface {
	private resolved = 0;

	constructor(private readonly extensionUri: vscode.Uri) {}

	get resolveCount(): number {
		return this.resolved;
	}

	resolveWebviewView(view: vscode.WebviewView): void {
		this.resolved++;
		this.render(view.webview);
	}

	openInEditor(): void {
		const panel = vscode.window.createWebviewPanel('switchboard.chatPanel', 'Switchboard Chat', vscode.ViewColumn.Active, this.options());
		panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
		this.render(panel.webview);
	}

	newChat(): void {
		void vscode.commands.executeCommand('switchboard.chatView.focus');
	}

	exportMarkdown(): string | undefined {
		return undefined;
	}

	private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
		return {
			enableScripts: true,
			localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
		};
	}

	private render(webview: vscode.Webview): void {
		webview.options = this.options();
		webview.onDidReceiveMessage((message: unknown) => {
			if (!isPlaceholderMessage(message)) return;
			if (message.type === 'open-settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'switchboard.providers');
			else void vscode.commands.executeCommand('switchboard.setApiKey');
		});
		const nonce = randomBytes(16).toString('base64');
		webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Switchboard</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 12px; }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 10px; margin: 4px 0; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
</style></head>
<body>
<h2>Switchboard</h2>
<p>Chat with any model that speaks the OpenAI Chat Completions or Anthropic Messages protocol, and let it use workspace tools you approve.</p>
<ol>
<li><button id="settings">Add a provider</button> in <code>switchboard.providers</code> (a preset such as openai, anthropic or ollama).</li>
<li><button id="key">Set its API key</button>, kept in VS Code's secret storage.</li>
</ol>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('settings').addEventListener('click', () => vscode.postMessage({ type: 'open-settings' }));
document.getElementById('key').addEventListener('click', () => vscode.postMessage({ type: 'set-api-key' }));
</script>
</body></html>`;
	}
}
