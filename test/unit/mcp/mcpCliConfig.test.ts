import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../../src/cli/args';
import { readMcpFile } from '../../../src/cli/mcpSetup';
import { writeMcpConfig } from './realServers';

describe('--mcp-config FILE', () => {
	const rejects = (file: string, pattern: RegExp) => assert.rejects(readMcpFile(file, '/work'), (error: unknown) => error instanceof UsageError && pattern.test(error.message));

	it('reads stdio and HTTP servers shaped like the setting, resolving a relative cwd, and lists their values for scrubbing', async () => {
		const file = writeMcpConfig({
			files: { command: 'node', args: ['server.js'], cwd: 'tools', env: { TOKEN: 'tok-123' } },
			docs: { url: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer abc' }, toolRisk: { search: 'read' } },
		});
		const { config, secrets } = await readMcpFile(file, '/work/project');
		assert.deepEqual(config.servers.files, { type: 'stdio', command: 'node', args: ['server.js'], cwd: path.resolve('/work/project', 'tools'), env: { TOKEN: 'tok-123' } });
		assert.deepEqual(config.servers.docs, { type: 'http', url: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer abc' }, toolRisk: { search: 'read' } });
		assert.deepEqual(secrets, ['tok-123', 'Bearer abc']);
	});

	it('names the file and the fix for each mistake', async () => {
		await rejects('/no/such/mcp.json', /^--mcp-config \/no\/such\/mcp\.json: ENOENT.*It must be a JSON object shaped like the switchboard\.mcpServers setting/);
		const broken = writeMcpConfig({});
		fs.writeFileSync(broken, '{ "docs": ');
		await rejects(broken, /is not valid JSON|Unexpected end of JSON input/);
		await rejects(writeMcpConfig([] as unknown as Record<string, unknown>), /expected a JSON object mapping a server name to its settings/);
		await rejects(writeMcpConfig({ docs: { url: 'ftp://x' }, tool: { command: 'node', arg: ['x'] } }), /Invalid MCP server configuration:\n- MCP server 'docs': "url" must start with http:\/\/ or https:\/\/, got ftp:\/\/\.\n- MCP server 'tool': unknown field "arg"/);
		await rejects(writeMcpConfig({ gh: { command: 'npx', env: { GITHUB_TOKEN: '${secret:github-token}' } } }), /MCP server 'gh' refers to \$\{secret:github-token\}, which only VS Code's secret storage holds/);
	});
});
