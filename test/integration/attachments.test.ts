// Context in the real extension host: what the user attached goes with the message without asking, is saved with
// the chat as chips; the '@' picker answers with workspace files and the active selection; Add Selection to Chat
// hands the composer a chip; AGENTS.md joins the system prompt until its chip is switched off; the keybindings do
// not take a key VS Code itself binds.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
import { ChatController } from '../../src/vscode/chat/chatController';
import type { HostToWebview } from '../../src/shared/protocol';
import { ProjectRulesHost } from '../../src/vscode/context/projectRulesHost';
import { HistoryStore } from '../../src/vscode/conversation/historyStore';
import { VscodeWorkspace } from '../../src/vscode/workspace/workspaceAdapter';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { clearSettings, configureProviders, MemoryMemento, MODEL, Recorder, textAnswer } from './chatSupport';
import { activate, waitFor } from './support';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, addSecret: () => undefined, show: () => undefined };

describe('context: attachments, the @ picker and project rules', function () {
	this.timeout(60000);
	let api: SwitchboardTestApi;
	let server: ScriptedServer;
	let workspace: VscodeWorkspace;
	let controller: ChatController;
	let chat: Recorder;
	const root = (): string => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
	const created: string[] = [];

	function write(relative: string, text: string): string {
		const file = path.join(root(), relative);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, text);
		created.push(file);
		return file;
	}

	before(async () => {
		api = await activate();
		server = await startScriptedServer();
		await configureProviders([{ id: 'scripted', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL], auth: 'none' }], `scripted/${MODEL}`);
	});

	beforeEach(() => {
		workspace = new VscodeWorkspace();
		const history = new HistoryStore(new MemoryMemento(), vscode.Uri.joinPath(api.context.globalStorageUri, `attachments-test-${Date.now()}`));
		controller = new ChatController({ keys: api.keys, log: quiet, history, state: new MemoryMemento(), workspace });
		chat = new Recorder(controller);
		server.requests.length = 0;
	});

	afterEach(async () => {
		chat.dispose();
		await controller.shutdown();
		workspace.dispose();
		for (const file of created.splice(0)) fs.rmSync(file, { force: true });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	after(async () => {
		await clearSettings();
		await server.close();
	});

	it('sends a file and a selection with the message, asks nothing, and saves them as chips', async () => {
		write('ctx/notes.ts', 'export const one = 1;\nexport const two = 2;\n');
		server.push(textAnswer('Seen.'));
		await controller.receive({
			type: 'send-prompt', text: 'What do these say?',
			attachments: [{ kind: 'file', path: 'ctx/notes.ts' }, { kind: 'selection', path: 'ctx/notes.ts', startLine: 2, endLine: 2, text: 'export const two = 2;' }],
		});
		await controller.whenIdle();
		const messages = server.requests[0].json?.messages as Array<{ role: string; content: string }>;
		const user = messages.find((message) => message.role === 'user')?.content ?? '';
		assert.match(user, /^What do these say\?\n<attachment kind="file" path="ctx\/notes.ts">\n1 \| export const one = 1;\n2 \| export const two = 2;\n<\/attachment>\n/);
		assert.match(user, /<attachment kind="selection" path="ctx\/notes.ts" lines="2-2">\n2 \| export const two = 2;\n<\/attachment>$/);
		assert.equal(chat.all('tool-call').length, 0, 'attaching asks for no approval');
		const sent = await chat.next('user-message');
		assert.deepEqual(sent.attachments, [
			{ kind: 'file', label: 'ctx/notes.ts', path: 'ctx/notes.ts' },
			{ kind: 'selection', label: 'ctx/notes.ts:2', path: 'ctx/notes.ts' },
		]);
		assert.deepEqual(controller.conversationView.turns[0], { role: 'user', turnId: sent.turnId, text: 'What do these say?', attachments: sent.attachments });
	});

	it('answers @ queries with workspace files and the active editor\'s selection', async () => {
		// Plain text, not TypeScript: a .ts file of bare words would leave errors that the whole-workspace get_diagnostics
		// test counts.
		const file = write('ctx/picker/targetModule.txt', 'alpha\nbeta\ngamma\n');
		const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
		editor.selection = new vscode.Selection(1, 0, 2, 5);
		await controller.receive({ type: 'mention-query', query: 'targetmod' });
		const found = await chat.next('mention-results', (message) => message.query === 'targetmod' && message.searching !== true);
		assert.deepEqual(found.items[0].ref, { kind: 'file', path: 'ctx/picker/targetModule.txt' });
		// The first '@' answers at once while the file list is read; the full answer follows.
		assert.equal(chat.all('mention-results')[0].searching, true);
		await controller.receive({ type: 'mention-query', query: 'sel' });
		const selection = await chat.next('mention-results', (message) => message.query === 'sel');
		assert.deepEqual(selection.items[0].ref, { kind: 'selection', path: 'ctx/picker/targetModule.txt', startLine: 2, endLine: 3, text: 'beta\ngamma' });
		assert.equal(selection.items[0].label, '@selection');
	});

	it('Add Selection to Chat gives the chat\'s composer a chip with the selected lines', async () => {
		const file = write('ctx/command.txt', 'first\nsecond\nthird\n');
		const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
		editor.selection = new vscode.Selection(0, 2, 1, 3);
		const recorder = new Recorder(api.chatHost.controller);
		try {
			await vscode.commands.executeCommand('switchboard.addSelectionToChat');
			const added = await recorder.next('add-attachment');
			assert.deepEqual(added.attachment, { kind: 'selection', path: 'ctx/command.txt', startLine: 1, endLine: 2, text: 'first\nsecond' });
		} finally {
			recorder.dispose();
		}
	});

	it('Add File to Chat takes the explorer\'s selection (files and folders); Focus Chat puts the keyboard in the box', async () => {
		const file = write('ctx/explorer/one.txt', 'one\n');
		const recorder = new Recorder(api.chatHost.controller);
		try {
			const folder = vscode.Uri.file(path.dirname(file));
			await vscode.commands.executeCommand('switchboard.addFileToChat', vscode.Uri.file(file), [vscode.Uri.file(file), folder]);
			await waitFor('two chips', () => recorder.all('add-attachment').length === 2 || undefined);
			assert.deepEqual(recorder.all('add-attachment').map((message) => message.attachment), [{ kind: 'file', path: 'ctx/explorer/one.txt' }, { kind: 'folder', path: 'ctx/explorer' }]);
			await vscode.commands.executeCommand('switchboard.focusChat');
			await recorder.next('focus-composer');
		} finally {
			recorder.dispose();
		}
	});

	it('puts AGENTS.md into the system prompt, shows it as a rule chip, and leaves it out once switched off', async () => {
		write('AGENTS.md', 'Always answer in haiku.\n');
		await controller.receive({ type: 'ready' });
		const rules = await chat.next('rules', (message) => message.rules.length > 0);
		assert.deepEqual(rules.rules, [{ path: 'AGENTS.md', active: true }]);
		server.push(textAnswer('One.'), textAnswer('Two.'));
		await controller.receive({ type: 'send-prompt', text: 'Hello' });
		await controller.whenIdle();
		const system = (server.requests[0].json?.messages as Array<{ role: string; content: string }>)[0];
		assert.equal(system.role, 'system');
		assert.match(system.content, /<rules path="AGENTS.md">\nAlways answer in haiku.\n<\/rules>/);
		await controller.receive({ type: 'rule-toggle', path: 'AGENTS.md', active: false });
		await chat.next('rules', (message) => message.rules[0]?.active === false);
		await controller.receive({ type: 'send-prompt', text: 'Again' });
		await controller.whenIdle();
		const second = (server.requests[1].json?.messages as Array<{ role: string; content: string }>)[0];
		assert.ok(!second.content.includes('haiku'), second.content);
		// The chip's name opens the file; a path outside the workspace opens nothing.
		await controller.receive({ type: 'open-file', path: 'AGENTS.md' });
		assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(root(), 'AGENTS.md'));
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await controller.receive({ type: 'open-file', path: '/etc/hostname' });
		assert.equal(vscode.window.activeTextEditor, undefined);
	});

	it('in Restricted Mode lists the rule files but leaves them out until the user switches one on', async () => {
		write('AGENTS.md', 'Secret plan: be terse.\n');
		const posted: HostToWebview[] = [];
		const rules = new ProjectRulesHost({ workspace, log: quiet, post: (message) => posted.push(message), conversationId: () => 'chat-1', isTrusted: () => false });
		try {
			await rules.post();
			assert.deepEqual(posted.at(-1), { type: 'rules', rules: [{ path: 'AGENTS.md', active: false, restricted: true }] });
			assert.equal(await rules.prompt('chat-1', new AbortController().signal), '');
			await rules.toggle('AGENTS.md', true);
			assert.deepEqual(posted.at(-1), { type: 'rules', rules: [{ path: 'AGENTS.md', active: true }] });
			assert.match(await rules.prompt('chat-1', new AbortController().signal), /Secret plan: be terse\./);
			// Switched on for that chat only.
			assert.equal(await rules.prompt('chat-2', new AbortController().signal), '');
		} finally {
			rules.dispose();
		}
	});

	it('reads switchboard.rules.files from user settings only', async () => {
		const mine = write('ctx/my-rules.md', 'Prefer tabs.\n');
		const config = vscode.workspace.getConfiguration('switchboard');
		// VS Code's API will not write a user-only setting into a workspace; a cloned repository's file can.
		const settingsFile = path.join(root(), '.vscode', 'settings.json');
		const original = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
		try {
			fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
			// editor.tabSize (a workspace-scoped setting) tells when VS Code has read the file.
			fs.writeFileSync(settingsFile, JSON.stringify({ 'switchboard.rules.files': [mine], 'editor.tabSize': 7 }));
			await waitFor('the workspace settings file', () => vscode.workspace.getConfiguration('editor').inspect('tabSize')?.workspaceValue === 7 || undefined);
			await controller.receive({ type: 'ready' });
			await chat.next('rules');
			assert.deepEqual(chat.all('rules').at(-1)?.rules, [], 'a workspace setting must not add rule files');
			await config.update('rules.files', [mine], vscode.ConfigurationTarget.Global);
			const rules = await chat.next('rules', (message) => message.rules.length > 0);
			assert.deepEqual(rules.rules, [{ path: 'ctx/my-rules.md', active: true }]);
		} finally {
			if (original === undefined) fs.rmSync(settingsFile, { force: true });
			else fs.writeFileSync(settingsFile, original);
			await config.update('rules.files', undefined, vscode.ConfigurationTarget.Global);
		}
	});

	it('binds keys VS Code does not bind by default', async () => {
		const manifest = api.context.extension.packageJSON as { contributes: { keybindings: Array<{ command: string; key: string; mac?: string }> } };
		const ours = manifest.contributes.keybindings.filter((binding) => binding.command.startsWith('switchboard.'));
		assert.ok(ours.length >= 2);
		const defaults = await vscode.workspace.openTextDocument(vscode.Uri.parse('vscode://defaultsettings/keybindings.json'));
		// Each entry reads { "key": "ctrl+shift+x", "command": "…" } (a chord as "ctrl+k ctrl+x"); ours are listed too.
		const entries = [...defaults.getText().matchAll(/"key":\s*"([^"]+)",\s*"command":\s*"([^"]+)"/g)].map((match) => ({ key: match[1].toLowerCase(), command: match[2] }));
		const taken = entries.filter((entry) => !entry.command.startsWith('switchboard.'));
		assert.ok(taken.length > 300, `only ${taken.length} default keybindings read`);
		assert.ok(taken.some((entry) => entry.key === 'ctrl+shift+alt+l'), 'the list holds the chat keys of VS Code 1.139');
		for (const binding of ours) {
			const key = binding.key.toLowerCase();
			// A key that starts one of VS Code's chords would also take that chord away.
			const clash = taken.find((entry) => entry.key === key || entry.key.startsWith(`${key} `));
			assert.equal(clash, undefined, `${binding.key} (${binding.command}) is VS Code's ${clash?.key} (${clash?.command})`);
		}
	});
});
