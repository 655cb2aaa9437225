// Fuzzes the stream handling of both adapters: recorded OpenAI and Anthropic SSE fixtures, cut at random byte
// offsets and mutated (flipped, dropped, repeated, inserted bytes, truncation), are served by an in-process fetch
// to the real adapters (the SDK parses the SSE, our code accumulates) under the real agent loop. Properties: no
// throw out of the loop, no hang, a tool runs only with arguments that parsed and validated and only from a
// response that completed, and a stream that was only re-split gives exactly the unsplit result.
import * as assert from 'node:assert/strict';
import { runAgentLoop, type AgentLoopResult } from '../../../src/chat/agentLoop';
import { createProvider } from '../../../src/providers/registry';
import type { Protocol } from '../../../src/providers/types';
import { ToolRegistry } from '../../../src/tools/registry';
import { validateSchema } from '../../../src/tools/schema';
import { readFixture } from '../../support/scriptedServer';
import { approveAll, recorderTool, user } from '../support';
import { Tally } from '../tally';
import { fuzzInputs, fuzzSeed, rate, Random, within } from './random';

const fixtures: Array<[Protocol, string]> = [
	['openai', 'openai-text-stream.sse'],
	['openai', 'openai-parallel-tool-calls.sse'],
	['openai', 'openai-deepseek-reasoning.sse'],
	['openai', 'seed-000-openai-get-weather.sse'],
	['anthropic', 'anthropic-text.sse'],
	['anthropic', 'anthropic-tool-use.sse'],
	['anthropic', 'anthropic-thinking.sse'],
	['anthropic', 'anthropic-redacted-thinking.sse'],
	['anthropic', 'anthropic-error.sse'],
];

const weatherSchema = { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string' } }, required: ['location'] };
/** Provider errors that mean the response did not complete (not the loop's own step cap). */
const loopStops = new Set(['step-cap', 'repeated-call', 'truncated', 'content-filter']);
const insertable = [...'\n\n:data: event: {}[]",0\r'].map((c) => c.charCodeAt(0));

/** A fetch that answers every request with `chunks` as an SSE body, without a socket. */
function fetchServing(chunks: readonly Uint8Array[]): typeof fetch {
	return async () => new Response(new ReadableStream<Uint8Array>({
		start(controller) {
			for (const chunk of chunks) controller.enqueue(chunk);
			controller.close();
		},
	}), { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

function mutate(bytes: Buffer, random: Random): Buffer {
	let out = bytes;
	const operations = random.int(1, 3);
	for (let i = 0; i < operations; i++) {
		const at = random.int(0, out.length);
		const length = random.int(1, 40);
		switch (random.int(0, 5)) {
			case 0: {
				const copy = Buffer.from(out);
				if (copy.length > 0) copy[Math.min(at, copy.length - 1)] ^= 1 << random.int(0, 7);
				out = copy;
				break;
			}
			case 1:
				out = Buffer.concat([out.subarray(0, at), out.subarray(at + length)]);
				break;
			case 2:
				out = Buffer.concat([out.subarray(0, at + length), out.subarray(at, at + length), out.subarray(at + length)]);
				break;
			case 3:
				out = Buffer.concat([out.subarray(0, at), Buffer.from(Array.from({ length: random.int(1, 8) }, () => random.chance(0.5) ? random.pick(insertable) : random.int(0, 255))), out.subarray(at)]);
				break;
			case 4:
				out = out.subarray(0, at);
				break;
			default: {
				// Swap two neighbouring events: out-of-order deltas and stops.
				const events = out.toString('latin1').split('\n\n');
				const index = random.int(0, Math.max(0, events.length - 2));
				[events[index], events[index + 1]] = [events[index + 1], events[index]];
				out = Buffer.from(events.join('\n\n'), 'latin1');
			}
		}
	}
	return out;
}

/** What a run produced, without our random call ids. */
function outcome(result: AgentLoopResult): string {
	return JSON.stringify({
		steps: result.steps.map((step) => ({ text: step.text, reasoning: step.reasoning, finish: step.finish, calls: step.toolCalls.map((c) => [c.id, c.name, c.arguments, c.status]) })),
		error: result.error?.kind ?? null,
	});
}

async function run(protocol: Protocol, chunks: readonly Uint8Array[]) {
	const recorder = recorderTool('get_weather', weatherSchema);
	const provider = createProvider(
		{ id: 'fuzz', protocol, baseUrl: protocol === 'openai' ? 'http://fuzz.invalid/v1' : 'http://fuzz.invalid', maxRetries: 0, timeoutMs: 5000 },
		{ credentials: { get: async () => 'sk-fuzz', invalidate: () => false }, fetch: fetchServing(chunks) },
	);
	const result = await runAgentLoop({
		provider,
		model: protocol === 'openai' ? 'gpt-4o' : 'claude-test',
		messages: [user('Weather?')],
		registry: new ToolRegistry([recorder.tool]),
		approve: approveAll,
		signal: new AbortController().signal,
		maxSteps: 1,
	});
	return { result, invocations: recorder.invocations };
}

describe('fuzz: SSE streams of both protocols, split and mutated, through the real adapters and the loop', function () {
	const total = fuzzInputs();
	this.timeout(Math.max(120_000, total * 10));
	const tally = new Tally('fuzz SSE', () => `${fixtures.length} fixtures, seed ${fuzzSeed()}`);

	it(`${total} generated streams, half per protocol: no crash, no hang, tools only from complete and valid calls, re-splitting changes nothing`, async () => {
		const random = new Random(fuzzSeed());
		const baselines = new Map<string, string>();
		for (const [protocol, name] of fixtures) baselines.set(name, outcome((await run(protocol, [Buffer.from(readFixture(name))])).result));
		const started = Date.now();
		let executed = 0;
		let resplitOnly = 0;
		const byKind = new Map<string, number>();
		// The target is the stream handling: the inputs are shared between the two protocols.
		for (const protocol of ['openai', 'anthropic'] as const) {
			const mine = fixtures.filter(([p]) => p === protocol);
			for (let n = 0; n < total / 2; n++) {
				const [, name] = random.pick(mine);
				const original = Buffer.from(readFixture(name));
				const onlySplit = random.chance(0.2);
				const bytes = onlySplit ? original : mutate(original, random);
				const chunks = random.splits(bytes, random.int(1, random.chance(0.1) ? 400 : 12));
				const where = `input ${protocol} #${n} (${name}, seed ${random.seed})`;
				let ran;
				try {
					ran = await within(run(protocol, chunks), 3000, where);
				} catch (error) {
					tally.add(1, 0);
					throw new Error(`${where}: ${(error as Error).message}\n${bytes.toString('utf8').slice(0, 2000)}`, { cause: error });
				}
				const { result, invocations } = ran;
				const failed = result.error !== null && !loopStops.has(result.error.kind);
				byKind.set(result.error?.kind ?? 'ok', (byKind.get(result.error?.kind ?? 'ok') ?? 0) + 1);
				if (failed) assert.equal(invocations.length, 0, `${where}: a tool ran from a response that failed (${result.error?.message})`);
				for (const input of invocations) assert.deepEqual(validateSchema(weatherSchema, input), [], `${where}: ran with invalid arguments`);
				const done = result.steps.flatMap((step) => step.toolCalls).filter((call) => call.status === 'done');
				assert.equal(done.length, invocations.length, where);
				executed += invocations.length;
				if (onlySplit) {
					resplitOnly++;
					assert.equal(outcome(result), baselines.get(name), `${where}: re-splitting the stream changed the result`);
				}
				tally.add(1, 1);
			}
		}
		const kinds = [...byKind].map(([kind, count]) => `${kind} ${count}`).join(', ');
		tally.print(`${rate(total, started)}; ${resplitOnly} only re-split (all equal to the unsplit run), ${executed} tool runs all with valid arguments; outcomes: ${kinds}`);
	});
});
