// Fuzzes the OpenAI tool-call accumulator with random delta sequences. Well-formed parallel calls whose fragments
// interleave at random must come back exactly (ids, names, arguments, order); arbitrary deltas (missing or odd
// indexes, '' and repeated ids, objects as arguments, junk) must never throw, and every call ends exactly once,
// as a tool-call whose arguments parse or as a tool-call-error.
import * as assert from 'node:assert/strict';
import { parseLenientJson } from '../../../src/providers/openai/lenientJson';
import { ToolCallAccumulator, type CallsEnd } from '../../../src/providers/openai/toolCallAccumulator';
import type { WireToolCallDelta } from '../../../src/providers/openai/wireTypes';
import type { StreamEvent } from '../../../src/providers/types';
import { Tally } from '../tally';
import { fuzzInputs, fuzzSeed, randomObject, rate, Random } from './random';

interface Planned {
	index: number;
	id: string;
	name: string;
	input: Record<string, unknown>;
	fragments: string[];
}

/** Parallel calls, each split into fragments; the first fragment carries id and name; the streams interleave. */
function wellFormed(random: Random): { plan: Planned[]; deltas: WireToolCallDelta[] } {
	const firstIndex = random.pick([0, 0, 1]);
	const plan: Planned[] = Array.from({ length: random.int(1, 4) }, (_, i) => {
		const input = randomObject(random);
		const text = JSON.stringify(input, null, random.chance(0.2) ? 1 : undefined);
		return { index: firstIndex + i, id: `call_${i}_${random.int(0, 1e6)}`, name: random.pick(['get_weather', 'search', 'read_file']), input, fragments: random.splits(text, random.int(1, 8)) };
	});
	const cursors = plan.map(() => 0);
	const deltas: WireToolCallDelta[] = [];
	// Interleave: any call with fragments left may send its next one.
	for (;;) {
		const open = plan.filter((_, i) => cursors[i] < plan[i].fragments.length);
		if (open.length === 0) break;
		const call = random.pick(open);
		const at = cursors[plan.indexOf(call)]++;
		const fragment = call.fragments[at];
		deltas.push(at === 0
			? { index: call.index, id: call.id, type: 'function', function: { name: call.name, arguments: fragment } }
			: { index: call.index, ...(random.chance(0.2) ? { id: '' } : {}), function: { arguments: fragment } });
	}
	return { plan, deltas };
}

function chaotic(random: Random): WireToolCallDelta[] {
	return Array.from({ length: random.int(0, 12) }, (): WireToolCallDelta => {
		const delta: Record<string, unknown> = {};
		if (random.chance(0.7)) delta.index = random.pick([0, 0, 1, 2, -1, 1e9, 0.5]);
		if (random.chance(0.5)) delta.id = random.pick(['', 'call_a', 'call_b', 'same', random.string(4)]);
		if (random.chance(0.9)) {
			const fn: Record<string, unknown> = {};
			if (random.chance(0.5)) fn.name = random.pick(['', 'get_weather', 'search', random.string(3)]);
			if (random.chance(0.9)) {
				fn.arguments = random.pick([
					() => random.string(random.int(0, 10), [...'{}[]":, 0123abc\\']),
					() => JSON.stringify(randomObject(random)),
					() => randomObject(random),
					() => null,
					() => random.int(0, 9),
					() => '',
				])();
			}
			delta.function = fn;
		}
		return delta as WireToolCallDelta;
	});
}

/** Every call ends exactly once, complete calls parse, and the streamed deltas add up to the final raw input. */
function checkEnding(events: StreamEvent[], final: StreamEvent[], count: number, end: CallsEnd, where: string): void {
	assert.equal(final.length, count, `${where}: one ending per call`);
	const ids = new Set<string>();
	const streamed = new Map<string, string>();
	const started = new Set<string>();
	for (const event of events) {
		if (event.type === 'tool-input-start') {
			assert.ok(!started.has(event.callId), `${where}: started twice`);
			started.add(event.callId);
			assert.notEqual(event.toolName, '', `${where}: started without a name`);
		}
		if (event.type === 'tool-input-delta') {
			assert.ok(started.has(event.callId), `${where}: delta before start`);
			streamed.set(event.callId, (streamed.get(event.callId) ?? '') + event.delta);
		}
	}
	for (const event of final) {
		assert.ok(event.type === 'tool-call' || event.type === 'tool-call-error', `${where}: ${event.type}`);
		assert.ok(!ids.has(event.callId), `${where}: duplicate callId`);
		ids.add(event.callId);
		if (started.has(event.callId)) assert.equal(streamed.get(event.callId) ?? '', event.rawInput, `${where}: streamed deltas differ from the raw input`);
		if (event.type === 'tool-call') {
			assert.notEqual(end, 'interrupted', `${where}: a call of an interrupted response completed`);
			assert.notEqual(event.toolName, '');
			const raw = event.rawInput.trim() === '' ? '{}' : event.rawInput;
			assert.ok(parseLenientJson(raw).ok, `${where}: completed with arguments that do not parse: ${raw}`);
		}
	}
}

describe('fuzz: the OpenAI tool-call accumulator', function () {
	const total = fuzzInputs();
	this.timeout(Math.max(60_000, total * 2));
	const tally = new Tally('fuzz tool-call accumulator', () => `seed ${fuzzSeed()}`);

	it(`${total} random delta sequences: exact round trip when well formed, no throw and one ending per call otherwise`, () => {
		const random = new Random(fuzzSeed() + 1);
		const started = Date.now();
		let roundTrips = 0;
		let calls = 0;
		let slowest = 0;
		for (let n = 0; n < total; n++) {
			const where = `input #${n} (seed ${random.seed})`;
			const inputStarted = performance.now();
			const accumulator = new ToolCallAccumulator();
			const events: StreamEvent[] = [];
			try {
				if (random.chance(0.5)) {
					const { plan, deltas } = wellFormed(random);
					for (const delta of deltas) events.push(...accumulator.add(delta));
					const final = accumulator.finish('complete');
					checkEnding(events, final, plan.length, 'complete', where);
					// Calls end in the order they started.
					const order = [...plan].sort((a, b) => deltas.findIndex((d) => d.index === a.index) - deltas.findIndex((d) => d.index === b.index));
					assert.deepEqual(final.map((e) => e.type === 'tool-call' ? [e.providerId, e.toolName, e.input] : e), order.map((p) => [p.id, p.name, p.input]), `${where}: ${JSON.stringify(deltas)}`);
					roundTrips++;
					calls += plan.length;
				} else {
					const deltas = chaotic(random);
					for (const delta of deltas) events.push(...accumulator.add(delta));
					const end = random.pick<CallsEnd>(['complete', 'length', 'interrupted']);
					checkEnding(events, accumulator.finish(end), accumulator.count, end, `${where} ${JSON.stringify(deltas)}`);
					calls += accumulator.count;
				}
				// Synchronous code cannot be raced against a timer: the bound is checked after each input.
				const took = performance.now() - inputStarted;
				slowest = Math.max(slowest, took);
				assert.ok(took < 2000, `${where} took ${took.toFixed(0)} ms (a hang)`);
				tally.add(1, 1);
			} catch (error) {
				tally.add(1, 0);
				tally.print();
				throw error;
			}
		}
		tally.print(`${rate(total, started)}; ${roundTrips} well-formed sequences (${calls} calls in all) came back exactly; slowest input ${slowest.toFixed(1)} ms`);
	});
});
