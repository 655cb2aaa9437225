// Secret hygiene of the CLI: a unique canary key passed through --api-key-env, whole sessions run through
// dist/cli.js (success, a 401 that echoes the key, a model that streams the key back in pieces, a redirect to
// another host, hosts that do not answer; --json and human output). The canary appears in no stdout or stderr,
// and only the configured host ever receives it. A --tools command the model calls prints its whole environment:
// no key variable is in it (the one --api-key-env names, the well-known ones, a copy under another name). A token
// printed by --auth-command is held to the same rule: a 401 body, a retried 500 and streamed text echo it.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Protocol } from '../../src/providers/types';
import { startScriptedServer, type ScriptedResponse, type ScriptedServer } from '../support/scriptedServer';
import { buildCli, runCli, writeToolsFile, type CliRun } from '../unit/cli/runCli';
import { answer, protocols } from './support';
import { Tally } from './tally';

const canary = `canary${randomBytes(12).toString('hex')}`;
const env = { SB_RELIABILITY_KEY: canary };

function leaks(run: CliRun): string[] {
	return [['stdout', run.stdout], ['stderr', run.stderr]].filter(([, text]) => text.includes(canary)).map(([name]) => name);
}

function sawCanary(server: ScriptedServer): boolean {
	return server.requests.some((request) => JSON.stringify(request.headers).includes(canary) || request.body.includes(canary) || request.url.includes(canary));
}

const echo401 = (protocol: Protocol): ScriptedResponse => ({
	status: 401,
	body: JSON.stringify(protocol === 'openai'
		? { error: { message: `Incorrect API key provided: ${canary}. Header was: Bearer ${canary}`, type: 'invalid_request_error', code: 'invalid_api_key' } }
		: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${canary}` } }),
});

describe('secret hygiene: a canary key never leaves through the CLI\'s output or to another host', function () {
	this.timeout(60_000);
	const tally = new Tally('secret hygiene');
	let server: ScriptedServer;
	let other: ScriptedServer;
	let sessions = 0;
	let printed = 0;
	let elsewhere = 0;
	before(() => buildCli());
	after(() => tally.print(`${sessions} CLI sessions, canary printed in ${printed}, seen by another host in ${elsewhere}`));
	beforeEach(async () => {
		server = await startScriptedServer();
		other = await startScriptedServer();
	});
	afterEach(async () => {
		await server.close();
		await other.close();
	});

	const args = (protocol: Protocol, baseUrl: string, ...extra: string[]) => [
		'chat', '--protocol', protocol, '--base-url', protocol === 'openai' ? `${baseUrl}/v1` : baseUrl, '--model', 'm', '--api-key-env', 'SB_RELIABILITY_KEY', '--max-retries', '0', ...extra, 'Hello',
	];

	async function session(protocol: Protocol, baseUrl: string, responses: ScriptedResponse[], json: boolean): Promise<CliRun> {
		server.push(...responses);
		sessions++;
		const run = await runCli(args(protocol, baseUrl, ...(json ? ['--json'] : [])), env);
		if (leaks(run).length > 0) printed++;
		if (sawCanary(other)) elsewhere++;
		assert.deepEqual(leaks(run), [], `the canary was printed (exit ${run.code})`);
		assert.equal(sawCanary(other), false, 'another host saw the canary');
		return run;
	}

	for (const protocol of protocols) {
		it(`${protocol}: a command tool the model calls cannot see any key variable in its environment`, () => tally.check(`${protocol} tool env`, async () => {
			const visible = `visible${randomBytes(6).toString('hex')}`;
			// Each key variable holds its own canary-derived value, so a leak names the variable that leaked.
			const keyVariables = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'SWITCHBOARD_API_KEY', 'SWITCHBOARD_AUTH_TOKEN'];
			const toolEnv = { ...env, ...Object.fromEntries(keyVariables.map((name) => [name, `${canary}-${name}`])), COPY_OF_THE_KEY: canary, SB_VISIBLE_MARKER: visible };
			const tools = writeToolsFile([{ name: 'show_env', description: 'Prints the environment.', parameters: { type: 'object', properties: {} }, command: 'env' }]);
			server.push(answer(protocol, { calls: [{ id: 'call_env', name: 'show_env', args: '{}' }] }), answer(protocol, { text: 'Seen.' }));
			sessions++;
			const run = await runCli(args(protocol, server.url, '--tools', tools, '--approve', 'all', '--json'), toolEnv);
			assert.equal(run.code, 0, run.stderr);
			assert.equal(server.requests.length, 2);
			// The tool's output reaches the model in the second request; headers carry the key by design, the body must not.
			const body = server.requests[1].body;
			assert.ok(body.includes(`SB_VISIBLE_MARKER=${visible}`), 'positive control: the environment was printed to the model');
			const seen = [canary, ...keyVariables].filter((needle) => body.includes(needle));
			if (seen.length > 0 || leaks(run).length > 0) printed++;
			assert.deepEqual(seen, [], 'key variables or values in the tool result');
			assert.deepEqual(leaks(run), []);
		}));

		for (const json of [false, true]) {
			const mode = json ? '--json' : 'human';
			it(`${protocol} ${mode}: a successful session sends the key to the configured host only`, () => tally.check(`${protocol} ${mode} success`, async () => {
				const run = await session(protocol, server.url, [answer(protocol, { text: 'Hello there.' })], json);
				assert.equal(run.code, 0, run.stderr);
				assert.ok(sawCanary(server), 'positive control: the configured host received the key');
				const header = protocol === 'openai' ? server.requests[0].headers.authorization : server.requests[0].headers['x-api-key'];
				assert.equal(header, protocol === 'openai' ? `Bearer ${canary}` : canary);
			}));

			it(`${protocol} ${mode}: a 401 whose body echoes the key prints the error without it`, () => tally.check(`${protocol} ${mode} 401`, async () => {
				const run = await session(protocol, server.url, [echo401(protocol)], json);
				assert.equal(run.code, 1);
				assert.match(run.stdout + run.stderr, /rejected the API key \(401\)/);
			}));

			it(`${protocol} ${mode}: a model that streams the key back in small pieces does not get it printed`, () => tally.check(`${protocol} ${mode} echo`, async () => {
				const run = await session(protocol, server.url, [answer(protocol, { text: `Your key is ${canary}, and again: ${canary}.`, pieces: 17 })], json);
				assert.equal(run.code, 0, run.stderr);
				assert.match(run.stdout, /Your key is/);
			}));

			it(`${protocol} ${mode}: a token from --auth-command echoed by a 401, a retried 500 and the model is never printed`, () => tally.check(`${protocol} ${mode} auth-command`, async () => {
				const token = `token${randomBytes(12).toString('hex')}`;
				const echo500: ScriptedResponse = { status: 500, body: JSON.stringify({ error: { message: `upstream saw token ${token}`, type: 'server_error' } }) };
				const echoed401 = echo401(protocol);
				server.push(
					{ ...echoed401, body: (echoed401.body ?? '').split(canary).join(token) },
					echo500,
					answer(protocol, { text: `Your token is ${token}, and again: ${token}.`, pieces: 17 }),
				);
				sessions++;
				const base = protocol === 'openai' ? `${server.url}/v1` : server.url;
				const run = await runCli(['chat', '--protocol', protocol, '--base-url', base, '--model', 'm', '--auth-command', 'printf %s "$SB_TOKEN_SOURCE"', '--max-retries', '1', ...(json ? ['--json'] : []), 'Hello'], { SB_TOKEN_SOURCE: token });
				const seen = [['stdout', run.stdout], ['stderr', run.stderr]].filter(([, text]) => text.includes(token)).map(([name]) => name);
				if (seen.length > 0) printed++;
				assert.equal(run.code, 0, run.stderr);
				assert.ok(server.requests.some((request) => JSON.stringify(request.headers).includes(token)), 'positive control: the token was sent');
				if (!json) assert.match(run.stderr, /Retrying in .*upstream saw token \*\*\*/);
				assert.match(run.stdout, /Your token is \*\*\*/);
				assert.deepEqual(seen, [], 'the token was printed');
			}));

			it(`${protocol} ${mode}: a redirect to another host does not carry the key there`, () => tally.check(`${protocol} ${mode} redirect`, async () => {
				const target = protocol === 'openai' ? `${other.url}/v1/chat/completions` : `${other.url}/v1/messages`;
				other.push(answer(protocol, { text: 'Served by another host.' }));
				await session(protocol, server.url, [{ status: 307, headers: { location: target }, body: '' }], json);
			}));

			it(`${protocol} ${mode}: hosts that refuse or do not resolve give a network error without the key`, () => tally.check(`${protocol} ${mode} bad host`, async () => {
				const closed = await startScriptedServer();
				const closedUrl = closed.url;
				await closed.close();
				for (const url of [closedUrl, 'http://switchboard-reliability.invalid']) {
					const run = await session(protocol, url, [], json);
					assert.equal(run.code, 1);
					assert.match(run.stdout + run.stderr, /network|Could not reach/i);
				}
			}));
		}
	}
});
