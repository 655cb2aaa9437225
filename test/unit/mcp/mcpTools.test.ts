import * as assert from 'node:assert/strict';
import type { McpCallResult, McpToolInfo } from '../../../src/mcp/mcpClient';
import { createMcpTools, maxToolNameLength, mcpToolName, toToolOutput } from '../../../src/mcp/mcpTools';
import { toolContext } from './support';

const result = (content: McpCallResult['content'], extra: Partial<McpCallResult> = {}): McpCallResult => ({ content, isError: false, ...extra });

describe('MCP tools as our tools', () => {
	it('names tools <server>__<tool> in the provider-safe charset', () => {
		assert.equal(mcpToolName('github', 'create_issue'), 'github__create_issue');
		assert.equal(mcpToolName('My Server!', 'files.read/v2'), 'My_Server___files_read_v2');
		assert.match(mcpToolName('数据', 'query'), /^___[0-9a-f]{6}__query$/);
		assert.notEqual(mcpToolName('数据', 'query'), mcpToolName('文件', 'query'), 'non-ASCII names that sanitize alike stay apart');
		assert.match(mcpToolName('', ''), /^[a-zA-Z0-9_-]+$/);
	});

	it('cuts names over 64 characters and keeps them apart with a hash of the full name', () => {
		const long = 'a'.repeat(80);
		const first = mcpToolName('server', `${long}_one`);
		const second = mcpToolName('server', `${long}_two`);
		assert.equal(first.length, maxToolNameLength);
		assert.equal(second.length, maxToolNameLength);
		assert.notEqual(first, second);
		assert.match(first, /^server__a+_[0-9a-f]{8}$/);
		assert.equal(mcpToolName('server', `${long}_one`), first, 'stable across calls');
	});

	it('makes the schema provider-safe: object type, properties present, no $schema marker', () => {
		const info: McpToolInfo = { name: 'ping', inputSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' } };
		const [tool] = createMcpTools('net', { callTool: async () => result([]) }, [info]);
		assert.deepEqual(tool.inputSchema, { type: 'object', properties: {} });
		assert.equal(tool.description, 'The \'ping\' tool of the MCP server \'net\'.');
	});

	it('passes the arguments and the turn\'s signal to the server', async () => {
		const seen: Array<[string, unknown, AbortSignal]> = [];
		const [tool] = createMcpTools('s', { callTool: async (name, args, signal) => (seen.push([name, args, signal]), result([{ type: 'text', text: 'ok' }])) }, [{ name: 'do', inputSchema: { type: 'object' } }]);
		const context = toolContext();
		assert.deepEqual(await tool.invoke({ x: 1 }, context), { type: 'text', value: 'ok' });
		assert.deepEqual(seen, [['do', { x: 1 }, context.signal]]);
		assert.throws(() => tool.parse([1]), /arguments must be a JSON object/);
	});

	it('turns text, resources and links into text and binary content into a note', () => {
		const output = toToolOutput(result([
			{ type: 'text', text: 'first' },
			{ type: 'resource', resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: 'file body' } },
			{ type: 'resource', resource: { uri: 'file:///a.bin', mimeType: 'application/octet-stream', blob: 'AAAA' } },
			{ type: 'resource_link', uri: 'https://example.com/doc', name: 'The doc' },
			{ type: 'audio', data: 'AAAAAA==', mimeType: 'audio/wav' },
			{ type: 'hologram' },
		]));
		assert.deepEqual(output, { type: 'text', value: [
			'first',
			'Resource file:///a.txt:\nfile body',
			'[binary resource file:///a.bin (application/octet-stream, 3 bytes); it cannot be shown here]',
			'Resource link: The doc <https://example.com/doc>',
			'[audio (audio/wav, 4 bytes) returned by the tool; it cannot be shown here]',
			'[content of type \'hologram\' that cannot be shown here]',
		].join('\n\n') });
	});

	it('returns structured content as JSON when there is no text, and says when there is nothing', () => {
		assert.deepEqual(toToolOutput(result([], { structuredContent: { temperature: 22 } })), { type: 'json', value: { temperature: 22 } });
		assert.deepEqual(toToolOutput(result([])), { type: 'text', value: '(The tool returned no content.)' });
	});

	it('turns isError into an error result, with a message even when the server gave none', () => {
		assert.deepEqual(toToolOutput(result([{ type: 'text', text: 'no such repo' }], { isError: true })), { type: 'error-text', value: 'no such repo' });
		assert.deepEqual(toToolOutput(result([], { isError: true })), { type: 'error-text', value: 'The tool reported an error without a message.' });
	});

	it('cuts a huge result so it cannot flood the model\'s context', () => {
		const output = toToolOutput(result([{ type: 'text', text: 'x'.repeat(150_000) }]));
		assert.equal(output.type, 'text');
		const value = output.type === 'text' ? output.value : '';
		assert.ok(value.length < 100_100);
		assert.match(value, /… \(cut: the result had 150000 characters\)$/);
	});
});
