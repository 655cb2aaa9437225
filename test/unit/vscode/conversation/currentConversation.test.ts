// The current conversation against an in-memory history, in plain Node: what is loaded at start, how a turn cut
// off by a reload comes back, switching chats, and when saves happen.
import * as assert from 'node:assert/strict';
import { CurrentConversation, newId, type ConversationStore } from '../../../../src/vscode/conversation/currentConversation';
import type { StoredConversation } from '../../../../src/vscode/conversation/storedConversation';
import type { Log } from '../../../../src/vscode/log';

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function memoryStore(saved: StoredConversation[] = [], currentId?: string) {
	const files = new Map(saved.map((conversation) => [conversation.id, structuredClone(conversation)]));
	const saves: StoredConversation[] = [];
	const store: ConversationStore & { current?: string } = {
		current: currentId,
		get currentId() {
			return this.current;
		},
		async setCurrent(id) {
			this.current = id;
		},
		async load(id) {
			const found = files.get(id);
			return found && structuredClone(found);
		},
		async save(conversation) {
			saves.push(structuredClone(conversation));
			files.set(conversation.id, structuredClone(conversation));
		},
	};
	return { store, saves, files };
}

function quietLog(errors: string[] = []): Log {
	return { info: () => undefined, warn: () => undefined, error: (message) => void errors.push(message), addSecret: () => undefined, show: () => undefined };
}

const cutOff: StoredConversation = {
	version: 1, id: 'cut', title: 'Cut off', createdAt: 1, updatedAt: 2,
	turns: [
		{ role: 'user', turnId: 'u1', text: 'read a.ts' },
		{ role: 'assistant', turnId: 'a1', segments: [
			{ kind: 'text', text: 'Reading it.' },
			{ kind: 'tool', call: { callId: 'c1', toolName: 'read_file', summary: 'Read a.ts', argumentsText: '{"path":"a.ts"}', state: 'awaiting-approval', approval: { mode: 'ask', offerAlwaysAllow: true, inApproveAll: true } } },
		] },
	],
	messages: [{ role: 'user', content: [{ type: 'text', text: 'read a.ts' }] }],
};

describe('CurrentConversation', () => {
	it('starts a new conversation, and makes it current, when the history names none', async () => {
		const { store } = memoryStore();
		const current = new CurrentConversation(store, quietLog());
		await current.load();
		assert.equal(current.value.turns.length, 0);
		assert.equal(store.currentId, current.value.id);
		assert.match(newId(), /^[0-9a-f]{16}$/);
	});

	it('loads the current conversation; a turn cut off by a reload comes back interrupted, its waiting call not run', async () => {
		const { store } = memoryStore([cutOff], 'cut');
		const current = new CurrentConversation(store, quietLog());
		await current.load();
		const [, assistant] = current.value.turns;
		assert.ok(assistant.role === 'assistant');
		assert.equal(assistant.finish, 'interrupted');
		const card = assistant.segments[1];
		assert.ok(card.kind === 'tool');
		assert.equal(card.call.state, 'incomplete');
		assert.deepEqual(current.value.messages.at(-1), { role: 'assistant', content: [{ type: 'text', text: 'Reading it.' }] }, 'the cut text joins the model history');
	});

	it('opening a chat saves the one it leaves; an unreadable chat leaves everything as it was', async () => {
		const { store, saves } = memoryStore([cutOff]);
		const current = new CurrentConversation(store, quietLog());
		await current.load();
		const first = current.value.id;
		assert.equal(await current.open('missing'), false);
		assert.equal(current.value.id, first);
		assert.equal(await current.open('cut'), true);
		assert.equal(current.value.id, 'cut');
		assert.equal(store.currentId, 'cut');
		assert.deepEqual(saves.map((saved) => saved.id), [first]);
	});

	it('saves once for many scheduled changes, and never after close', async () => {
		const { store, saves } = memoryStore();
		const current = new CurrentConversation(store, quietLog());
		await current.load();
		for (let index = 0; index < 5; index++) current.scheduleSave(10);
		await wait(40);
		assert.equal(saves.length, 1);
		current.scheduleSave(10);
		await current.close();
		assert.equal(saves.length, 2, 'close saves what was pending, once');
		current.scheduleSave(1);
		await current.saveNow();
		await wait(10);
		assert.equal(saves.length, 2);
	});

	it('a failing save is logged, not thrown', async () => {
		const { store } = memoryStore();
		const errors: string[] = [];
		const current = new CurrentConversation({ ...store, currentId: undefined, setCurrent: store.setCurrent, load: store.load, save: () => Promise.reject(new Error('disk full')) }, quietLog(errors));
		await current.load();
		await current.saveNow();
		assert.deepEqual(errors, ['Could not save the chat']);
	});
});
