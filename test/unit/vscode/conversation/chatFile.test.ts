// The chat file's format, in plain Node: a save appends only what changed (so a turn of a long chat costs its own
// size), the file reads back as the conversation that was saved, files of earlier versions still read, and a damaged
// or hand-edited file is refused, except a last line the window's closing cut short.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChatMessage } from '../../../../src/shared/chat';
import type { TurnView } from '../../../../src/shared/protocol';
import { compactAfterBytes, nextWrite, parseChatFile, type SavedFile } from '../../../../src/vscode/conversation/chatFile';
import type { StoredConversation } from '../../../../src/vscode/conversation/storedConversation';

type AssistantView = Extract<TurnView, { role: 'assistant' }>;

function chat(turns = 0): StoredConversation {
	const conversation: StoredConversation = { version: 1, id: 'c1', title: 'A chat', createdAt: 1, updatedAt: 2, turns: [], messages: [] };
	for (let n = 0; n < turns; n++) addTurn(conversation, n);
	return conversation;
}

function addTurn(conversation: StoredConversation, n: number, answer = `Answer ${n}: ${'words '.repeat(200)}`): AssistantView {
	conversation.turns.push({ role: 'user', turnId: `u${n}`, text: `Question ${n}` });
	conversation.messages.push({ role: 'user', content: [{ type: 'text', text: `Question ${n}` }] });
	const view: AssistantView = { role: 'assistant', turnId: `a${n}`, segments: [{ kind: 'text', text: answer }], finish: 'stop' };
	conversation.turns.push(view);
	conversation.messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] } satisfies ChatMessage);
	return view;
}

/** Writes as the store does: the file's text and what it holds after each save. */
class File {
	text = '';
	saved: SavedFile | undefined;
	appends = 0;
	save(conversation: StoredConversation): string {
		const write = nextWrite(conversation, this.saved);
		this.text = write.append ? this.text + write.text : write.text;
		if (write.append) this.appends++;
		this.saved = write.saved;
		return write.text;
	}
	read(): StoredConversation | undefined {
		return parseChatFile(this.text);
	}
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('chat file', () => {
	it('writes a chat whole the first time and reads it back', () => {
		const conversation = chat(3);
		const file = new File();
		file.save(conversation);
		assert.equal(file.appends, 0);
		assert.deepEqual(file.read(), plain(conversation));
	});

	it('appends a turn of a long chat at the cost of that turn, not of the chat', () => {
		const conversation = chat(200);
		const file = new File();
		const whole = file.save(conversation);
		addTurn(conversation, 200);
		const line = file.save(conversation);
		assert.equal(file.appends, 1);
		assert.ok(line.length < 5000 && whole.length > 100 * line.length, `appended ${line.length} bytes to a ${whole.length}-byte chat`);
		assert.doesNotMatch(line, /Question 150/, 'earlier turns are not written again');
		assert.deepEqual(file.read(), plain(conversation));
	});

	it('rewrites the last saved turn, which grows in place while it runs, and replaced older turns', () => {
		const conversation = chat(2);
		const file = new File();
		file.save(conversation);
		const running = addTurn(conversation, 2, 'Read');
		file.save(conversation);
		running.segments.push({ kind: 'text', text: 'ing the file.' });
		running.finish = 'stop';
		file.save(conversation);
		assert.deepEqual(file.read(), plain(conversation));
		// An older turn is changed by putting a new object in its place (Undo marks the turn's files).
		const older = conversation.turns[1] as AssistantView;
		conversation.turns[1] = { ...older, changes: { files: ['a.ts'], undone: true } };
		file.save(conversation);
		assert.equal(file.appends, 3);
		assert.deepEqual(file.read(), plain(conversation));
	});

	it('follows the model history cut back by Retry, the title, times and checkpoints', () => {
		const conversation = chat(3);
		const file = new File();
		file.save(conversation);
		conversation.messages.length = 4;
		conversation.title = 'Renamed';
		conversation.updatedAt = 99;
		conversation.checkpoints = { a2: [{ path: '/w/a.ts', display: 'a.ts', content: 'old', after: 'new' }] };
		file.save(conversation);
		assert.deepEqual(file.read(), plain(conversation));
		// A later write in the same turn changes what the turn left, in place.
		conversation.checkpoints.a2[0].after = 'newer';
		conversation.checkpoints.a3 = [{ path: '/w/b.ts', display: 'b.ts', after: 'created' }];
		assert.match(file.save(conversation), /newer/);
		delete conversation.checkpoints.a2;
		file.save(conversation);
		assert.equal(file.appends, 3);
		assert.deepEqual(file.read(), plain(conversation));
		assert.doesNotMatch(file.save(conversation), /checkpoints/, 'unchanged checkpoints are not written again');
	});

	it('writes whole again for another object (the chat reloaded) and once the appended lines outgrow the chat', () => {
		const conversation = chat(2);
		const file = new File();
		file.save(conversation);
		const reloaded = file.read();
		assert.ok(reloaded);
		file.save(reloaded);
		assert.equal(file.appends, 0, 'a copy of the chat is written whole');
		const running = addTurn(reloaded, 2, '');
		const text = running.segments[0] as { kind: 'text'; text: string };
		let wholeAgain = false;
		for (let n = 0; n < 400 && !wholeAgain; n++) {
			text.text += 'x'.repeat(2000);
			const appendsBefore = file.appends;
			file.save(reloaded);
			wholeAgain = file.appends === appendsBefore;
		}
		assert.ok(wholeAgain, 'the file was written whole again');
		assert.ok(file.text.length < 2 * compactAfterBytes + 4 * text.text.length, `the file stays near the chat's size (${file.text.length} bytes)`);
		assert.deepEqual(file.read(), plain(reloaded));
	});

	it('reads a chat saved whole by an earlier version', () => {
		const text = fs.readFileSync(path.join(__dirname, '../../../fixtures/history/saved-before-toolcall-record.json'), 'utf8');
		const stored = parseChatFile(text);
		assert.equal(stored?.title, 'Read the notes');
		assert.deepEqual(stored, JSON.parse(text));
		assert.deepEqual(parseChatFile(JSON.stringify(chat(2))), plain(chat(2)), 'on one line too');
	});

	it('keeps what was saved before a last line the closing window cut short', () => {
		const conversation = chat(2);
		const file = new File();
		file.save(conversation);
		const before = plain(conversation);
		addTurn(conversation, 2);
		const line = file.save(conversation);
		assert.deepEqual(parseChatFile(file.text.slice(0, file.text.length - Math.floor(line.length / 2))), before);
	});

	it('refuses a damaged or hand-edited file', () => {
		const conversation = chat(2);
		const file = new File();
		file.save(conversation);
		addTurn(conversation, 2);
		file.save(conversation);
		const [header, first, second] = file.text.split('\n');
		const bad = [
			'',
			'not json',
			`${header}\n`,
			`${header}\n{"meta":{}}\n`,
			`${header}\n${first.slice(0, 40)}\n${second}\n`,
			`${header}\n${first}\n${second.replace(/"turnsFrom":\d+/, '"turnsFrom":99')}\n`,
			`${header}\n${first}\n${second.replace(/"messages":\[/, '"messages":{"x":[').replace(/\]\}$/, ']}}')}\n`,
			`${header.replace('"version":1', '"version":7')}\n${first}\n`,
			JSON.stringify({ ...conversation, version: 2 }),
		];
		for (const text of bad) assert.equal(parseChatFile(text), undefined, text.slice(0, 120));
	});
});
