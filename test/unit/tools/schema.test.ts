import * as assert from 'node:assert/strict';
import { canonicalJson, formatIssues, validateSchema } from '../../../src/tools/schema';

const messages = (schema: unknown, value: unknown): string[] => validateSchema(schema, value).map((i) => `${i.path}: ${i.message}`);

describe('validateSchema', () => {
	it('names the path and both types when a property has the wrong type', () => {
		const schema = { type: 'object', properties: { path: { type: 'string' } } };
		assert.deepEqual(messages(schema, { path: 3 }), ['arguments.path: expected string, got number 3']);
	});

	it('reports a missing required property and an unexpected one when additionalProperties is false', () => {
		const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
		assert.deepEqual(messages(schema, { b: 1 }), ['arguments.a: is required but missing', 'arguments.b: is not allowed (allowed: a)']);
	});

	it('accepts seed 003\'s loose schema: properties before type and no required array', () => {
		const schema = { properties: { location: { type: 'string', description: 'city' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, type: 'object' };
		assert.deepEqual(validateSchema(schema, {}), []);
		assert.deepEqual(validateSchema(schema, { location: '北京', extra: true }), []);
		assert.deepEqual(messages(schema, { unit: 'kelvin' }), ['arguments.unit: must be one of "celsius", "fahrenheit", got "kelvin"']);
	});

	it('tells integers from other numbers and checks union types', () => {
		assert.deepEqual(messages({ type: 'integer' }, 1.5), ['arguments: expected integer, got a non-integer number 1.5']);
		assert.deepEqual(validateSchema({ type: 'integer' }, 2), []);
		assert.deepEqual(validateSchema({ type: ['string', 'null'] }, null), []);
		assert.deepEqual(messages({ type: ['string', 'null'] }, true), ['arguments: expected string or null, got boolean true']);
	});

	it('checks string lengths in characters, number bounds, const and item counts', () => {
		assert.deepEqual(validateSchema({ type: 'string', maxLength: 2 }, '北京'), []);
		assert.deepEqual(messages({ type: 'string', minLength: 1 }, ''), ['arguments: must be at least 1 characters long, got 0']);
		assert.deepEqual(messages({ type: 'number', minimum: 1, maximum: 5 }, 9), ['arguments: must be <= 5, got 9']);
		assert.deepEqual(messages({ const: 'x' }, 'y'), ['arguments: must be "x", got "y"']);
		assert.deepEqual(messages({ type: 'array', minItems: 2, items: { type: 'string' } }, [1]), ['arguments: must have at least 2 items, got 1', 'arguments[0]: expected string, got number 1']);
		assert.deepEqual(messages({ type: 'array', items: { type: 'string' } }, ['a', 2]), ['arguments[1]: expected string, got number 2']);
	});

	it('passes anyOf when one branch matches and oneOf only when exactly one does', () => {
		const anyOf = { anyOf: [{ type: 'string' }, { type: 'number' }] };
		assert.deepEqual(validateSchema(anyOf, 1), []);
		assert.match(messages(anyOf, true)[0], /does not match any allowed shape \(first: expected string, got boolean true\)/);
		const oneOf = { oneOf: [{ type: 'number' }, { type: 'integer' }] };
		assert.deepEqual(validateSchema(oneOf, 1.5), []);
		assert.match(messages(oneOf, 2)[0], /matches 2 shapes but must match exactly one/);
	});

	it('ignores unknown keywords and type names instead of rejecting the schema', () => {
		assert.deepEqual(validateSchema({ type: 'object', 'x-vendor': 1, properties: { a: { type: 'date' } } }, { a: 'x' }), []);
		assert.deepEqual(validateSchema(true, 42), []);
	});

	it('stops at a bounded depth instead of overflowing the stack on deeply nested input', () => {
		const schema: Record<string, unknown> = { type: 'array' };
		schema.items = schema; // a self-referencing schema, as a hostile or careless definition could be
		let value: unknown = [];
		for (let i = 0; i < 100_000; i++) value = [value];
		const issues = validateSchema(schema, value);
		assert.equal(issues.length, 1);
		assert.match(issues[0].message, /nested deeper than 64 levels/);
	});

	it('formats issues one per line and caps a flood', () => {
		const issues = Array.from({ length: 12 }, (_, i) => ({ path: `arguments.a${i}`, message: 'is required but missing' }));
		const text = formatIssues(issues);
		assert.equal(text.split('\n').length, 11);
		assert.match(text, /… and 2 more$/);
	});

	it('writes canonical JSON with sorted keys so key order does not matter', () => {
		assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
	});
});
