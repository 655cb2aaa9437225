// Helpers for the chat tests in the extension host: a scripted OpenAI-compatible server configured as a provider,
// and a recorder of what the chat controller posts to its panels (the webview's view of the chat).
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
import type { HostToWebview, ToolCallView } from '../../src/shared/protocol';
import type { ChatController } from '../../src/vscode/chat/chatController';
import { openaiSse, type ScriptedResponse } from '../support/scriptedServer';
import { waitFor } from './support';

export const MODEL = 'scripted-model';

export async function configureProviders(providers: unknown[], defaultModel: string): Promise<void> {
	const config = vscode.workspace.getConfiguration('switchboard');
	await config.update('providers', providers, vscode.ConfigurationTarget.Global);
	await config.update('defaultModel', defaultModel, vscode.ConfigurationTarget.Global);
}

export async function clearSettings(): Promise<void> {
	const config = vscode.workspace.getConfiguration('switchboard');
	await config.update('providers', undefined, vscode.ConfigurationTarget.Global);
	await config.update('defaultModel', undefined, vscode.ConfigurationTarget.Global);
	for (const risk of ['read', 'write', 'execute']) await config.update(`approval.${risk}`, undefined, vscode.ConfigurationTarget.Global);
}

function chunk(delta: Record<string, unknown>, finish: string | null = null): unknown {
	return { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1, model: MODEL, choices: [{ index: 0, delta, finish_reason: finish }] };
}

/** A streamed answer, one chunk per piece. */
export function textAnswer(...pieces: string[]): ScriptedResponse {
	return openaiSse([chunk({ role: 'assistant', content: '' }), ...pieces.map((piece) => chunk({ content: piece })), chunk({}, 'stop')]);
}

/** Some text, then one tool call per entry. */
export function toolCallAnswer(text: string, calls: Array<{ id: string; name: string; args: unknown }>): ScriptedResponse {
	return openaiSse([
		chunk({ role: 'assistant', content: text }),
		...calls.map((call, index) => chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }] })),
		chunk({}, 'tool_calls'),
	]);
}

/** Records every message the controller posts, and waits for the ones a test expects. */
export class Recorder implements vscode.Disposable {
	readonly messages: HostToWebview[] = [];
	private readonly subscription: vscode.Disposable;

	constructor(readonly controller: ChatController) {
		this.subscription = controller.onDidPost((message) => this.messages.push(message));
	}

	async next<T extends HostToWebview['type']>(type: T, predicate: (message: Extract<HostToWebview, { type: T }>) => boolean = () => true, timeoutMs = 15000): Promise<Extract<HostToWebview, { type: T }>> {
		return waitFor(`a '${type}' message`, () => this.messages.find((message): message is Extract<HostToWebview, { type: T }> => message.type === type && predicate(message as Extract<HostToWebview, { type: T }>)), timeoutMs);
	}

	call(state: ToolCallView['state'], toolName?: string): Promise<ToolCallView> {
		return this.next('tool-call', (message) => message.call.state === state && (toolName === undefined || message.call.toolName === toolName)).then((message) => message.call);
	}

	all<T extends HostToWebview['type']>(type: T): Array<Extract<HostToWebview, { type: T }>> {
		return this.messages.filter((message): message is Extract<HostToWebview, { type: T }> => message.type === type);
	}

	text(): string {
		return this.all('text-delta').map((message) => message.text).join('');
	}

	dispose(): void {
		this.subscription.dispose();
	}
}

/** A fresh conversation on the extension's chat, and a recorder on it. */
export async function freshChat(api: SwitchboardTestApi): Promise<Recorder> {
	const controller = api.chatHost.controller;
	await controller.whenIdle();
	await controller.newChat();
	return new Recorder(controller);
}

/** After a test: stops whatever turn it left running (a Stop that finds none is fine) and detaches the recorder. */
export async function endChat(chat: Recorder): Promise<void> {
	chat.controller.receive({ type: 'stop' }).catch(() => undefined);
	await chat.controller.whenIdle();
	chat.dispose();
}

/** A Memento of its own, so a second controller in a test does not share the extension's workspaceState. */
export class MemoryMemento implements vscode.Memento {
	private readonly values = new Map<string, unknown>();

	keys(): readonly string[] {
		return [...this.values.keys()];
	}

	get<T>(key: string, defaultValue?: T): T | undefined {
		return this.values.has(key) ? (this.values.get(key) as T) : defaultValue;
	}

	update(key: string, value: unknown): Thenable<void> {
		if (value === undefined) this.values.delete(key);
		else this.values.set(key, value);
		return Promise.resolve();
	}
}

/** Answers the extension's warning dialogs with `answer` (undefined: dismissed) and records what they showed. */
export function answerWarnings(answer: string | undefined): { shown: Array<{ message: string; detail?: string }>; dispose(): void } {
	const window = vscode.window as unknown as Record<string, unknown>;
	const original = window.showWarningMessage;
	const shown: Array<{ message: string; detail?: string }> = [];
	window.showWarningMessage = (message: string, ...rest: unknown[]): Promise<string | undefined> => {
		const options = rest.find((item): item is vscode.MessageOptions => typeof item === 'object' && item !== null && 'modal' in item);
		shown.push({ message, detail: options?.detail });
		return Promise.resolve(answer);
	};
	return { shown, dispose: () => (window.showWarningMessage = original) };
}
