// HistoryStore over a node:fs 'vscode' shim (the bench's): saves asked for while one is written become one save,
// a turn appends to the file, the list in workspaceState is written when its order or a title changes (a moved time
// a little later, or on flush), and a file changed behind the store's back is written whole again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { installVscodeShim, MemoryMemento } from '../../../../bench/lib/vscodeShim';
import type { TurnView } from '../../../../src/shared/protocol';
import type { StoredConversation } from '../../../../src/vscode/conversation/storedConversation';

const Uri = installVscodeShim();
// Loaded after the shim is in place (a static import would load 'vscode' first).
const { HistoryStore } = createRequire(__filename)('../../../../src/vscode/conversation/historyStore') as typeof import('../../../../src/vscode/conversation/historyStore');

class CountingMemento extends MemoryMemento {
	updates: string[] = [];
	override async update(key: string, value: unknown): Promise<void> {
		this.updates.push(key);
		await super.update(key, value);
	}
}

function addTurn(conversation: StoredConversation, n: number): void {
	const answer = `Answer ${n}: ${'words '.repeat(200)}`;
	conversation.turns.push({ role: 'user', turnId: `u${n}`, text: `Question ${n}` });
	conversation.turns.push({ role: 'assistant', turnId: `a${n}`, segments: [{ kind: 'text', text: answer }], finish: 'stop' } satisfies TurnView);
	conversation.messages.push({ role: 'user', content: [{ type: 'text', text: `Question ${n}` }] }, { role: 'assistant', content: [{ type: 'text', text: answer }] });
}

const chat = (id: string, turns: number): StoredConversation => {
	const conversation: StoredConversation = { version: 1, id, title: `Chat ${id}`, createdAt: 1, updatedAt: 2, turns: [], messages: [] };
	for (let n = 0; n < turns; n++) addTurn(conversation, n);
	return conversation;
};

describe('HistoryStore', () => {
	let dir: string;
	let state: CountingMemento;
	let store: InstanceType<typeof HistoryStore>;
	const fileOf = (id: string): string => path.join(dir, 'chats', `${id}.json`);
	const lines = (id: string): number => fs.readFileSync(fileOf(id), 'utf8').split('\n').filter(Boolean).length;

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-history-test-'));
		state = new CountingMemento();
		store = new HistoryStore(state as never, Uri.file(dir) as never);
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('appends each turn of a chat to its file and reads the chat back whole', async () => {
		const conversation = chat('c1', 100);
		await store.save(conversation);
		const size = fs.statSync(fileOf('c1')).size;
		addTurn(conversation, 100);
		conversation.updatedAt = 3;
		await store.save(conversation);
		assert.equal(lines('c1'), 3, 'the header, the whole chat, one appended line');
		assert.ok(fs.statSync(fileOf('c1')).size - size < size / 50, 'the turn added its own size');
		assert.deepEqual(await new HistoryStore(state as never, Uri.file(dir) as never).load('c1'), JSON.parse(JSON.stringify(conversation)));
	});

	it('makes the saves asked for while one is written one save, holding the latest state', async () => {
		const conversation = chat('c1', 2);
		const saves = [store.save(conversation)];
		// The first write starts (a microtask later); the saves below are asked for while it is written.
		await Promise.resolve();
		for (let n = 2; n < 7; n++) {
			addTurn(conversation, n);
			saves.push(store.save(conversation));
		}
		await Promise.all(saves);
		assert.equal(lines('c1'), 3, 'the header and the first write, then one line for the five asked meanwhile');
		assert.equal((await store.load('c1'))?.turns.length, 14);
	});

	it('writes the list when a chat moves up or is renamed, and a moved time only later or on flush', async () => {
		const older = chat('old', 1);
		const conversation = chat('c1', 1);
		await store.save(older);
		await store.save(conversation);
		assert.deepEqual(state.updates, ['switchboard.history', 'switchboard.history']);
		conversation.updatedAt = 50;
		await store.save(conversation);
		assert.equal(state.updates.length, 2, 'only the time of the top chat changed');
		assert.equal(store.list()[0].updatedAt, 50, 'the list shows it meanwhile');
		conversation.title = 'Renamed';
		await store.save(conversation);
		assert.equal(state.updates.length, 3);
		conversation.updatedAt = 60;
		await store.save(conversation);
		await store.flushed();
		assert.equal(state.updates.length, 4);
		assert.deepEqual(new HistoryStore(state as never, Uri.file(dir) as never).list().map((entry) => [entry.id, entry.updatedAt]), [['c1', 60], ['old', 2]]);
	});

	it('writes the file whole again when it changed behind the store\'s back, and reads an earlier version\'s file', async () => {
		const conversation = chat('c1', 2);
		await store.save(conversation);
		fs.rmSync(fileOf('c1'));
		addTurn(conversation, 2);
		await store.save(conversation);
		assert.deepEqual(await store.load('c1'), JSON.parse(JSON.stringify(conversation)));
		const earlier = chat('e1', 2);
		fs.writeFileSync(fileOf('e1'), JSON.stringify(earlier, null, 2));
		const loaded = await store.load('e1');
		assert.deepEqual(loaded, earlier);
		assert.ok(loaded);
		addTurn(loaded, 2);
		await store.save(loaded);
		assert.equal(lines('e1'), 2, 'saved in the current format');
		assert.deepEqual(await store.load('e1'), JSON.parse(JSON.stringify(loaded)));
		fs.writeFileSync(fileOf('e1'), '{"hand": "edited"}');
		assert.equal(await store.load('e1'), undefined);
	});
});
