// Sessions that vanish and the filesystem server from npm, through the CLI. The everything server's own HTTP
// entry answers 400 to a session it does not know; the spec's answer is 404, so here its MCP server (the npm
// package's createServer) sits behind the SDK's Streamable HTTP transport with spec session handling: 404 for an
// unknown session, and no standalone GET stream (405), so nothing but the next request can notice.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { openaiMessages, openaiTurn } from '../chat/scripts';
import { buildCli, parseJson, repoRoot, runCli } from '../cli/runCli';
import { filesystemMain, writeMcpConfig } from './realServers';

interface EverythingFactory {
	createServer(): { server: { connect(transport: Transport): Promise<void>; close(): Promise<void> }; cleanup(sessionId?: string): void };
}

interface SpecHost {
	url: string;
	/** Session ids the client sent, per request, in order. */
	seen: Array<string | undefined>;
	/** Forgets every session, as a restarted server would. */
	forget(): void;
	close(): Promise<void>;
}

async function startSpecHost(): Promise<SpecHost> {
	const entry = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'server', 'index.js');
	const { createServer } = (await import(pathToFileURL(entry).href)) as EverythingFactory;
	const sessions = new Map<string, { transport: StreamableHTTPServerTransport; close(): Promise<void> }>();
	const seen: Array<string | undefined> = [];
	const host = http.createServer((req, res) => {
		const id = req.headers['mcp-session-id'];
		const sessionId = typeof id === 'string' ? id : undefined;
		if (req.method === 'GET') {
			res.writeHead(405, { allow: 'POST, DELETE' }).end();
			return;
		}
		seen.push(sessionId);
		const known = sessionId ? sessions.get(sessionId) : undefined;
		if (known) {
			void known.transport.handleRequest(req, res);
			return;
		}
		if (sessionId !== undefined) {
			res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
			return;
		}
		const { server, cleanup } = createServer();
		const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
			sessionIdGenerator: () => randomUUID(),
			onsessioninitialized: (newId) => void sessions.set(newId, { transport, close: async () => { cleanup(newId); await server.close(); } }),
		});
		void server.connect(transport).then(() => transport.handleRequest(req, res));
	});
	await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
	const { port } = host.address() as AddressInfo;
	const forget = (): void => {
		for (const session of sessions.values()) void session.close();
		sessions.clear();
	};
	return {
		url: `http://127.0.0.1:${port}/mcp`,
		seen,
		forget,
		async close() {
			forget();
			host.closeAllConnections();
			await new Promise((resolve) => host.close(resolve));
		},
	};
}

describe('MCP: vanished sessions and the filesystem server, through the CLI', function () {
	this.timeout(120_000);
	let model: ScriptedServer;
	before(() => buildCli());
	beforeEach(async () => {
		model = await startScriptedServer();
	});
	afterEach(() => model.close());

	const chat = (config: string, ...extra: string[]): string[] =>
		['chat', '--protocol', 'openai', '--base-url', `${model.url}/v1`, '--model', 'gpt-4o', '--mcp-config', config, ...extra];

	it('starts a new session when the server answers 404 for ours, sends the call again once, and says so', async () => {
		const host = await startSpecHost();
		try {
			const config = writeMcpConfig({ everything: { url: host.url } });
			model.push(
				openaiTurn({ calls: [{ id: 'c_first', name: 'everything__echo', args: '{"message":"one"}' }] }),
				// The server forgets the session between the two calls, as a restart would.
				() => {
					host.forget();
					return openaiTurn({ calls: [{ id: 'c_second', name: 'everything__echo', args: '{"message":"two"}' }] });
				},
				openaiTurn({ text: 'ok' }),
			);
			const run = await runCli(chat(config, '--approve', 'all', '--json', 'Echo twice'));
			const output = parseJson(run);
			assert.equal(run.code, 0, run.stderr);
			assert.deepEqual(output.steps.slice(0, 2).map((s) => s.toolCalls.map((c) => [c.status, c.result])), [[['done', 'Echo: one']], [['done', 'Echo: two']]]);
			assert.match(run.stderr, /\[mcp\] MCP everything: the server no longer knows our session \(HTTP 404\); starting a new session and sending the request again\./);
			assert.equal(run.stderr.match(/MCP everything: connected\n/g)?.length, 2);
			// Both sessions were used: the call went out once on the old one (404) and once on the new one.
			const ids = [...new Set(host.seen.filter((id): id is string => id !== undefined))];
			assert.equal(ids.length, 2);
		} finally {
			await host.close();
		}
	});

	it('fails the call with the server\'s answer when the new session is refused too (one retry per call)', async () => {
		const host = await startSpecHost();
		try {
			const config = writeMcpConfig({ everything: { url: host.url } });
			model.push(
				openaiTurn({ calls: [{ id: 'c_first', name: 'everything__echo', args: '{"message":"one"}' }] }),
				() => {
					host.forget();
					// Every session is forgotten as soon as it is made: the retry meets a 404 too.
					const forgetLoop = setInterval(() => host.forget(), 1);
					setTimeout(() => clearInterval(forgetLoop), 4000);
					return openaiTurn({ calls: [{ id: 'c_second', name: 'everything__echo', args: '{"message":"two"}' }] });
				},
				openaiTurn({ text: 'ok' }),
			);
			const run = await runCli(chat(config, '--approve', 'all', '--json', 'Echo twice'));
			const output = parseJson(run);
			assert.equal(run.code, 0, run.stderr);
			const [second] = output.steps[1].toolCalls;
			assert.equal(second.status, 'error');
			assert.match(String(second.result), /^MCP server 'everything'/);
			assert.equal(run.stderr.match(/no longer knows our session \(HTTP 404\); starting a new session/g)?.length, 1);
		} finally {
			await host.close();
		}
	});

	it('runs the filesystem server over stdio: lists a directory it was given and refuses a path outside it', async () => {
		const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-fs-')));
		fs.writeFileSync(path.join(root, 'notes.txt'), 'hello from the filesystem server\n');
		const outside = fs.realpathSync(os.tmpdir());
		const config = writeMcpConfig({ files: { command: process.execPath, args: [filesystemMain, root], toolRisk: { read_text_file: 'read', list_directory: 'read' } } });
		model.push(
			openaiTurn({ calls: [
				{ id: 'c_list', name: 'files__list_directory', args: JSON.stringify({ path: root }) },
				{ id: 'c_read', name: 'files__read_text_file', args: JSON.stringify({ path: path.join(root, 'notes.txt') }) },
				{ id: 'c_out', name: 'files__read_text_file', args: JSON.stringify({ path: path.join(outside, 'elsewhere.txt') }) },
			] }),
			openaiTurn({ text: 'ok' }),
		);
		// --approve read: the toolRisk override makes these read tools, so they run without asking.
		const run = await runCli(chat(config, '--approve', 'read', '--json', 'Look at the files'));
		const output = parseJson(run);
		assert.equal(run.code, 0, run.stderr);
		const calls = output.steps[0].toolCalls;
		assert.deepEqual(calls.map((c) => c.status), ['done', 'done', 'error']);
		assert.match(String(calls[0].result), /\[FILE\] notes\.txt/);
		assert.equal(calls[1].result, 'hello from the filesystem server\n');
		assert.match(String(calls[2].result), /Access denied - path outside allowed directories/);
		const tools = openaiMessages(model.requests[1].json).filter((m) => m.role === 'tool');
		assert.equal(tools.length, 3);
		fs.rmSync(root, { recursive: true, force: true });
	});
});
