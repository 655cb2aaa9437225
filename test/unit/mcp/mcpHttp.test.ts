import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpHub } from '../../../src/mcp/mcpHub';
import { echoServerPath, MemoryLog, toolContext, waitFor } from './support';

interface EchoServer {
	connect(transport: Transport): Promise<void>;
	close(): Promise<void>;
}

interface HttpMcpServer {
	url: string;
	/** Headers of every request, in order. */
	headers: http.IncomingHttpHeaders[];
	closedSessions: string[];
	close(): Promise<void>;
}

/** The echo server's tools over Streamable HTTP on 127.0.0.1: one SDK transport and server per session. */
async function startHttpMcpServer(): Promise<HttpMcpServer> {
	const { createEchoServer } = (await import(pathToFileURL(echoServerPath).href)) as { createEchoServer: () => EchoServer };
	const sessions = new Map<string, StreamableHTTPServerTransport>();
	const servers: EchoServer[] = [];
	const headers: http.IncomingHttpHeaders[] = [];
	const closedSessions: string[] = [];
	const httpServer = http.createServer((req, res) => {
		headers.push(req.headers);
		const id = req.headers['mcp-session-id'];
		const transport = typeof id === 'string' ? sessions.get(id) : undefined;
		if (!transport && id === undefined && req.method === 'POST') {
			const created = new StreamableHTTPServerTransport({
				sessionIdGenerator: () => randomUUID(),
				onsessioninitialized: (sessionId) => void sessions.set(sessionId, created),
				onsessionclosed: (sessionId) => void closedSessions.push(sessionId),
			});
			const server = createEchoServer();
			servers.push(server);
			void server.connect(created).then(() => created.handleRequest(req, res));
			return;
		}
		if (!transport) {
			res.writeHead(404).end();
			return;
		}
		void transport.handleRequest(req, res);
	});
	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	const { port } = httpServer.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/mcp`,
		headers,
		closedSessions,
		async close() {
			await Promise.all(servers.map((s) => s.close()));
			httpServer.closeAllConnections();
			await new Promise((resolve) => httpServer.close(resolve));
		},
	};
}

describe('MCP over Streamable HTTP (an in-process SDK server)', function () {
	this.timeout(30_000);
	let server: HttpMcpServer;
	let hub: McpHub | undefined;
	beforeEach(async () => {
		server = await startHttpMcpServer();
	});
	afterEach(async () => {
		await hub?.dispose();
		hub = undefined;
		await server.close();
	});

	it('connects only when the tools are first asked for, then lists and calls them with the configured headers', async () => {
		hub = new McpHub({ servers: { 'remote docs': { type: 'http', url: server.url, headers: { Authorization: 'Bearer test-token' } } } }, { log: new MemoryLog() });
		assert.equal(server.headers.length, 0);
		const tools = await hub.tools();
		assert.deepEqual(tools.map((t) => t.name), ['remote_docs__echo', 'remote_docs__add', 'remote_docs__fail', 'remote_docs__picture', 'remote_docs__wait', 'remote_docs__grow']);
		const add = tools.find((t) => t.name === 'remote_docs__add');
		assert.deepEqual(await add?.invoke({ a: 1.5, b: 2 }, toolContext()), { type: 'text', value: '3.5' });
		assert.deepEqual(await add?.approval({ a: 1, b: 2 }, toolContext()), { risk: 'execute', summary: 'MCP remote docs: add', summaryPhrase: { key: 'mcpTool', args: ['remote docs', 'add'] } });
		const fail = tools.find((t) => t.name === 'remote_docs__fail');
		assert.deepEqual(await fail?.invoke({}, toolContext()), { type: 'error-text', value: 'the fail tool always fails' });
		assert.ok(server.headers.length >= 3);
		assert.ok(server.headers.every((h) => h.authorization === 'Bearer test-token'));
	});

	it('applies the per-tool risk override from the settings', async () => {
		hub = new McpHub({ servers: { docs: { type: 'http', url: server.url, toolRisk: { echo: 'read' } } } }, { log: new MemoryLog() });
		const tools = await hub.tools();
		assert.deepEqual(tools.filter((t) => t.risk !== 'execute').map((t) => [t.name, t.risk]), [['docs__echo', 'read']]);
	});

	it('ends the HTTP session when disposed', async () => {
		hub = new McpHub({ servers: { docs: { type: 'http', url: server.url } } }, { log: new MemoryLog() });
		await hub.tools();
		await hub.dispose();
		await waitFor('the session to be closed on the server', () => server.closedSessions.length === 1);
	});

	it('leaves out the tools of a URL nobody answers and says why in the log', async () => {
		const log = new MemoryLog();
		await server.close();
		hub = new McpHub({ servers: { gone: { type: 'http', url: server.url } } }, { log });
		server = await startHttpMcpServer();
		assert.deepEqual(await hub.tools(), []);
		assert.equal(log.matching(/warn MCP gone: its tools are not available: MCP server 'gone' did not start/).length, 1);
	});
});
