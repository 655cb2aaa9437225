// Hostile tool-call arguments through both adapters and the whole loop: wrong types, missing and extra fields,
// 100k-deep nesting, 100k-element arrays, lone surrogates, unknown tools, prototype keys. None runs a tool that
// its schema rejects, none crashes the loop, and the model is told what to fix. The same call made 20 times in
// a row is stopped by repeat detection, and the stop message says so.
import * as assert from 'node:assert/strict';
import { runAgentLoop, type AgentLoopResult } from '../../src/chat/agentLoop';
import type { Protocol } from '../../src/providers/types';
import { ToolRegistry } from '../../src/tools/registry';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { answer, approveAll, modelFor, protocols, providerFor, recorderTool, user } from './support';
import { Tally, unhandledRejections } from './tally';

const deep = 100_000;
const nested = `${'['.repeat(deep)}${']'.repeat(deep)}`;
const bigArray = `[${new Array(100_000).fill('0').join(',')}]`;

/** [name, raw arguments as streamed, tool name, whether the recording tool may run]. */
const cases: Array<[string, string, string, boolean]> = [
	['wrong type', '{"note":5}', 'record_note', false],
	['missing required field', '{}', 'record_note', false],
	['extra field', '{"note":"a","command":"rm -rf /"}', 'record_note', false],
	['null arguments', 'null', 'record_note', false],
	['array arguments', '["note"]', 'record_note', false],
	['a string, not an object', '"note"', 'record_note', false],
	['100k-deep nesting', `{"note":${nested}}`, 'record_note', false],
	['100k-deep nesting as the whole value', nested, 'record_note', false],
	['100k-element array', `{"note":${bigArray}}`, 'record_note', false],
	['__proto__ key', '{"__proto__":{"polluted":true},"note":"x"}', 'record_note', false],
	['not JSON', '{"note": "unterminated', 'record_note', false],
	['trailing garbage', '{"note":"a"} rm -rf /', 'record_note', false],
	['unknown tool', '{"note":"a"}', 'delete_everything', false],
	['lone surrogate (escaped)', '{"note":"\\ud800 and \\udfff"}', 'record_note', true],
	['100k-element array where allowed', `{"items":${bigArray}}`, 'take_list', true],
	['NUL and control characters', '{"note":"a\\u0000b\\u001bc"}', 'record_note', true],
];

describe('adversarial arguments: nothing the schema rejects runs, the loop survives and explains', function () {
	this.timeout(60_000);
	const tally = new Tally('arguments', () => `${cases.length} cases × ${protocols.length} protocols`);
	let server: ScriptedServer;
	let rejections: ReturnType<typeof unhandledRejections>;
	before(() => {
		rejections = unhandledRejections();
	});
	after(() => {
		rejections.dispose();
		tally.print();
	});
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	function loop(protocol: Protocol, tools: ReturnType<typeof recorderTool>[]): Promise<AgentLoopResult> {
		return runAgentLoop({
			provider: providerFor(protocol, server.url),
			model: modelFor(protocol),
			messages: [user('Take a note.')],
			registry: new ToolRegistry(tools.map((t) => t.tool)),
			approve: approveAll,
			signal: new AbortController().signal,
		});
	}

	for (const protocol of protocols) {
		for (const [name, args, toolName, runs] of cases) {
			it(`${protocol} ${name}: ${runs ? 'runs once with the exact value' : 'not run; the model is told why'}; the loop goes on`, () => tally.check(`${protocol} ${name}`, async () => {
				const note = recorderTool();
				const list = recorderTool('take_list', { type: 'object', properties: { items: { type: 'array', items: { type: 'integer' } } }, required: ['items'] });
				server.push(answer(protocol, { calls: [{ id: 'call_x', name: toolName, args }], pieces: 3 }), answer(protocol, { text: 'Understood.' }));
				const rejectionsBefore = rejections.count;
				const result = await loop(protocol, [note, list]);
				assert.equal(result.error, null, result.error?.message);
				assert.equal(result.steps[1]?.text, 'Understood.');
				const [call] = result.steps[0].toolCalls;
				const invocations = [...note.invocations, ...list.invocations];
				if (runs) {
					assert.equal(call.status, 'done', JSON.stringify(call.result).slice(0, 300));
					assert.equal(invocations.length, 1);
					assert.deepEqual(invocations[0], JSON.parse(args));
				} else {
					assert.equal(invocations.length, 0, 'the tool ran');
					assert.ok(['invalid', 'incomplete'].includes(call.status), call.status);
					const told = String(call.result);
					assert.match(told, /not run|no tool named|not valid JSON|Invalid arguments/i);
					assert.ok(told.length < 4000, `the message sent back is bounded (${told.length} chars)`);
					assert.ok(server.requests[1].body.includes('call_x'), 'the error went back to the model');
				}
				assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
				assert.ok(server.requests[1].body.length < 2_000_000, `the replayed request stays bounded (${server.requests[1].body.length} bytes)`);
				await new Promise((resolve) => setImmediate(resolve));
				assert.equal(rejections.count, rejectionsBefore);
			}));
		}

		it(`${protocol}: the same call 20 times in a row is stopped by repeat detection, which tells the user`, () => tally.check(`${protocol} repeated`, async () => {
			const note = recorderTool();
			for (let i = 0; i < 20; i++) server.push(answer(protocol, { calls: [{ id: `call_${i}`, name: 'record_note', args: '{"note":"again"}' }] }));
			const result = await loop(protocol, [note]);
			assert.equal(result.error?.kind, 'repeated-call');
			assert.match(result.error?.message ?? '', /Stopped: the model called record_note with the same arguments 3 times in a row/);
			assert.equal(server.requests.length, 3, 'no request after the stop');
			assert.equal(note.invocations.length, 2, 'the third identical call is not run');
			assert.equal(result.steps[2].toolCalls[0].status, 'denied');
			assert.match(String(result.steps[2].toolCalls[0].result), /same arguments 3 times in a row/);
		}));
	}
});
