// History search: every word of the query in the title or the message text, case-insensitive (CJK too), the
// caller's order kept (last activity first), a snippet where the text matched.
import * as assert from 'node:assert/strict';
import { HistorySearch, maxSearchChars, searchableText } from '../../../../src/vscode/conversation/historySearch';
import type { HistoryEntry } from '../../../../src/shared/protocol';

const entries: HistoryEntry[] = [
	{ id: 'b', title: 'Refactor the parser', updatedAt: 3 },
	{ id: 'a', title: 'Fix login bug', updatedAt: 2 },
	{ id: 'c', title: '部署脚本', updatedAt: 1 },
];

function index(): HistorySearch {
	const search = new HistorySearch();
	search.set('a', searchableText([
		{ role: 'user', turnId: 'u', text: 'The login form throws a NullPointerException on submit' },
		{ role: 'assistant', turnId: 'x', segments: [{ kind: 'text', text: 'The session cookie is missing.' }, { kind: 'reasoning', text: 'secret thoughts' }] },
	]));
	search.set('b', 'Split the tokenizer out of the parser.');
	search.set('c', '如何在服务器上运行部署脚本？');
	return search;
}

describe('HistorySearch', () => {
	it('matches titles and message text, every word, ignoring case, in the given order', () => {
		const search = index();
		assert.deepEqual(search.search('parser', entries).map((entry) => entry.id), ['b']);
		assert.deepEqual(search.search('SESSION cookie', entries).map((entry) => entry.id), ['a']);
		assert.deepEqual(search.search('the', entries).map((entry) => entry.id), ['b', 'a']);
		assert.deepEqual(search.search('login tokenizer', entries), []);
		assert.deepEqual(search.search('服务器', entries).map((entry) => entry.id), ['c']);
		assert.equal(search.search('   ', entries).length, 3);
	});

	it('gives a snippet around a match in the text, none for a title match, and skips reasoning', () => {
		const search = index();
		const [hit] = search.search('nullpointer', entries);
		assert.match(hit.snippet ?? '', /NullPointerException/);
		assert.equal(search.search('login', entries)[0].snippet, undefined);
		assert.deepEqual(search.search('secret', entries), []);
	});

	it('forgets a deleted chat and bounds the text kept per chat', () => {
		const search = index();
		search.delete('a');
		assert.deepEqual(search.search('cookie', entries), []);
		const long = searchableText([{ role: 'user', turnId: 'u', text: 'x'.repeat(maxSearchChars * 2) }]);
		assert.equal(long.length, maxSearchChars);
	});
});
