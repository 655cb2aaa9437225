// Fuzzes the argument validator with random schemas × values, and the loop's runner with them: validation never
// throws and always ends, a value built to fit its schema passes, and a call is executed if and only if its
// arguments validated (runCalls with a recording tool, approval granted to all).
import * as assert from 'node:assert/strict';
import { runCalls } from '../../../src/chat/toolRunner';
import { noWorkspace } from '../../../src/tools/noWorkspace';
import { ToolRegistry } from '../../../src/tools/registry';
import { validateSchema } from '../../../src/tools/schema';
import { approveAll, recorderTool } from '../support';
import { Tally } from '../tally';
import { fuzzInputs, fuzzSeed, randomValue, rate, Random, within } from './random';

type Schema = Record<string, unknown> | boolean;

const types = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;
/** Patterns a user schema might hold, one of them invalid (it must constrain nothing, not throw). */
const patterns = ['^[a-z]+$', '\\d', '^.{0,5}$', '(', '[', '^\\p{L}*$', 'x|y'];

function randomSchema(random: Random, depth = 0): Schema {
	if (random.chance(0.05)) return random.chance(0.5);
	const schema: Record<string, unknown> = {};
	const type = random.pick(types);
	if (random.chance(0.85)) schema.type = random.chance(0.1) ? [type, random.pick(types)] : random.chance(0.03) ? 'unknown-type' : type;
	if (random.chance(0.1)) schema.enum = Array.from({ length: random.int(0, 3) }, () => randomValue(random, 3));
	if (random.chance(0.05)) schema.const = randomValue(random, 3);
	if (type === 'string') {
		if (random.chance(0.3)) schema.minLength = random.pick([0, 1, 3, -1, '2']);
		if (random.chance(0.3)) schema.maxLength = random.pick([0, 5, 50]);
		if (random.chance(0.3)) schema.pattern = random.pick(patterns);
	}
	if (type === 'number' || type === 'integer') {
		for (const keyword of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
			if (random.chance(0.2)) schema[keyword] = random.pick([0, 1, -5, 10.5, 1e300, 'x']);
		}
	}
	if (type === 'array' && depth < 4) {
		if (random.chance(0.7)) schema.items = random.chance(0.1) ? [randomSchema(random, depth + 1)] : randomSchema(random, depth + 1);
		if (random.chance(0.2)) schema.minItems = random.int(0, 3);
		if (random.chance(0.2)) schema.maxItems = random.int(0, 5);
	}
	if (type === 'object' && depth < 4) {
		const properties: Record<string, Schema> = {};
		for (let i = random.int(0, 4); i > 0; i--) properties[random.pick(['a', 'b', 'path', 'items', '__proto__', 'constructor', random.string(3)])] = randomSchema(random, depth + 1);
		schema.properties = random.chance(0.05) ? 'not an object' : properties;
		if (random.chance(0.5)) schema.required = Object.keys(properties).filter(() => random.chance(0.6)).concat(random.chance(0.1) ? ['missing'] : []);
		if (random.chance(0.3)) schema.additionalProperties = random.chance(0.5) ? false : randomSchema(random, depth + 1);
	}
	if (depth < 3 && random.chance(0.08)) schema[random.pick(['anyOf', 'oneOf', 'allOf'])] = Array.from({ length: random.int(0, 3) }, () => randomSchema(random, depth + 1));
	return schema;
}

/** A value that fits `schema`, or undefined when the generator cannot be sure (combinators, enums, odd keywords). */
function fitting(schema: Schema, random: Random, depth = 0): { value: unknown } | undefined {
	if (schema === true) return { value: randomValue(random) };
	if (schema === false) return undefined;
	if (['enum', 'const', 'anyOf', 'oneOf', 'allOf', 'pattern'].some((keyword) => keyword in schema)) return undefined;
	const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
	const number = (key: string): number | undefined => typeof schema[key] === 'number' ? schema[key] as number : undefined;
	switch (type) {
		case undefined: return { value: null };
		case 'string': {
			const min = Math.max(0, number('minLength') ?? 0);
			const max = number('maxLength') ?? min + 8;
			return max < min ? undefined : { value: random.string(random.int(min, max), [...'abc中\u{1f600}']) };
		}
		case 'number':
		case 'integer': {
			const low = Math.max(number('minimum') ?? -100, (number('exclusiveMinimum') ?? -101) + 1);
			const high = Math.min(number('maximum') ?? 100, (number('exclusiveMaximum') ?? 101) - 1);
			// Past 2^53 '+ 1' is lost to rounding, so the generator cannot be sure there.
			if (Math.abs(low) > 1e15 || Math.abs(high) > 1e15) return undefined;
			const [first, last] = [Math.ceil(low), Math.floor(high)];
			return last < first || !Number.isFinite(last - first) ? undefined : { value: first + Math.floor(random.next() * (last - first + 1)) };
		}
		case 'boolean': return { value: random.chance(0.5) };
		case 'null': return { value: null };
		case 'array': {
			const count = Math.max(number('minItems') ?? 0, Math.min(number('maxItems') ?? 3, 2));
			if (count > (number('maxItems') ?? Infinity)) return undefined;
			const items: unknown[] = [];
			for (let i = 0; i < count; i++) {
				const item = schema.items === undefined || Array.isArray(schema.items) ? { value: 1 } : fitting(schema.items as Schema, random, depth + 1);
				if (!item) return undefined;
				items.push(item.value);
			}
			return { value: items };
		}
		case 'object': {
			if (typeof schema.properties !== 'object' || schema.properties === null) return Array.isArray(schema.required) && schema.required.length > 0 ? undefined : { value: {} };
			const properties = schema.properties as Record<string, Schema>;
			const value: Record<string, unknown> = {};
			for (const name of Array.isArray(schema.required) ? schema.required as string[] : []) {
				if (!Object.hasOwn(properties, name)) return undefined;
			}
			for (const [name, child] of Object.entries(properties)) {
				const fit = fitting(child, random, depth + 1);
				if (!fit) return undefined;
				Object.defineProperty(value, name, { value: fit.value, enumerable: true, writable: true, configurable: true });
			}
			return { value };
		}
		default: return undefined;
	}
}

describe('fuzz: the argument validator and the runner\'s execute-only-if-valid rule', function () {
	const total = fuzzInputs();
	this.timeout(Math.max(60_000, total * 3));
	const tally = new Tally('fuzz argument validator', () => `seed ${fuzzSeed()}`);

	it(`${total} random schemas × values: no throw, fitting values pass, a call runs if and only if it validated`, async () => {
		const random = new Random(fuzzSeed() + 2);
		const started = Date.now();
		let fits = 0;
		let executed = 0;
		let refused = 0;
		for (let n = 0; n < total; n++) {
			const where = `input #${n} (seed ${random.seed})`;
			try {
				const schema = randomSchema(random);
				const fit = random.chance(0.4) ? fitting(schema, random) : undefined;
				const value = fit ? fit.value : random.chance(0.02) ? deepValue(random.int(60, 5000)) : randomValue(random);
				const issues = validateSchema(schema, value);
				for (const issue of issues) assert.ok(typeof issue.path === 'string' && typeof issue.message === 'string' && issue.message !== '', where);
				if (fit) {
					assert.deepEqual(issues, [], `${where}: a fitting value failed: ${JSON.stringify(schema)} ${JSON.stringify(value)}`);
					fits++;
				}
				const recorder = recorderTool('fuzzed', typeof schema === 'boolean' ? { allOf: [schema] } : schema);
				const [outcome] = await within(runCalls(
					[{ callId: 'c', providerId: 'p', toolName: 'fuzzed', rawInput: '', state: 'parsed', input: value }],
					{ registry: new ToolRegistry([recorder.tool]), context: { workspace: noWorkspace, signal: new AbortController().signal }, approve: approveAll, emit: () => undefined },
				), 2000, where);
				const valid = validateSchema(typeof schema === 'boolean' ? { allOf: [schema] } : schema, value).length === 0;
				assert.equal(recorder.invocations.length, valid ? 1 : 0, `${where}: executed ${recorder.invocations.length} times, valid ${valid}`);
				assert.equal(outcome.record.status, valid ? 'done' : 'invalid', where);
				if (valid) executed++;
				else refused++;
				tally.add(1, 1);
			} catch (error) {
				tally.add(1, 0);
				tally.print();
				throw error;
			}
		}
		tally.print(`${rate(total, started)}; ${fits} built to fit (all passed), ${executed} calls executed (all valid), ${refused} refused (all invalid)`);
	});
});

/** Arrays nested `depth` deep, built without recursion. */
function deepValue(depth: number): unknown {
	let value: unknown = 'bottom';
	for (let i = 0; i < depth; i++) value = [value];
	return value;
}
