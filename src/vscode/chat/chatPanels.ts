// The webviews showing the chat (the sidebar view, the editor tab) as one audience: a message goes to each panel
// that said 'ready', without the keys a provider's error text may echo, and to observers (the extension-host tests).
import * as vscode from 'vscode';
import type { HostToWebview } from '../../shared/protocol';

/** Where the controller's messages go: a webview, which gets the stream only after it said 'ready'. */
export interface ChatSink {
	post(message: HostToWebview): void;
}

export class ChatPanels implements vscode.Disposable {
	/** Each surface, and whether it has had its `init` (before that it gets nothing: the snapshot will hold it). */
	private readonly sinks = new Map<ChatSink, boolean>();
	private readonly posted = new vscode.EventEmitter<HostToWebview>();
	private isClosed = false;
	/** Every message posted to the panels. */
	readonly onDidPost = this.posted.event;

	constructor(private readonly redact: (text: string) => string) {}

	/** True once closed: nothing more is posted, and a running turn's end is not recorded. */
	get closed(): boolean {
		return this.isClosed;
	}

	attach(sink: ChatSink): vscode.Disposable {
		this.sinks.set(sink, false);
		return { dispose: () => this.sinks.delete(sink) };
	}

	/** To every ready panel. */
	post(original: HostToWebview): void {
		if (this.isClosed) return;
		const message = withoutSecrets(original, this.redact);
		for (const [sink, ready] of this.sinks) if (ready) sink.post(message);
		this.fire(message);
	}

	/** To one panel only (its init and what follows it), which from then on gets every message. */
	postTo(sink: ChatSink | undefined, message: HostToWebview, ready = false): void {
		if (sink) {
			if (ready) this.sinks.set(sink, true);
			sink.post(message);
		}
		this.fire(message);
	}

	close(): void {
		this.isClosed = true;
		this.sinks.clear();
		this.posted.dispose();
	}

	dispose(): void {
		this.close();
	}

	/** Observers get a copy: the host keeps mutating its turns, as a webview's structured clone would not see. */
	private fire(message: HostToWebview): void {
		this.posted.fire(structuredClone(message));
	}
}

/** Error texts come from providers, which may echo the key they were sent (a 401 body, a proxy's 500 page). */
export function withoutSecrets(message: HostToWebview, redact: (text: string) => string): HostToWebview {
	if (message.type === 'error') return { ...message, error: { ...message.error, message: redact(message.error.message) } };
	if (message.type === 'retry-wait') return { ...message, message: redact(message.message) };
	return message;
}
