import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, extension, logText, waitFor } from './support';

interface Manifest {
	activationEvents?: string[];
	contributes: { commands: Array<{ command: string; category?: string }> };
}

// Mocha loads every test file before running any test, so this is the state before anything used the extension.
const activeBeforeTests = extension().isActive;

describe('Switchboard in a real VS Code extension host', () => {
	it('stays inactive until its view or a command is used', () => {
		const manifest = extension().packageJSON as Manifest;
		assert.deepEqual(manifest.activationEvents ?? [], []);
		assert.equal(activeBeforeTests, false);
	});

	it('activates and logs how long activation took', async () => {
		const api = await activate();
		assert.equal(extension().isActive, true);
		assert.ok(api.activationMs >= 0 && api.activationMs < 1000, `activation took ${api.activationMs} ms`);
		const text = await waitFor('the activation line in the log', async () => /activated in \d+(\.\d+)? ms/.exec(await logText(api))?.[0]);
		assert.match(text, /activated in/);
	});

	it('registers every contributed command, all in the Switchboard category', async () => {
		await activate();
		const contributed = (extension().packageJSON as Manifest).contributes.commands;
		assert.ok(contributed.length >= 8);
		const registered = new Set(await vscode.commands.getCommands(true));
		for (const { command, category } of contributed) {
			assert.ok(registered.has(command), `${command} is contributed but not registered`);
			assert.equal(category, 'Switchboard');
		}
	});

	it('resolves the chat view when the Switchboard container is opened', async () => {
		const api = await activate();
		await vscode.commands.executeCommand('workbench.view.extension.switchboard');
		await waitFor('the chat view to resolve', () => api.chat.resolveCount > 0 || undefined);
	});

	it('opens the chat in an editor tab', async () => {
		await activate();
		await vscode.commands.executeCommand('switchboard.openChat');
		const tab = await waitFor('a Switchboard webview tab', () =>
			vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((candidate) => candidate.input instanceof vscode.TabInputWebview && /switchboard/i.test(candidate.input.viewType)),
		);
		assert.match(tab.label, /Switchboard/);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});
});
