// What the history reads back from disk and workspaceState, in plain Node: only valid conversations and entries,
// newest first, the saved chat on top once, at most 1,000 listed, and file names that stay inside the folder.
import * as assert from 'node:assert/strict';
import type { HistoryEntry } from '../../../../src/shared/protocol';
import { nextWrite, parseChatFile } from '../../../../src/vscode/conversation/chatFile';
import { addSnapshot, fileNameOf, historyIndex, indexAfterSave, isStored, maxHistoryEntries, setTurnChanges, unchangedSince, type FileSnapshot, type StoredConversation } from '../../../../src/vscode/conversation/storedConversation';

const conversation = (id: string, updatedAt: number, turns = 1): StoredConversation => ({
	version: 1, id, title: `chat ${id}`, createdAt: 1, updatedAt,
	turns: Array.from({ length: turns }, (_, index) => ({ role: 'user' as const, turnId: `${id}-${index}`, text: 'hi' })),
	messages: [],
});

describe('stored conversations', () => {
	it('reads back only version-1 conversations with an id, turns and messages', () => {
		assert.equal(isStored(conversation('a', 5)), true);
		assert.equal(isStored(JSON.parse(JSON.stringify(conversation('a', 5)))), true, 'as read from its JSON file');
		for (const bad of [null, 'text', [], { ...conversation('a', 5), version: 2 }, { ...conversation('a', 5), id: 7 }, { ...conversation('a', 5), turns: {} }, { version: 1, id: 'x', turns: [] }]) {
			assert.equal(isStored(bad), false, JSON.stringify(bad));
		}
	});

	it('lists valid entries newest first and drops what a hand edit broke', () => {
		const stored: unknown = [
			{ id: 'old', title: 'Old', updatedAt: 1 },
			{ id: 'broken', title: 'No date' },
			'not an entry',
			{ id: 'new', title: 'New', updatedAt: 9 },
			{ id: 3, title: 'Number id', updatedAt: 5 },
		];
		assert.deepEqual(historyIndex(stored).map((entry) => entry.id), ['new', 'old']);
		assert.deepEqual(historyIndex(undefined), []);
		assert.deepEqual(historyIndex({ id: 'not a list' }), []);
	});

	it('a saved chat goes to the top once; an empty one is not listed; the list keeps the newest 1,000', () => {
		const entries: HistoryEntry[] = [{ id: 'b', title: 'B', updatedAt: 3 }, { id: 'a', title: 'old title', updatedAt: 2 }];
		assert.deepEqual(indexAfterSave(entries, conversation('a', 10)), [{ id: 'a', title: 'chat a', updatedAt: 10 }, { id: 'b', title: 'B', updatedAt: 3 }]);
		assert.equal(indexAfterSave(entries, conversation('c', 10, 0)), undefined);
		const full = Array.from({ length: maxHistoryEntries }, (_, index) => ({ id: `x${index}`, title: 'x', updatedAt: index }));
		const after = indexAfterSave(full, conversation('newest', 1000));
		assert.equal(after?.length, maxHistoryEntries);
		assert.equal(after?.[0].id, 'newest');
		assert.equal(after?.at(-1)?.id, `x${maxHistoryEntries - 2}`, 'the last one drops off');
	});

	it('file names keep our ids and cannot leave the chats folder', () => {
		assert.equal(fileNameOf('0123abcd'), '0123abcd.json');
		assert.equal(fileNameOf('../../settings'), '______settings.json');
		assert.equal(fileNameOf('C:\\evil'), 'C__evil.json');
		assert.ok(!fileNameOf('a/b\\c..d').includes('/'));
	});

	describe('checkpoint snapshots', () => {
		const target = { absolute: '/ws/a.ts', display: 'a.ts', inside: true };
		const noBytes = async (): Promise<Uint8Array | undefined> => assert.fail('bytes are read only for a new snapshot of an existing file');

		it('keeps the text before the turn\'s first write; later writes in the turn only update what it left', async () => {
			const files: FileSnapshot[] = [];
			assert.equal(await addSnapshot(files, { target, before: 'one\n', after: 'two\n' }, async () => Buffer.from('one\n')), true);
			assert.equal(await addSnapshot(files, { target, before: 'two\n', after: 'three\n' }, noBytes), false);
			assert.deepEqual(files, [{ path: '/ws/a.ts', display: 'a.ts', content: 'one\n', after: 'three\n' }]);
		});

		it('a file the turn created has no content, so undo deletes it', async () => {
			const files: FileSnapshot[] = [];
			await addSnapshot(files, { target, before: undefined, after: 'new\n' }, noBytes);
			assert.deepEqual(files, [{ path: '/ws/a.ts', display: 'a.ts', after: 'new\n' }]);
		});

		it('keeps the exact bytes when the text would not give them back (a BOM, Latin-1)', async () => {
			const files: FileSnapshot[] = [];
			const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n" in ISO-8859-1
			await addSnapshot(files, { target, before: 'café\n', after: 'tea\n' }, async () => latin1);
			assert.equal(files[0].content, 'café\n');
			assert.deepEqual(Buffer.from(files[0].bytes ?? '', 'base64'), latin1);
			const other: FileSnapshot[] = [];
			await addSnapshot(other, { target, before: 'café\n', after: 'tea\n' }, async () => Buffer.from('café\n'));
			assert.equal(other[0].bytes, undefined, 'UTF-8 text needs no bytes');
		});

		it('a file changed after the turn is told apart from one an editor only gave or took a BOM', () => {
			assert.equal(unchangedSince('x\n', 'x\n'), true);
			assert.equal(unchangedSince('x\n', '\ufeffx\n'), true);
			assert.equal(unchangedSince('x\n', 'x\ny\n'), false);
		});
	});

	it('marks an older turn\'s files on a new copy (so the chat file sees it) and the running last turn in place', () => {
		const chat: StoredConversation = {
			version: 1, id: 'c', title: 't', createdAt: 1, updatedAt: 1, messages: [],
			turns: [
				{ role: 'user', turnId: 'u1', text: 'edit a.ts' },
				{ role: 'assistant', turnId: 'a1', segments: [] },
				{ role: 'user', turnId: 'u2', text: 'and b.ts' },
				{ role: 'assistant', turnId: 'a2', segments: [] },
			],
		};
		const first = nextWrite(chat, undefined);
		const [older, last] = [chat.turns[1], chat.turns[3]];
		setTurnChanges(chat, 'a1', { files: ['a.ts'], undone: true });
		setTurnChanges(chat, 'a2', { files: ['b.ts'], undone: false });
		assert.notEqual(chat.turns[1], older);
		assert.equal(chat.turns[3], last, 'the running turn keeps its object');
		const second = nextWrite(chat, first.saved);
		assert.equal(second.append, true);
		assert.deepEqual(parseChatFile(first.text + second.text)?.turns, JSON.parse(JSON.stringify(chat.turns)));
		setTurnChanges(chat, 'u1', { files: [], undone: false });
		assert.equal(chat.turns[0].role === 'user' && 'changes' in chat.turns[0], false, 'a user turn has no files');
	});
});
