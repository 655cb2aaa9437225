// The reference "everything" MCP server from npm (pinned devDependency), over stdio and Streamable HTTP, driven
// through the CLI (`--mcp-config`) by a scripted model: listing and naming, calls, an image result, a task-only
// tool left out, progress that outlasts the call timeout, and a server killed in the middle of a call.
import * as assert from 'node:assert/strict';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { openaiMessages, openaiTurn } from '../chat/scripts';
import { buildCli, parseJson, runCli } from '../cli/runCli';
import { everythingStdio, startCli, startHttpEverything, writeMcpConfig, type HttpEverything } from './realServers';

function offered(server: ScriptedServer, index = 0): string[] {
	return ((server.requests[index]?.json?.tools ?? []) as Array<{ function: { name: string } }>).map((tool) => tool.function.name);
}

function toolMessage(server: ScriptedServer, requestIndex: number, callId: string): string {
	const message = openaiMessages(server.requests[requestIndex]?.json).find((m) => m.role === 'tool' && m.tool_call_id === callId);
	return String(message?.content);
}

describe('MCP: the everything server from npm, through the CLI', function () {
	this.timeout(120_000);
	let model: ScriptedServer;
	let http: HttpEverything | undefined;
	before(() => buildCli());
	beforeEach(async () => {
		model = await startScriptedServer();
	});
	afterEach(async () => {
		await model.close();
		await http?.kill();
		http = undefined;
	});

	const chat = (config: string, ...extra: string[]): string[] =>
		['chat', '--protocol', 'openai', '--base-url', `${model.url}/v1`, '--model', 'gpt-4o', '--mcp-config', config, ...extra];

	for (const transport of ['stdio', 'http'] as const) {
		it(`lists the tools as everything__<tool> and calls them over ${transport}: text, a sum, an image; the task-only tool is left out`, async () => {
			if (transport === 'http') http = await startHttpEverything();
			const config = writeMcpConfig({ everything: transport === 'http' ? { url: http?.url } : everythingStdio() });
			model.push(
				openaiTurn({ calls: [
					{ id: 'c_echo', name: 'everything__echo', args: '{"message":"héllo 世界"}' },
					{ id: 'c_sum', name: 'everything__get-sum', args: '{"a":2,"b":40}' },
					{ id: 'c_image', name: 'everything__get-tiny-image', args: '{}' },
				] }),
				openaiTurn({ text: 'All done.' }),
			);
			const run = await runCli(chat(config, '--approve', 'all', '--json', 'Use the tools'));
			const output = parseJson(run);
			assert.equal(run.code, 0, run.stderr);
			const tools = offered(model);
			for (const name of ['everything__echo', 'everything__get-sum', 'everything__get-tiny-image', 'everything__trigger-long-running-operation']) assert.ok(tools.includes(name), `offered: ${tools.join(', ')}`);
			assert.ok(!tools.includes('everything__simulate-research-query'), 'a tool that runs only as a task is not offered');
			assert.match(run.stderr, /\[mcp\] MCP everything: tool 'simulate-research-query' is left out: it runs only as an MCP task/);
			const calls = output.steps[0].toolCalls;
			assert.deepEqual(calls.map((c) => [c.name, c.status]), [['everything__echo', 'done'], ['everything__get-sum', 'done'], ['everything__get-tiny-image', 'done']]);
			assert.equal(calls[0].result, 'Echo: héllo 世界');
			assert.equal(calls[1].result, 'The sum of 2 and 40 is 42.');
			assert.match(String(calls[2].result), /^Here's the image you requested:\n\n\[image \(image\/png, \d+ bytes\) returned by the tool; it cannot be shown here\]\n\nThe image above is the MCP logo\.$/);
			assert.equal(toolMessage(model, 1, 'c_sum'), 'The sum of 2 and 40 is 42.');
		});
	}

	it('keeps a call alive while the server reports progress past the call timeout, and shows the progress', async () => {
		const config = writeMcpConfig({ everything: everythingStdio({ callTimeoutSeconds: 2 }) });
		model.push(
			openaiTurn({ calls: [
				// 4 s in 4 steps: a progress report every second keeps the 2 s timeout from firing.
				{ id: 'c_progress', name: 'everything__trigger-long-running-operation', args: '{"duration":4,"steps":4}' },
				// 3 s in one step: nothing is heard for 3 s, so the 2 s timeout fires.
				{ id: 'c_silent', name: 'everything__trigger-long-running-operation', args: '{"duration":3,"steps":1}' },
			] }),
			openaiTurn({ text: 'ok' }),
		);
		const run = await runCli(chat(config, '--approve', 'all', 'Run long'));
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stderr, /✓ MCP everything: trigger-long-running-operation\n/);
		for (const percent of [25, 50, 75]) assert.match(run.stderr, new RegExp(`… MCP everything: trigger-long-running-operation: ${percent}%\\n`));
		assert.match(toolMessage(model, 1, 'c_progress'), /^Long running operation completed\. Duration: 4 seconds, Steps: 4\.$/);
		assert.match(toolMessage(model, 1, 'c_silent'), /^Error: MCP server 'everything': MCP error -32001: Request timed out/);
	});

	it('fails a stdio call whose server was killed, restarts the server, and the next call works', async () => {
		const config = writeMcpConfig({ everything: everythingStdio() });
		model.push(
			openaiTurn({ calls: [{ id: 'c_long', name: 'everything__trigger-long-running-operation', args: '{"duration":20,"steps":20}' }] }),
			openaiTurn({ calls: [{ id: 'c_after', name: 'everything__echo', args: '{"message":"back"}' }] }),
			openaiTurn({ text: 'ok' }),
		);
		const cli = startCli(chat(config, '--approve', 'all', 'Run long'));
		const [, pid] = await cli.waitForStderr(/MCP everything: connected \(pid (\d+)\)/);
		await cli.waitForStderr(/… MCP everything: trigger-long-running-operation: 5%/);
		const killedAt = Date.now();
		process.kill(Number(pid), 'SIGKILL');
		const run = await cli.done;
		assert.equal(run.code, 0, run.stderr);
		assert.equal(toolMessage(model, 1, 'c_long'), 'Error: MCP server \'everything\' closed the connection during the request; it is being restarted.');
		assert.equal(toolMessage(model, 2, 'c_after'), 'Echo: back');
		assert.ok(Date.now() - killedAt < 15_000, 'the killed call failed promptly, not at the call timeout');
		assert.match(run.stderr, /MCP everything: the server exited unexpectedly\./);
		assert.match(run.stderr, /MCP everything: restarting in 1000 ms \(attempt 1 of 5\)\./);
		assert.equal(run.stderr.match(/MCP everything: connected \(pid \d+\)/g)?.length, 2);
	});

	it('fails an HTTP call whose server was killed, promptly, reconnects once the server is back, and the next call works', async () => {
		http = await startHttpEverything();
		const config = writeMcpConfig({ everything: { url: http.url } });
		model.push(
			openaiTurn({ calls: [{ id: 'c_long', name: 'everything__trigger-long-running-operation', args: '{"duration":20,"steps":20}' }] }),
			openaiTurn({ calls: [{ id: 'c_after', name: 'everything__echo', args: '{"message":"back over http"}' }] }),
			openaiTurn({ text: 'ok' }),
		);
		const cli = startCli(chat(config, '--approve', 'all', 'Run long'));
		await cli.waitForStderr(/… MCP everything: trigger-long-running-operation: 5%/);
		const killedAt = Date.now();
		await http.kill();
		// The same address comes back, as a restarted service would; it knows none of the old sessions.
		http = await startHttpEverything(http.port);
		const run = await cli.done;
		assert.equal(run.code, 0, run.stderr);
		assert.match(toolMessage(model, 1, 'c_long'), /^Error: MCP server 'everything' lost the connection during the request \(the server (does not answer \(fetch failed: ECONNREFUSED\)|no longer knows our session \(it restarted\))\); it is being restarted\.$/);
		assert.equal(toolMessage(model, 2, 'c_after'), 'Echo: back over http');
		assert.ok(Date.now() - killedAt < 20_000, 'the killed call failed promptly, not at the call timeout');
		assert.match(run.stderr, /MCP everything: the connection was lost: /);
		assert.match(run.stderr, /MCP everything: restarting in 1000 ms \(attempt 1 of 5\)\./);
		assert.equal(run.stderr.match(/MCP everything: connected\n/g)?.length, 2);
	});

	it('carries on after the HTTP server restarted between two calls (it answers 400 for the old session)', async () => {
		http = await startHttpEverything();
		const config = writeMcpConfig({ everything: { url: http.url } });
		const port = http.port;
		let restarted: Promise<void> | undefined;
		model.push(
			openaiTurn({ calls: [{ id: 'c_one', name: 'everything__echo', args: '{"message":"one"}' }] }),
			() => {
				// The server restarts while the model "thinks"; its call arrives once the new server listens.
				restarted = (async () => {
					await http?.kill();
					http = await startHttpEverything(port);
				})();
				return { ...openaiTurn({ calls: [{ id: 'c_two', name: 'everything__echo', args: '{"message":"two"}' }] }), delayMs: 400 };
			},
			openaiTurn({ text: 'ok' }),
		);
		const run = await runCli(chat(config, '--approve', 'all', '--json', 'Echo twice'));
		await restarted;
		const output = parseJson(run);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(output.steps.slice(0, 2).map((step) => step.toolCalls.map((c) => [c.status, c.result])), [[['done', 'Echo: one']], [['done', 'Echo: two']]]);
		// Whichever notices first, the dropped stream's check or the call itself, a new session carries on.
		assert.match(run.stderr, /MCP everything: (the connection was lost: the server (does not answer|no longer knows our session)|the server no longer knows our session \(HTTP 400\))/);
		assert.equal(run.stderr.match(/MCP everything: connected\n/g)?.length, 2);
	});
});
