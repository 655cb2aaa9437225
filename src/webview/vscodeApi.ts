// The only door to the host. acquireVsCodeApi may be called once per page, so it is wrapped here.
import type { AttachmentRef, WebviewToHost } from '../shared/protocol';

/** What survives the webview being hidden and shown again or reloaded. Never a key, never the conversation. */
export interface PersistedState {
	draft: string;
	/** The composer's chips, sent with the draft when it goes. */
	attachments: AttachmentRef[];
}

interface VsCodeApi {
	postMessage(message: unknown): void;
	getState(): unknown;
	setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: WebviewToHost): void {
	api.postMessage(message);
}

export function loadState(): PersistedState {
	const saved = api.getState();
	if (typeof saved !== 'object' || saved === null) return { draft: '', attachments: [] };
	const { draft, attachments } = saved as { draft?: unknown; attachments?: unknown };
	// Saved by this panel, but read as untrusted: a chip that does not check out is dropped, the rest kept.
	return { draft: typeof draft === 'string' ? draft : '', attachments: Array.isArray(attachments) ? attachments.filter(isAttachmentRef) : [] };
}

function isAttachmentRef(value: unknown): value is AttachmentRef {
	if (typeof value !== 'object' || value === null) return false;
	const ref = value as Record<string, unknown>;
	switch (ref.kind) {
		case 'problems': return true;
		case 'file':
		case 'folder': return typeof ref.path === 'string';
		case 'selection':
			return typeof ref.path === 'string' && typeof ref.text === 'string' && Number.isInteger(ref.startLine) && Number.isInteger(ref.endLine);
		default: return false;
	}
}

export function saveState(state: PersistedState): void {
	api.setState(state);
}
