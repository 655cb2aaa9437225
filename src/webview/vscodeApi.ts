// The only door to the host. acquireVsCodeApi may be called once per page, so it is wrapped here.
import type { WebviewToHost } from '../shared/protocol';

/** What survives the webview being hidden and shown again. Never a key, never the conversation. */
export interface PersistedState {
	draft: string;
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
	if (typeof saved === 'object' && saved !== null && typeof (saved as { draft?: unknown }).draft === 'string') {
		return { draft: (saved as PersistedState).draft };
	}
	return { draft: '' };
}

export function saveState(state: PersistedState): void {
	api.setState(state);
}
