// A few faults through the CLI binary (dist/cli.js) as a user meets them: exit code 1, the classified error on
// stderr saying what to do, the partial answer kept in the --json steps and on stdout, and the next run works.
import * as assert from 'node:assert/strict';
import type { Protocol } from '../../src/providers/types';
import { startFaultServer, type FaultName, type FaultServer } from '../support/faultServer';
import { buildCli, parseJson, runCli } from '../unit/cli/runCli';
import { answer, protocols } from './support';
import { Tally } from './tally';

const partial = 'The partial answer so far. ';
const cases: Array<[FaultName, string, boolean]> = [
	['reset-mid-stream', 'interrupted', true],
	['error-event-in-200', 'overloaded', true],
	['429-quota-body', 'quota', false],
	['502-html', 'server', false],
];

describe('faults through the CLI binary', function () {
	this.timeout(60_000);
	const tally = new Tally('CLI faults', () => `${cases.length} faults × ${protocols.length} protocols × 2 output modes`);
	let server: FaultServer;
	before(() => buildCli());
	after(() => tally.print());
	beforeEach(async () => {
		server = await startFaultServer();
	});
	afterEach(() => server.close());

	const args = (protocol: Protocol, json: boolean) => [
		'chat', '--protocol', protocol, '--base-url', protocol === 'openai' ? `${server.url}/v1` : server.url, '--model', 'm', '--max-retries', '0', ...(json ? ['--json'] : []), 'Hello',
	];
	const good = (protocol: Protocol) => answer(protocol, { text: partial, calls: [{ id: 'c1', name: 'get_time', args: '{"zone":"UTC"}' }] });

	for (const protocol of protocols) {
		for (const [fault, kind, keepsPartial] of cases) {
			it(`${protocol} ${fault}: exit 1, a ${kind} error that says what to do, ${keepsPartial ? 'partial answer kept, ' : ''}the next run works`, () => tally.check(`${protocol} ${fault}`, async () => {
				server.inject(fault, protocol, good(protocol));
				const json = await runCli(args(protocol, true), { SWITCHBOARD_API_KEY: 'sk-cli-faults' });
				assert.equal(json.code, 1, json.stderr);
				const output = parseJson(json);
				assert.equal(output.error?.kind, kind);
				assert.match(output.error?.message ?? '', /try again|check|retrying will not help/i);
				assert.match(json.stderr, new RegExp(`Error \\(${kind}`));
				if (keepsPartial) assert.equal(output.steps[0].text, partial);

				server.inject(fault, protocol, good(protocol));
				const human = await runCli(args(protocol, false), { SWITCHBOARD_API_KEY: 'sk-cli-faults' });
				assert.equal(human.code, 1);
				if (keepsPartial) assert.ok(human.stdout.includes(partial.trim()), human.stdout);
				assert.match(human.stderr, new RegExp(`Error \\(${kind}`));

				server.push(answer(protocol, { text: 'Working again.' }));
				const retry = await runCli(args(protocol, true), { SWITCHBOARD_API_KEY: 'sk-cli-faults' });
				assert.equal(retry.code, 0, retry.stderr);
				assert.equal(parseJson(retry).steps[0].text, 'Working again.');
			}));
		}
	}
});
