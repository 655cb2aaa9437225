// Which other extensions' tools a turn offers, from switchboard.vscodeTools, in plain Node.
import * as assert from 'node:assert/strict';
import { choiceFor, chooseTools, modelToolName, parseToolChoices, type ToolChoice } from '../../../../src/vscode/lm/toolChoices';

describe('switchboard.vscodeTools', () => {
	it('true means execute-class; a risk class or false is kept; anything else is reported and skipped', () => {
		const warnings: string[] = [];
		const choices = parseToolChoices({ a: true, b: 'read', c: 'write', d: false, e: 'yes', f: 1 }, (message) => warnings.push(message));
		assert.deepEqual([...choices], [['a', 'execute'], ['b', 'read'], ['c', 'write'], ['d', false]]);
		assert.equal(warnings.length, 2);
		assert.match(warnings[0], /"e" must be true, false, "read", "write" or "execute"/);
		for (const raw of [undefined, null, ['a'], 'a']) assert.equal(parseToolChoices(raw, () => assert.fail('no warning')).size, 0);
	});

	it('a tool\'s own choice wins over its extension\'s, and extension ids match in any case', () => {
		const choices = new Map<string, ToolChoice>([['Peer.Tools', 'read'], ['peer_search', false]]);
		assert.equal(choiceFor(choices, 'peer_lookup', 'peer.tools'), 'read');
		assert.equal(choiceFor(choices, 'peer_search', 'peer.tools'), false);
		assert.equal(choiceFor(choices, 'other', 'someone.else'), undefined);
		assert.equal(choiceFor(choices, 'mcp_tool', undefined), undefined, 'an MCP tool has no extension');
	});

	it('names the model sees use only the characters providers accept, 64 at most', () => {
		assert.equal(modelToolName('peer_lookup-2'), 'peer_lookup-2');
		assert.equal(modelToolName('mcp.server/read file'), 'mcp_server_read_file');
		assert.equal(modelToolName(''), '_');
		assert.equal(modelToolName('x'.repeat(80)).length, 64);
	});

	it('offers only opted-in tools, in VS Code\'s order, and leaves out a second tool with the same cleaned name', () => {
		const warnings: string[] = [];
		const available = [{ name: 'a.b' }, { name: 'skipped' }, { name: 'a_b' }, { name: 'owned' }, { name: 'refused' }];
		const choices = new Map<string, ToolChoice>([['a.b', 'read'], ['a_b', 'write'], ['ext.one', 'execute'], ['refused', false]]);
		const owners = new Map([['owned', 'Ext.One'], ['refused', 'Ext.One']]);
		const chosen = chooseTools(available, choices, owners, (message) => warnings.push(message));
		assert.deepEqual(chosen.map(({ info, name, risk }) => [info.name, name, risk]), [['a.b', 'a_b', 'read'], ['owned', 'owned', 'execute']]);
		assert.deepEqual(warnings, ["VS Code tool 'a_b' is left out: another opted-in tool is also called 'a_b'."]);
	});
});
