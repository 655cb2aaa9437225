// What a hostile model or repository could make the extension host do, through the real chat: a find_files glob
// that froze a backtracking regex (with read approval on auto), a workspace-level token command (asks, and
// refused in extension-test mode, where VS Code declines modal dialogs, it never runs), the host Set API Key binds a
// key to and which settings chose it, and a repository's switchboard.contextWindows (user-scoped: ignored).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
import { readContextWindows } from '../../src/vscode/conversation/contextSettings';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { clearSettings, configureProviders, endChat, freshChat, MODEL, textAnswer, toolCallAnswer, type Recorder } from './chatSupport';
import { activate, drive, waitFor } from './support';

function root(): string {
	const folder = vscode.workspace.workspaceFolders?.[0];
	if (!folder) throw new Error('the tests need the sample workspace open');
	return folder.uri.fsPath;
}

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('switchboard');

describe('hostile models and repositories in the extension host', function () {
	this.timeout(60_000);
	let api: SwitchboardTestApi;
	let server: ScriptedServer;
	let chat: Recorder;
	const created: string[] = [];

	before(async () => {
		api = await activate();
		server = await startScriptedServer();
		await configureProviders([{ id: 'scripted', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL], auth: 'none' }], `scripted/${MODEL}`);
		await config().update('approval.read', 'auto', vscode.ConfigurationTarget.Global);
	});

	beforeEach(async () => {
		chat = await freshChat(api);
		server.requests.length = 0;
	});

	afterEach(async () => {
		await endChat(chat);
	});

	after(async () => {
		for (const file of created) fs.rmSync(file, { recursive: true, force: true });
		for (const key of ['providers', 'defaultModel']) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
		await config().update('contextWindows', undefined, vscode.ConfigurationTarget.Global);
		await clearSettings();
		await server.close();
	});

	it('find_files with {*,*} twelve times then Z (read approval auto) answers at once instead of freezing the host', async () => {
		for (const name of ['a-rather-long-file-name-for-backtracking.txt', 'notesZ']) {
			const file = path.join(root(), name);
			fs.writeFileSync(file, 'x\n');
			created.push(file);
		}
		const glob = `${'{*,*}'.repeat(12)}Z`;
		server.push(toolCallAnswer('Looking. ', [{ id: 'call_glob', name: 'find_files', args: { glob } }]), textAnswer('Found it.'));
		const started = Date.now();
		await chat.controller.receive({ type: 'send-prompt', text: 'Find the Z files' });
		const done = await chat.call('done', 'find_files');
		assert.ok(done.state === 'done' && done.result.text.split('\n').includes('notesZ'), JSON.stringify(done));
		assert.equal((await chat.next('turn-end')).reason, 'stop');
		assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
	});

	it('does not run a token command from workspace settings without a yes, and says why', async () => {
		const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-authcmd-')), 'ran');
		const command = `node -e "require('fs').writeFileSync(process.argv[1], 'ran')" ${JSON.stringify(marker)}`;
		server.push(textAnswer('I should never be asked.'));
		await config().update('providers', [{ id: 'repo', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL], auth: { command } }], vscode.ConfigurationTarget.Workspace);
		await config().update('defaultModel', `repo/${MODEL}`, vscode.ConfigurationTarget.Workspace);
		try {
			const fresh = await freshChat(api);
			try {
				await fresh.controller.receive({ type: 'send-prompt', text: 'Hello' });
				const banner = await fresh.next('error');
				assert.equal(banner.error.kind, 'auth');
				assert.match(banner.error.message, /token command of "repo" from workspace settings was not run/);
			} finally {
				await endChat(fresh);
			}
			assert.equal(fs.existsSync(marker), false, 'the command ran');
			assert.equal(server.requests.length, 0, 'a request was sent');
		} finally {
			await config().update('providers', undefined, vscode.ConfigurationTarget.Workspace);
			await config().update('defaultModel', undefined, vscode.ConfigurationTarget.Workspace);
		}
	});

	it('Set API Key names the host the key is bound to and the settings that chose it', async () => {
		await config().update('providers', [{ id: 'repo-keyed', protocol: 'openai', baseUrl: 'http://127.0.0.1:9/v1', models: [MODEL] }], vscode.ConfigurationTarget.Workspace);
		try {
			const done = vscode.commands.executeCommand('switchboard.setApiKey', 'repo-keyed');
			await drive({ waitFor: '.quick-input-widget .quick-input-message:has-text("sent only to http://127.0.0.1:9 (base URL from workspace settings)")' });
			await drive({ press: 'Escape' });
			await done;
			assert.equal(await api.keys.get('repo-keyed'), undefined);
		} finally {
			await config().update('providers', undefined, vscode.ConfigurationTarget.Workspace);
		}
	});

	it('reads switchboard.contextWindows from the user\'s settings only, never the repository\'s', async () => {
		await config().update('contextWindows', { 'scripted-.*': 5000 }, vscode.ConfigurationTarget.Global);
		// VS Code refuses to write a user-scoped setting to the workspace, so the repository's file is written as a
		// repository would ship it.
		const file = path.join(root(), '.vscode', 'settings.json');
		const original = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
		const settings = original ? JSON.parse(original) as Record<string, unknown> : {};
		fs.mkdirSync(path.dirname(file), { recursive: true });
		// reserveOutputTokens (window-scoped) in the same file shows when VS Code has read it; inspect() never reports
		// a workspace value for a user-scoped setting.
		fs.writeFileSync(file, JSON.stringify({ ...settings, 'switchboard.contextWindows': { '^([a-z0-9-]+)+Z$': 1 }, 'switchboard.reserveOutputTokens': 1234 }, null, 2));
		try {
			await waitFor('VS Code to read the workspace file', () => config().get('reserveOutputTokens') === 1234 || undefined);
			assert.deepEqual(readContextWindows(), { 'scripted-.*': 5000 });
		} finally {
			if (original === undefined) fs.rmSync(file);
			else fs.writeFileSync(file, original);
		}
	});
});
