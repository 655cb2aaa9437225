import * as assert from 'node:assert/strict';
import { McpConfigError, parseMcpConfig, readMcpConfig } from '../../../src/mcp/mcpConfig';

describe('MCP server configuration', () => {
	it('reads stdio and http servers with their optional fields', () => {
		const config = parseMcpConfig({ servers: {
			files: { type: 'stdio', command: 'npx', args: ['-y', 'some-server', '/tmp'], env: { TOKEN: 'x' }, cwd: '/work', toolRisk: { read_file: 'read' } },
			docs: { type: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer t' } },
		} });
		assert.deepEqual(config.servers, {
			files: { type: 'stdio', command: 'npx', args: ['-y', 'some-server', '/tmp'], env: { TOKEN: 'x' }, cwd: '/work', toolRisk: { read_file: 'read' } },
			docs: { type: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer t' } },
		});
	});

	it('infers the type from "command" or "url" when it is left out', () => {
		const config = parseMcpConfig({ servers: { a: { command: 'node' }, b: { url: 'http://127.0.0.1:3000/mcp' } } });
		assert.equal(config.servers.a.type, 'stdio');
		assert.equal(config.servers.b.type, 'http');
	});

	it('treats a missing setting as no servers', () => {
		assert.deepEqual(parseMcpConfig(undefined), { servers: {} });
		assert.deepEqual(parseMcpConfig({}), { servers: {} });
	});

	it('names the server and field of each problem, and keeps the valid servers when reading leniently', () => {
		const reading = readMcpConfig({ servers: {
			good: { command: 'node' },
			noCommand: { type: 'stdio', args: ['x'] },
			badArgs: { command: 'node', args: 'x y' },
			badEnv: { command: 'node', env: { PORT: 8080 } },
			badUrl: { type: 'http', url: 'not a url' },
			ftp: { url: 'ftp://example.com' },
			typo: { command: 'node', arg: ['x'] },
			badType: { type: 'sse', url: 'http://x' },
			badRisk: { command: 'node', toolRisk: { rm: 'dangerous' } },
			neither: {},
		} });
		assert.deepEqual(Object.keys(reading.config.servers), ['good']);
		assert.deepEqual(reading.problems, [
			'MCP server \'noCommand\': "command" must be a non-empty string, the program to start (e.g. "npx").',
			'MCP server \'badArgs\': "args" must be an array of strings.',
			'MCP server \'badEnv\': "env" values must be strings; fix "PORT".',
			'MCP server \'badUrl\': "url" is not a valid URL: "not a url".',
			'MCP server \'ftp\': "url" must start with http:// or https://, got ftp://.',
			'MCP server \'typo\': unknown field "arg" (allowed: type, command, args, env, cwd, toolRisk, callTimeoutSeconds).',
			'MCP server \'badType\': "type" must be "stdio" or "http", got "sse".',
			'MCP server \'badRisk\': "toolRisk.rm" must be "read", "write" or "execute", got "dangerous".',
			'MCP server \'neither\': set "command" to start a process (stdio) or "url" to connect over HTTP.',
		]);
	});

	it('throws one error listing every problem when parsing strictly', () => {
		assert.throws(() => parseMcpConfig({ servers: { a: { command: '' }, b: 'node' } }), (error: unknown) => {
			assert.ok(error instanceof McpConfigError);
			assert.equal(error.problems.length, 2);
			assert.match(error.message, /^Invalid MCP server configuration:\n- MCP server 'a': "command"/);
			assert.match(error.message, /- MCP server 'b': expected an object with "command" \(stdio\) or "url" \(http\)\.$/);
			return true;
		});
	});

	it('rejects a configuration that is not an object, or servers that are not a map', () => {
		assert.deepEqual(readMcpConfig([]).problems, ['The MCP configuration must be an object with a "servers" object.']);
		assert.deepEqual(readMcpConfig({ servers: [] }).problems, ['"servers" must be an object mapping a server name to its settings.']);
	});
});
