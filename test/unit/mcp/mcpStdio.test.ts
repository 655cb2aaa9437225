import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { McpServerConnection, McpServerError } from '../../../src/mcp/mcpClient';
import { McpHub } from '../../../src/mcp/mcpHub';
import type { AnyTool } from '../../../src/tools/types';
import { echoServerConfig, isRunning, MemoryLog, toolContext, waitFor } from './support';

describe('MCP over stdio (the real echo server)', function () {
	this.timeout(60_000);
	let dir: string;
	let startsFile: string;
	const open: Array<{ dispose(): Promise<void> }> = [];

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-stdio-'));
		startsFile = path.join(dir, 'starts.txt');
	});
	afterEach(async () => {
		await Promise.all(open.splice(0).map((o) => o.dispose()));
		fs.rmSync(dir, { recursive: true, force: true });
	});

	const starts = (): number[] => fs.existsSync(startsFile) ? fs.readFileSync(startsFile, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];
	const hubWith = (log: MemoryLog, restart = {}): McpHub => {
		const hub = new McpHub({ servers: { echo: echoServerConfig({ env: { ECHO_SERVER_STARTS: startsFile } }) } }, { log, restart });
		open.push(hub);
		return hub;
	};
	const tool = (tools: AnyTool[], name: string): AnyTool => {
		const found = tools.find((t) => t.name === name);
		assert.ok(found, `no tool ${name} in ${tools.map((t) => t.name).join(', ')}`);
		return found;
	};

	it('starts no process until the tools are first asked for, then exactly one', async () => {
		const hub = hubWith(new MemoryLog());
		await new Promise((resolve) => setTimeout(resolve, 300));
		assert.deepEqual(starts(), []);
		assert.deepEqual(hub.servers, [{ name: 'echo', transport: 'stdio', state: 'idle', starts: 0, restarts: 0, lastError: undefined, nextStartAt: undefined, toolCount: undefined }]);
		await hub.tools();
		await hub.tools();
		assert.equal(starts().length, 1);
		assert.equal(hub.servers[0].state, 'ready');
	});

	it('offers the server\'s tools namespaced by server, execute-class, with the server\'s schema', async () => {
		const hub = hubWith(new MemoryLog());
		const tools = await hub.tools();
		assert.deepEqual(tools.map((t) => t.name), ['echo__echo', 'echo__add', 'echo__fail', 'echo__picture', 'echo__wait', 'echo__grow', 'echo__crash']);
		const echo = tool(tools, 'echo__echo');
		assert.equal(echo.risk, 'execute');
		assert.equal(echo.description, 'Returns the text it was given.');
		assert.deepEqual(echo.inputSchema, { type: 'object', properties: { text: { type: 'string', description: 'The text to send back' } }, required: ['text'] });
		assert.deepEqual(await echo.approval({ text: 'hi' }, toolContext()), { risk: 'execute', summary: 'MCP echo: echo', summaryPhrase: { key: 'mcpTool', args: ['echo', 'echo'] } });
	});

	it('calls tools through our Tool objects: text results, numbers, isError as an error result, images as a note', async () => {
		const tools = await hubWith(new MemoryLog()).tools();
		const context = toolContext();
		assert.deepEqual(await tool(tools, 'echo__echo').invoke({ text: 'héllo 世界' }, context), { type: 'text', value: 'echo: héllo 世界' });
		assert.deepEqual(await tool(tools, 'echo__add').invoke({ a: 2, b: 40 }, context), { type: 'text', value: '42' });
		assert.deepEqual(await tool(tools, 'echo__fail').invoke({}, context), { type: 'error-text', value: 'the fail tool always fails' });
		const picture = await tool(tools, 'echo__picture').invoke({}, context);
		assert.equal(picture.type, 'text');
		assert.match(picture.type === 'text' ? picture.value : '', /^a pixel\n\n\[image \(image\/png, 68 bytes\) returned by the tool; it cannot be shown here\]$/);
	});

	it('forwards each line the server writes to stderr to the log', async () => {
		const log = new MemoryLog();
		const tools = await hubWith(log).tools();
		await tool(tools, 'echo__echo').invoke({ text: 'to stderr' }, toolContext());
		await waitFor('the stderr line of the call', () => log.matching(/echo called/).length > 0);
		assert.deepEqual(log.matching(/stderr/), [
			`info MCP echo stderr: echo server ready, pid ${starts()[0]}`,
			'info MCP echo stderr: echo called with "to stderr"',
		]);
	});

	it('cancels a running call when the turn\'s signal aborts, and the server hears about it', async () => {
		const log = new MemoryLog();
		const tools = await hubWith(log).tools();
		const controller = new AbortController();
		const started = Date.now();
		const call = tool(tools, 'echo__wait').invoke({ ms: 20_000 }, toolContext(controller.signal));
		setTimeout(() => controller.abort(), 200);
		await assert.rejects(call, (error: Error) => error.name === 'ToolError');
		assert.ok(Date.now() - started < 5000);
		await waitFor('the server to see the cancellation', () => log.matching(/wait cancelled/).length > 0);
	});

	it('restarts a crashed server with exponential backoff, and the next call works', async () => {
		const log = new MemoryLog();
		const hub = hubWith(log, { initialDelayMs: 150, maxDelayMs: 10_000 });
		const tools = await hub.tools();
		const firstPid = starts()[0];
		await assert.rejects(tool(tools, 'echo__crash').invoke({}, toolContext()), /closed the connection during the request; it is being restarted/);
		await waitFor('the first restart', () => starts().length === 2);
		assert.equal(isRunning(firstPid), false);
		// A call made while the server restarts waits for it instead of failing.
		await assert.rejects(tool(tools, 'echo__crash').invoke({}, toolContext()), /closed the connection/);
		assert.deepEqual(await tool(tools, 'echo__echo').invoke({ text: 'back' }, toolContext()), { type: 'text', value: 'echo: back' });
		assert.equal(starts().length, 3);
		assert.deepEqual(log.matching(/restarting in/), [
			'info MCP echo: restarting in 150 ms (attempt 1 of 5).',
			'info MCP echo: restarting in 300 ms (attempt 2 of 5).',
		]);
		assert.equal(log.matching(/exited unexpectedly/).length, 2);
	});

	it('caps the backoff delay and gives up after the configured restarts in a row, starting afresh on the next use', async () => {
		const log = new MemoryLog();
		// Starts fine, then every restart fails: the flag file makes later starts exit at once.
		const flag = path.join(dir, 'broken');
		const config = echoServerConfig({ env: { ECHO_SERVER_STARTS: startsFile, ECHO_SERVER_EXIT_IF: flag } });
		const connection = new McpServerConnection('flaky', config, { log, restart: { initialDelayMs: 50, maxDelayMs: 100, maxAttempts: 3 } });
		open.push(connection);
		await connection.listTools();
		fs.writeFileSync(flag, '');
		process.kill(connection.pid ?? 0);
		await waitFor('giving up', () => connection.state === 'failed');
		assert.deepEqual(log.matching(/restarting in/), [
			'info MCP flaky: restarting in 50 ms (attempt 1 of 3).',
			'info MCP flaky: restarting in 100 ms (attempt 2 of 3).',
			'info MCP flaky: restarting in 100 ms (attempt 3 of 3).',
		]);
		assert.equal(log.matching(/gave up after 3 restarts/).length, 1);
		fs.rmSync(flag);
		assert.equal((await connection.listTools()).length, 7);
		assert.equal(connection.state, 'ready');
	});

	it('reports a server that cannot start to the log and leaves its tools out, keeping the other servers', async () => {
		const log = new MemoryLog();
		const hub = new McpHub({ servers: {
			echo: echoServerConfig(),
			missing: { type: 'stdio', command: path.join(dir, 'no-such-program') },
		} }, { log });
		open.push(hub);
		const tools = await hub.tools();
		assert.equal(tools.filter((t) => t.name.startsWith('echo__')).length, 7);
		assert.equal(tools.filter((t) => t.name.startsWith('missing__')).length, 0);
		assert.equal(log.matching(/warn MCP missing: its tools are not available: MCP server 'missing' did not start/).length, 1);
		assert.equal(hub.connection('missing')?.state, 'failed');
	});

	it('drops its cached tool list when the server says the list changed, and reports the change', async () => {
		let changes = 0;
		const hub = new McpHub({ servers: { echo: echoServerConfig() } }, { log: new MemoryLog(), onToolsChanged: () => changes++ });
		open.push(hub);
		const before = await hub.tools();
		assert.deepEqual(await tool(before, 'echo__grow').invoke({ name: 'shiny' }, toolContext()), { type: 'text', value: 'added shiny' });
		await waitFor('the list_changed notification', () => changes > 0);
		const after = await hub.tools();
		assert.deepEqual(await tool(after, 'echo__shiny').invoke({}, toolContext()), { type: 'text', value: 'shiny' });
	});

	it('restarts on request, also during a backoff wait, and a call waiting for the restart gets the new process', async () => {
		const log = new MemoryLog();
		const connection = new McpServerConnection('echo', echoServerConfig({ env: { ECHO_SERVER_STARTS: startsFile } }), { log, restart: { initialDelayMs: 20_000 } });
		open.push(connection);
		await connection.listTools();
		await connection.restart();
		assert.equal(starts().length, 2);
		assert.deepEqual([connection.status.state, connection.status.restarts, connection.status.toolCount], ['ready', 1, 7]);
		process.kill(connection.pid ?? 0);
		await waitFor('the 20 s backoff', () => connection.state === 'backoff');
		assert.ok((connection.status.nextStartAt ?? 0) > Date.now() + 15_000);
		assert.equal(connection.status.lastError, 'The server exited unexpectedly.');
		const waiting = connection.callTool('echo', { text: 'after restart' }, new AbortController().signal);
		await connection.restart();
		assert.deepEqual((await waiting).content, [{ type: 'text', text: 'echo: after restart' }]);
		assert.equal(starts().length, 3);
		assert.equal(log.matching(/restarting on request/).length, 2);
	});

	it('stops the process on dispose and refuses later calls', async () => {
		const connection = new McpServerConnection('echo', echoServerConfig({ env: { ECHO_SERVER_STARTS: startsFile } }), { log: new MemoryLog() });
		await connection.listTools();
		const pid = starts()[0];
		assert.ok(isRunning(pid));
		await connection.dispose();
		await waitFor('the process to exit', () => !isRunning(pid));
		await assert.rejects(connection.callTool('echo', { text: 'x' }, new AbortController().signal), (error: unknown) => error instanceof McpServerError && error.reason === 'disposed');
	});
});
