import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, drive, logText, waitFor } from './support';

const PROVIDERS = [
	{ id: 'alpha', protocol: 'openai', baseUrl: 'http://127.0.0.1:9/v1', models: ['model-a'] },
	{ id: 'beta', protocol: 'anthropic', baseUrl: 'http://127.0.0.1:9/anthropic', models: ['model-b'] },
	{ id: 'local', protocol: 'openai', baseUrl: 'http://127.0.0.1:9/v1', models: ['llama'], auth: 'none' },
];

async function readText(uri: vscode.Uri): Promise<string> {
	try {
		return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
	} catch {
		return '';
	}
}

function mementoText(memento: vscode.Memento): string {
	return JSON.stringify(memento.keys().map((key) => [key, memento.get(key)]));
}

describe('API keys', () => {
	const secret = `sk-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

	before(async () => {
		await vscode.workspace.getConfiguration('switchboard').update('providers', PROVIDERS, vscode.ConfigurationTarget.Global);
	});

	after(async () => {
		await vscode.workspace.getConfiguration('switchboard').update('providers', undefined, vscode.ConfigurationTarget.Global);
	});

	it('stores a key typed into the Set API Key password box in SecretStorage only, trimmed', async () => {
		const api = await activate();
		const done = vscode.commands.executeCommand('switchboard.setApiKey');
		// The provider list offers only providers that use a key (alpha, beta); pick beta by typing its name.
		await drive({ waitFor: '.quick-input-widget .monaco-list-row', type: 'beta' });
		await drive({ waitFor: '.quick-input-widget .monaco-list-row[aria-label*="beta"]', press: 'Enter' });
		await drive({ waitFor: '.quick-input-widget input[type="password"]', type: `  ${secret}  ` });
		await drive({ press: 'Enter' });
		await done;

		assert.equal(await api.context.secrets.get('switchboard.apiKey.beta'), secret);
		assert.equal(await api.keys.get('beta'), secret);
		assert.equal(await api.keys.get('alpha'), undefined);

		const logged = await waitFor('the log line about the stored key', async () => {
			const text = await logText(api);
			return text.includes('API key stored for provider "beta"') ? text : undefined;
		});
		assert.ok(!logged.includes(secret), 'the key is in the log');
		const userSettings = vscode.Uri.joinPath(api.context.globalStorageUri, '..', '..', 'settings.json');
		assert.match(await readText(userSettings), /"alpha"/, 'expected to read the user settings file');
		assert.ok(!(await readText(userSettings)).includes(secret), 'the key is in the user settings');
		const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
		if (folder) assert.ok(!(await readText(vscode.Uri.joinPath(folder, '.vscode', 'settings.json'))).includes(secret), 'the key is in the workspace settings');
		assert.ok(!mementoText(api.context.globalState).includes(secret), 'the key is in globalState');
		assert.ok(!mementoText(api.context.workspaceState).includes(secret), 'the key is in workspaceState');
		assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('switchboard')).includes(secret), 'the key is in the configuration');
	});

	it('Clear API Key removes the only stored key from SecretStorage', async () => {
		const api = await activate();
		assert.equal(await api.keys.get('beta'), secret);
		await vscode.commands.executeCommand('switchboard.clearApiKey');
		assert.equal(await api.context.secrets.get('switchboard.apiKey.beta'), undefined);
	});

	it('redacts a stored key from later log lines, even inside an error message', async () => {
		const api = await activate();
		const other = 'plain-key-without-a-known-shape-42';
		await api.keys.set('alpha', other);
		await vscode.commands.executeCommand('switchboard.setApiKey', 'no-such-provider-' + other);
		const text = await waitFor('the warning about the unknown provider', async () => {
			const current = await logText(api);
			return current.includes('no-such-provider-') ? current : undefined;
		});
		assert.ok(!text.includes(other), 'the key is in the log');
		assert.match(text, /no-such-provider-\[redacted\]/);
		await api.keys.delete('alpha');
	});
});
