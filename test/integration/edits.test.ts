// edit_file and create_file in a real extension host: the proposed change in a diff editor before approval, nothing
// on disk until Approve, the editor's undo after it, and "Undo this turn's changes" across turns.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';
import type { TurnView } from '../../src/shared/protocol';
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from '../support/scriptedServer';
import { answerWarnings, clearSettings, configureProviders, endChat, freshChat, MODEL, type Recorder, textAnswer, toolCallAnswer } from './chatSupport';
import { activate, waitFor } from './support';

const ORIGINAL = 'alpha\nbeta\ngamma\nbeta-two\n';

function proposedDiffTabs(): vscode.Tab[] {
	return vscode.window.tabGroups.all.flatMap((group) => group.tabs)
		.filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'switchboard-proposed');
}

function toolResults(request: RecordedRequest): string {
	return JSON.stringify(((request.json?.messages ?? []) as Array<{ role: string; content?: unknown }>).filter((message) => message.role === 'tool'));
}

async function setWritePolicy(mode: 'ask' | 'auto' | undefined): Promise<void> {
	await vscode.workspace.getConfiguration('switchboard.approval').update('write', mode, vscode.ConfigurationTarget.Global);
}

describe('edits: edit_file and create_file with a diff, approval and checkpoints', function () {
	this.timeout(60000);
	let api: SwitchboardTestApi;
	let server: ScriptedServer;
	let chat: Recorder;
	let root: string;
	let dir: string;
	let relative: string;
	let file: string;

	before(async () => {
		api = await activate();
		server = await startScriptedServer();
		await configureProviders([{ id: 'scripted', protocol: 'openai', baseUrl: `${server.url}/v1`, models: [MODEL], auth: 'none' }], `scripted/${MODEL}`);
		root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
		assert.ok(root, 'the tests need a workspace folder');
	});

	beforeEach(async () => {
		await setWritePolicy(undefined);
		chat = await freshChat(api);
		server.requests.length = 0;
		relative = `edits-test-${Date.now().toString(36)}`;
		dir = path.join(root, relative);
		fs.mkdirSync(dir, { recursive: true });
		file = path.join(dir, 'a.txt');
		fs.writeFileSync(file, ORIGINAL);
	});

	afterEach(async () => {
		await endChat(chat);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		fs.rmSync(dir, { recursive: true, force: true });
	});

	after(async () => {
		await setWritePolicy(undefined);
		await clearSettings();
		await server.close();
	});

	it('shows the change in a diff editor, writes nothing before Approve, and the editor\'s undo reverts it', async () => {
		const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
		await vscode.window.showTextDocument(document);
		server.push(toolCallAnswer('Editing. ', [{ id: 'call_1', name: 'edit_file', args: { path: `${relative}/a.txt`, edits: [{ search: 'beta\ngamma', replace: 'BETA\ngamma' }] } }]), textAnswer('Done.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Capitalize beta' });

		const asking = await chat.call('awaiting-approval', 'edit_file');
		assert.equal(asking.risk, 'write');
		assert.match(asking.summary, /a\.txt/);
		const [tab] = await waitFor('the proposed change in a diff editor', () => proposedDiffTabs().length > 0 ? proposedDiffTabs() : undefined);
		assert.equal(tab.label, `Switchboard: proposed change to ${relative}/a.txt`);
		const input = tab.input as vscode.TabInputTextDiff;
		assert.equal(input.original.fsPath, fs.realpathSync(file));
		const proposed = await vscode.workspace.openTextDocument(input.modified);
		assert.equal(proposed.getText(), 'alpha\nBETA\ngamma\nbeta-two\n');
		assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL, 'nothing is written before the click');

		await chat.controller.receive({ type: 'approve', callId: asking.callId });
		const done = await chat.call('done', 'edit_file');
		assert.ok(done.state === 'done' && /Edited .*a\.txt: \+1 −1 lines/.test(done.result.text), JSON.stringify(done));
		await chat.controller.whenIdle();
		assert.equal(fs.readFileSync(file, 'utf8'), 'alpha\nBETA\ngamma\nbeta-two\n', 'applied and saved');
		assert.equal(proposedDiffTabs().length, 0, 'the diff is closed once decided');
		assert.equal(document.isDirty, false);

		await vscode.window.showTextDocument(document);
		await vscode.commands.executeCommand('undo');
		await waitFor('the undo to revert the edit', () => document.getText() === ORIGINAL);
	});

	it('Deny leaves the file as it was and closes the diff', async () => {
		server.push(toolCallAnswer('', [{ id: 'call_1', name: 'edit_file', args: { path: `${relative}/a.txt`, edits: [{ search: 'gamma', replace: 'GAMMA' }] } }]), textAnswer('OK, leaving it.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Edit gamma' });
		const asking = await chat.call('awaiting-approval', 'edit_file');
		await waitFor('the diff editor', () => proposedDiffTabs().length > 0);
		await chat.controller.receive({ type: 'deny', callId: asking.callId, reason: 'not now' });
		await chat.call('denied', 'edit_file');
		await chat.controller.whenIdle();
		assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
		assert.equal(proposedDiffTabs().length, 0);
		const turn = chat.controller.conversationView.turns.at(-1);
		assert.ok(turn?.role === 'assistant' && turn.changes === undefined, 'a denied edit is not a change of the turn');
	});

	it('returns a search block that matches twice to the model without asking or writing', async () => {
		server.push(toolCallAnswer('', [{ id: 'call_1', name: 'edit_file', args: { path: `${relative}/a.txt`, edits: [{ search: 'alpha', replace: 'ALPHA' }, { search: 'beta', replace: 'BETA' }] } }]), textAnswer('I will add context.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Edit beta' });
		const failed = await chat.call('error', 'edit_file');
		assert.ok(failed.state === 'error');
		assert.match(failed.result.text, /Search block 2 matches 2 times in .*a\.txt \(lines 2, 4\); include more surrounding lines/);
		await chat.controller.whenIdle();
		assert.equal(chat.all('tool-call').filter((message) => message.call.state === 'awaiting-approval').length, 0, 'never asked');
		assert.match(toolResults(server.requests[1]), /Search block 2 matches 2 times/);
		assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL, 'block 1 was not applied either');
	});

	it('undoes turn 1 after turn 2: the edited file is restored and the created one deleted', async () => {
		await setWritePolicy('auto');
		const created = path.join(dir, 'nested', 'new.txt');
		server.push(
			toolCallAnswer('', [
				{ id: 'call_1', name: 'create_file', args: { path: `${relative}/nested/new.txt`, content: 'fresh\n' } },
				{ id: 'call_2', name: 'edit_file', args: { path: `${relative}/a.txt`, edits: [{ search: 'alpha', replace: 'one' }] } },
			]),
			textAnswer('Turn one done.'),
			toolCallAnswer('', [{ id: 'call_3', name: 'edit_file', args: { path: `${relative}/a.txt`, edits: [{ search: 'gamma', replace: 'three' }] } }]),
			textAnswer('Turn two done.'),
		);
		await chat.controller.receive({ type: 'send-prompt', text: 'Turn one' });
		const first = await chat.next('turn-start');
		await chat.controller.whenIdle();
		assert.equal(fs.readFileSync(created, 'utf8'), 'fresh\n', 'auto policy: written without asking');
		assert.equal(fs.readFileSync(file, 'utf8'), 'one\nbeta\ngamma\nbeta-two\n');
		assert.equal(proposedDiffTabs().length, 0, 'no diff is opened when nobody is asked');
		const files = await chat.next('turn-files', (message) => message.turnId === first.turnId && message.changes.files.length === 2);
		assert.deepEqual([...files.changes.files].sort(), [`${relative}/a.txt`, `${relative}/nested/new.txt`]);

		await chat.controller.receive({ type: 'send-prompt', text: 'Turn two' });
		const second = await chat.next('turn-start', (message) => message.turnId !== first.turnId);
		await chat.controller.whenIdle();
		assert.equal(fs.readFileSync(file, 'utf8'), 'one\nbeta\nthree\nbeta-two\n');
		await chat.next('turn-files', (message) => message.turnId === second.turnId);

		// Turn two changed a.txt after turn one: undo lists it with what would be lost and asks first.
		const warnings = answerWarnings('Undo Anyway');
		try {
			await chat.controller.receive({ type: 'undo-turn', turnId: first.turnId });
		} finally {
			warnings.dispose();
		}
		assert.deepEqual(warnings.shown.map((shown) => shown.detail), [`${relative}/a.txt: +1 −1 lines`]);
		await chat.next('turn-files', (message) => message.turnId === first.turnId && message.changes.undone);
		assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
		assert.equal(fs.existsSync(created), false, 'the file turn 1 created is deleted');

		// The saved conversation says which turns changed which files.
		const stored = await api.chatHost.controller.conversationView;
		const changes = (id: string): unknown => stored.turns.find((turn): turn is Extract<TurnView, { role: 'assistant' }> => turn.role === 'assistant' && turn.turnId === id)?.changes;
		assert.deepEqual(changes(second.turnId), { files: [`${relative}/a.txt`], undone: false });
		assert.equal((changes(first.turnId) as { undone: boolean }).undone, true);
	});

	it('edits the unsaved text of an open editor and leaves it unsaved', async () => {
		await setWritePolicy('auto');
		const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
		const editor = await vscode.window.showTextDocument(document);
		await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'draft\n'));
		server.push(toolCallAnswer('', [{ id: 'call_1', name: 'edit_file', args: { path: `${relative}/a.txt`, edits: [{ search: 'draft\nalpha', replace: 'draft\nALPHA' }] } }]), textAnswer('Done.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Edit the draft' });
		await chat.call('done', 'edit_file');
		await chat.controller.whenIdle();
		assert.equal(document.getText(), `draft\nALPHA${ORIGINAL.slice('alpha'.length)}`);
		assert.equal(document.isDirty, true, 'the user\'s unsaved work is not saved behind their back');
		assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
		await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
	});

	it('keeps checkpoints with the saved conversation: a chat reopened from history can still undo its turns', async () => {
		await setWritePolicy('auto');
		const created = path.join(dir, 'later.txt');
		server.push(toolCallAnswer('', [{ id: 'call_1', name: 'create_file', args: { path: `${relative}/later.txt`, content: 'x\n' } }]), textAnswer('Created.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Create a file' });
		const turn = await chat.next('turn-start');
		await chat.controller.whenIdle();
		assert.ok(fs.existsSync(created));
		const id = chat.controller.conversationView.id;
		await chat.controller.newChat();
		await chat.controller.receive({ type: 'history-open', id });
		const reopened = await chat.next('conversation', (message) => message.conversation.id === id);
		const view = reopened.conversation.turns.find((candidate) => candidate.turnId === turn.turnId);
		assert.deepEqual(view?.role === 'assistant' && view.changes, { files: [`${relative}/later.txt`], undone: false });
		await chat.controller.receive({ type: 'undo-turn', turnId: turn.turnId });
		assert.equal(fs.existsSync(created), false);
	});

	it('asks for a protected path (.vscode/*.json) even with the write policy on auto', async () => {
		await setWritePolicy('auto');
		const target = path.join(root, '.vscode', `${relative}.json`);
		server.push(toolCallAnswer('', [{ id: 'call_1', name: 'create_file', args: { path: `.vscode/${relative}.json`, content: '{}\n' } }]), textAnswer('Fine.'));
		await chat.controller.receive({ type: 'send-prompt', text: 'Add a settings file' });
		const asking = await chat.call('awaiting-approval', 'create_file');
		assert.ok(asking.state === 'awaiting-approval' && /\.vscode\/\*\.json/.test(asking.approval.forcedReason ?? ''), JSON.stringify(asking));
		await waitFor('the diff editor of the new file', () => proposedDiffTabs().length > 0);
		assert.equal(fs.existsSync(target), false);
		await chat.controller.receive({ type: 'deny', callId: asking.callId });
		await chat.controller.whenIdle();
		assert.equal(fs.existsSync(target), false);
	});
});
