// Secret hygiene in a real extension host: a canary key, typed into the Set API Key password box, goes through a
// whole session (a chat with a tool call, a 401 and a 500 whose bodies echo it, Test Connection both ways, Export
// Chat, Show Log, a refused connection, a workspace setting that moves the provider) and must appear on no surface
// the user, the webview, the disk or another host can see. It is not `sk-…` shaped, so only the extension's
// knowledge of the stored key can keep it out, not the redactor's patterns.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { freshChat, MODEL, Recorder, textAnswer, toolCallAnswer } from './chatSupport';
import { activate, drive, logText, waitFor } from './support';
import { exportFileName, LAST_EXPORT_FOLDER } from '../../src/vscode/conversation/exportChat';

const CANARY = `canary${Date.now().toString(36)}x${Math.random().toString(36).slice(2, 12)}`;

async function readText(uri: vscode.Uri): Promise<string> {
	try {
		return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
	} catch {
		return '';
	}
}

async function filesUnder(folder: vscode.Uri): Promise<vscode.Uri[]> {
	let entries: Array<[string, vscode.FileType]>;
	try {
		entries = await vscode.workspace.fs.readDirectory(folder);
	} catch {
		return [];
	}
	const files: vscode.Uri[] = [];
	for (const [name, type] of entries) {
		const uri = vscode.Uri.joinPath(folder, name);
		if (type === vscode.FileType.Directory) files.push(...(await filesUnder(uri)));
		else files.push(uri);
	}
	return files;
}

function mementoText(memento: vscode.Memento): string {
	return JSON.stringify(memento.keys().map((key) => [key, memento.get(key)]));
}

/** A loopback port nothing listens on: bound once, then closed. */
async function refusedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** Captures what the extension shows in notifications, when the API object lets a test wrap its methods. */
class ShownMessages implements vscode.Disposable {
	readonly texts: string[] = [];
	readonly active: boolean;
	private readonly restore: Array<() => void> = [];

	constructor() {
		const window = vscode.window as unknown as Record<string, unknown>;
		for (const name of ['showErrorMessage', 'showWarningMessage', 'showInformationMessage']) {
			const original = window[name] as (...args: unknown[]) => unknown;
			const wrapper = (...args: unknown[]): unknown => {
				this.texts.push(String(args[0]));
				return original.apply(vscode.window, args);
			};
			try {
				window[name] = wrapper;
			} catch {
				continue;
			}
			if (window[name] === wrapper) this.restore.push(() => (window[name] = original));
		}
		this.active = this.restore.length === 3;
	}

	dispose(): void {
		for (const undo of this.restore) undo();
	}
}

describe('secret hygiene in VS Code', function () {
	this.timeout(90000);
	let api: SwitchboardTestApi;
	let provider: ScriptedServer;
	let stranger: ScriptedServer;
	let deadPort: number;
	let shown: ShownMessages;
	let everything: Recorder;
	const recorders: Recorder[] = [];
	const exported: string[] = [];
	const tally = { sessions: 0, surfaces: new Set<string>(), checks: 0, found: 0 };
	const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('switchboard');
	const folder = (): vscode.Uri => {
		const uri = vscode.workspace.workspaceFolders?.[0]?.uri;
		if (!uri) throw new Error('no workspace folder');
		return uri;
	};
	const workspaceSettings = (): vscode.Uri => vscode.Uri.joinPath(folder(), '.vscode', 'settings.json');
	// Export Chat proposes the last export's folder: pointed at the (temporary) workspace, so nothing lands in the home folder.
	const exportTarget = (): vscode.Uri => vscode.Uri.joinPath(folder(), exportFileName());
	let hadWorkspaceSettings = false;

	async function chat(): Promise<Recorder> {
		const recorder = await freshChat(api);
		recorders.push(recorder);
		return recorder;
	}

	/** Every surface, read now; the session counts once all of them are clean. */
	async function surfaces(): Promise<Record<string, string>> {
		const history = vscode.Uri.joinPath(api.context.storageUri ?? api.context.globalStorageUri, 'chats');
		const historyFiles = await filesUnder(history);
		return {
			'webview messages': JSON.stringify(everything.messages),
			'error banners': JSON.stringify(everything.all('error').map((message) => message.error)),
			'log channel file': await logText(api),
			'user settings': await readText(vscode.Uri.joinPath(api.context.globalStorageUri, '..', '..', 'settings.json')),
			'workspace settings': await readText(workspaceSettings()),
			'history files': (await Promise.all(historyFiles.map(readText))).join('\n'),
			'exported Markdown': exported.join('\n') + (await readText(exportTarget())),
			'notifications shown': shown.texts.join('\n'),
			globalState: mementoText(api.context.globalState),
			workspaceState: mementoText(api.context.workspaceState),
			'requests to other hosts': JSON.stringify(stranger.requests),
		};
	}

	async function checkSurfaces(): Promise<void> {
		await api.chatHost.controller.whenIdle();
		tally.sessions++;
		const found: string[] = [];
		for (const [name, text] of Object.entries(await surfaces())) {
			tally.surfaces.add(name);
			tally.checks++;
			const count = text.split(CANARY).length - 1;
			tally.found += count;
			if (count > 0) found.push(`${name} (${count}×)`);
		}
		assert.deepEqual(found, [], `the canary key is in: ${found.join(', ')}`);
	}

	before(async () => {
		api = await activate();
		everything = new Recorder(api.chatHost.controller);
		shown = new ShownMessages();
		provider = await startScriptedServer();
		stranger = await startScriptedServer();
		deadPort = await refusedPort();
		hadWorkspaceSettings = (await readText(workspaceSettings())) !== '';
		await vscode.workspace.fs.delete(exportTarget()).then(undefined, () => undefined);
		await config().update('providers', [
			{ id: 'vault', protocol: 'openai', baseUrl: `${provider.url}/v1`, models: [MODEL] },
		], vscode.ConfigurationTarget.Global);
		await config().update('defaultModel', `vault/${MODEL}`, vscode.ConfigurationTarget.Global);
	});

	after(async () => {
		console.log(`      secret hygiene: ${tally.surfaces.size} surfaces × ${tally.sessions} sessions checked (${tally.checks} reads), canary found ${tally.found} times; `
			+ `${provider.requests.filter((request) => request.headers.authorization === `Bearer ${CANARY}`).length} requests carried it to the provider, `
			+ `${stranger.requests.length} reached another host; notifications ${shown.active ? 'captured' : 'NOT captured'}`);
		shown.dispose();
		for (const recorder of [everything, ...recorders]) recorder.dispose();
		await api.keys.delete('vault');
		await api.keys.delete('dead');
		await config().update('providers', undefined, vscode.ConfigurationTarget.Workspace);
		if (!hadWorkspaceSettings) await vscode.workspace.fs.delete(workspaceSettings()).then(undefined, () => undefined);
		await config().update('providers', undefined, vscode.ConfigurationTarget.Global);
		await config().update('defaultModel', undefined, vscode.ConfigurationTarget.Global);
		await vscode.workspace.fs.delete(exportTarget()).then(undefined, () => undefined);
		await provider.close();
		await stranger.close();
	});

	it('takes the canary through the Set API Key password box into SecretStorage only', async () => {
		assert.ok(shown.active, 'could not wrap vscode.window.show*Message to see the notifications');
		const done = vscode.commands.executeCommand('switchboard.setApiKey');
		await drive({ waitFor: '.quick-input-widget input[type="password"]', type: CANARY });
		await drive({ press: 'Enter' });
		await done;
		assert.equal(await api.keys.get('vault'), CANARY);
		await checkSurfaces();
	});

	it('a chat with an approved tool call sends the key to the provider and nowhere else', async () => {
		const recorder = await chat();
		provider.push(toolCallAnswer('Reading. ', [{ id: 'call_1', name: 'read_file', args: { path: 'README.md' } }]), textAnswer('It is ', 'a sample.'));
		await recorder.controller.receive({ type: 'send-prompt', text: 'What is in the README?' });
		const asking = await recorder.call('awaiting-approval', 'read_file');
		await recorder.controller.receive({ type: 'approve', callId: asking.callId });
		await recorder.next('turn-end', (message) => message.reason === 'stop');
		assert.equal(provider.requests.length, 2);
		for (const request of provider.requests) assert.equal(request.headers.authorization, `Bearer ${CANARY}`);
		await checkSurfaces();
	});

	it('a 401 whose body echoes the key shows an auth banner without it', async () => {
		const recorder = await chat();
		provider.push({ status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${CANARY}. Check it.`, type: 'invalid_request_error', code: 'invalid_api_key' } }) });
		await recorder.controller.receive({ type: 'send-prompt', text: 'Hello?' });
		const banner = await recorder.next('error');
		assert.equal(banner.error.kind, 'auth');
		await checkSurfaces();
	});

	it('a 500 whose body echoes the Authorization header shows a server banner without it', async () => {
		const recorder = await chat();
		const page = { error: { message: `upstream failed; request headers: Authorization: Bearer ${CANARY}; x-debug=${CANARY}` } };
		for (let attempt = 0; attempt < 4; attempt++) provider.push({ status: 500, body: JSON.stringify(page) });
		await recorder.controller.receive({ type: 'send-prompt', text: 'Hello again?' });
		const banner = await recorder.next('error', () => true, 60000);
		assert.equal(banner.error.kind, 'server');
		await checkSurfaces();
	});

	it('Test Connection, answered and refused with the key echoed, says so without the key', async () => {
		provider.push(textAnswer('OK'));
		await vscode.commands.executeCommand('switchboard.testConnection');
		provider.push({ status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${CANARY}.`, code: 'invalid_api_key' } }) });
		await vscode.commands.executeCommand('switchboard.testConnection');
		await waitFor('the failure notification', () => shown.texts.some((text) => /vault\/scripted-model failed \(auth 401\)/.test(text)) || undefined);
		assert.ok(shown.texts.some((text) => /vault\/scripted-model answered/.test(text)), shown.texts.join(' | '));
		await checkSurfaces();
	});

	it('Export Chat writes Markdown without the key, and Show Log opens a log without it', async () => {
		const recorder = await chat();
		provider.push(textAnswer('An answer worth exporting.'));
		await recorder.controller.receive({ type: 'send-prompt', text: 'Say something to export.' });
		await recorder.next('turn-end');
		const markdown = api.chat.exportMarkdown();
		assert.ok(markdown?.includes('An answer worth exporting.'), 'nothing to export');
		exported.push(markdown ?? '');
		// The save dialog is the workbench's own (the simple dialog in the browser): Enter accepts the default path.
		await api.context.globalState.update(LAST_EXPORT_FOLDER, folder().toString());
		const done = vscode.commands.executeCommand('switchboard.exportChat');
		await drive({ waitFor: '.quick-input-widget input', press: 'Enter' });
		await done;
		assert.match(await readText(exportTarget()), /An answer worth exporting\./);
		await vscode.commands.executeCommand('switchboard.showLog');
		await waitFor('the export line in the log', async () => (await logText(api)).includes('Chat exported to') || undefined);
		await checkSurfaces();
	});

	it('a request to a host that refuses the connection fails with a network banner without the key', async () => {
		await config().update('providers', [
			{ id: 'vault', protocol: 'openai', baseUrl: `${provider.url}/v1`, models: [MODEL] },
			{ id: 'dead', protocol: 'openai', baseUrl: `http://127.0.0.1:${deadPort}/v1`, models: [MODEL] },
		], vscode.ConfigurationTarget.Global);
		const done = vscode.commands.executeCommand('switchboard.setApiKey', 'dead');
		await drive({ waitFor: '.quick-input-widget input[type="password"]', type: CANARY });
		await drive({ press: 'Enter' });
		await done;
		const recorder = await chat();
		await recorder.controller.receive({ type: 'select-model', provider: 'dead', model: MODEL });
		await recorder.controller.receive({ type: 'send-prompt', text: 'Anyone there?' });
		const banner = await recorder.next('error', () => true, 60000);
		assert.equal(banner.error.kind, 'network');
		await recorder.controller.receive({ type: 'select-model', provider: 'vault', model: MODEL });
		await checkSurfaces();
	});

	it('a workspace setting that moves the provider to another host does not get the key sent there by a chat', async () => {
		const before = provider.requests.length;
		stranger.push(textAnswer('I should never be asked.'));
		await config().update('providers', [{ id: 'vault', protocol: 'openai', baseUrl: `${stranger.url}/v1`, models: [MODEL] }], vscode.ConfigurationTarget.Workspace);
		assert.match(await readText(workspaceSettings()), new RegExp(stranger.url.replace(/[.:/]/g, '\\$&')));
		const recorder = await chat();
		// In extension-test mode VS Code refuses modal dialogs; the store takes that as the user's "no".
		await recorder.controller.receive({ type: 'send-prompt', text: 'Who answers now?' });
		const banner = await recorder.next('error');
		assert.equal(banner.error.kind, 'auth');
		assert.match(banner.error.message, /was not sent to/);
		assert.equal(stranger.requests.length, 0, 'a request reached the new host');
		assert.equal(provider.requests.length, before, 'the old host was asked instead');
		await waitFor('the warning in the log', async () => (await logText(api)).includes(`Kept the API key of "vault" from ${stranger.url}`) || undefined);
		await checkSurfaces();
	});
});
