// A small JSON Schema validator for tool arguments. Our own, because tool schemas come from users and providers
// in loose shapes (Qianfan's documented weather tool: no `required`, `properties` before `type`) and the messages must be something a
// model can act on: "arguments.path: expected string, got number 3". Unknown keywords are ignored, not errors.
// A built-in tool declares its schema once, as a constant: its input type (FromSchema) and its parse
// (parseArguments) both follow from it, so the schema the model sees and the type the handler gets cannot drift.
import { ToolError } from './types';

export interface SchemaIssue {
	/** Where in the value, e.g. 'arguments.items[2].name'. */
	path: string;
	message: string;
}

/** Deeper than this (in schema or value) is reported as an issue instead of recursing further. */
const maxDepth = 64;

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/** Validates `value` against `schema`; an empty array means valid. */
export function validateSchema(schema: unknown, value: unknown, rootPath = 'arguments'): SchemaIssue[] {
	const issues: SchemaIssue[] = [];
	check(schema, value, rootPath, 0, issues);
	return issues;
}

/** One line per issue, capped so a huge invalid input does not flood the model's context. */
export function formatIssues(issues: readonly SchemaIssue[], limit = 10): string {
	const lines = issues.slice(0, limit).map((issue) => `${issue.path}: ${issue.message}`);
	if (issues.length > limit) lines.push(`… and ${issues.length - limit} more`);
	return lines.join('\n');
}

/** The JSON Schema subset a built-in tool's arguments are declared in. */
export interface JsonSchema {
	readonly type?: JsonType | readonly JsonType[];
	readonly description?: string;
	readonly enum?: readonly unknown[];
	readonly properties?: { readonly [name: string]: JsonSchema };
	readonly required?: readonly string[];
	readonly additionalProperties?: boolean | JsonSchema;
	readonly items?: JsonSchema;
	readonly minLength?: number;
	readonly maxLength?: number;
	readonly minimum?: number;
	readonly maximum?: number;
	readonly minItems?: number;
	readonly maxItems?: number;
}

/** A tool's argument schema: always an object, kept as the literal written (`const`) so its type can be read off it. */
export function objectSchema<const S extends JsonSchema & { readonly type: 'object'; readonly properties: { readonly [name: string]: JsonSchema } }>(schema: S): S {
	return schema;
}

/** The values `S` accepts, as a TypeScript type: enums, the scalar types, arrays of `items`, objects of `properties`. */
export type FromSchema<S> =
	S extends { readonly enum: readonly (infer E)[] } ? E
	: S extends { readonly type: 'string' } ? string
	: S extends { readonly type: 'integer' | 'number' } ? number
	: S extends { readonly type: 'boolean' } ? boolean
	: S extends { readonly type: 'null' } ? null
	: S extends { readonly type: 'array'; readonly items: infer I } ? Array<FromSchema<I>>
	: S extends { readonly type: 'array' } ? unknown[]
	: S extends { readonly type: 'object'; readonly properties: infer P } ? ObjectOf<P, S extends { readonly required: readonly (infer R)[] } ? R : never>
	: S extends { readonly type: 'object' } ? Record<string, unknown>
	: unknown;

/** Required properties as they are, the others optional; flattened so editors show one object type. */
type ObjectOf<P, R> = Flatten<{ -readonly [K in keyof P & R]: FromSchema<P[K]> } & { -readonly [K in Exclude<keyof P, R>]?: FromSchema<P[K]> }>;
type Flatten<T> = { [K in keyof T]: T[K] } & {};

/**
 * `raw` as the type `schema` declares, or ToolError('invalid-arguments') with one line per problem: the field, what
 * was expected and what the model wrote.
 */
export function parseArguments<S extends JsonSchema>(schema: S, raw: unknown): FromSchema<S> {
	const issues: SchemaIssue[] = [];
	if (conforms(schema, raw, issues)) return raw;
	throw new ToolError('invalid-arguments', formatIssues(issues));
}

/** The validator's verdict as a type guard: no issue means `value` has the schema's type. */
function conforms<S extends JsonSchema>(schema: S, value: unknown, issues: SchemaIssue[]): value is FromSchema<S> {
	check(schema, value, 'arguments', 0, issues);
	return issues.length === 0;
}

/** The JSON type of a value as a model would name it ('integer' is reported as 'number'). */
export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

/** A JSON object (not null, not an array): what tool arguments must be. */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function check(schema: unknown, value: unknown, path: string, depth: number, issues: SchemaIssue[]): void {
	// `true`, `{}` and anything that is not an object schema accept everything (loose but valid).
	if (schema === false) {
		issues.push({ path, message: 'no value is allowed here' });
		return;
	}
	if (!isRecord(schema)) return;
	if (depth > maxDepth) {
		issues.push({ path, message: `nested deeper than ${maxDepth} levels` });
		return;
	}
	const before = issues.length;
	checkType(schema, value, path, issues);
	if (issues.length > before) return;
	checkEnumAndConst(schema, value, path, issues);
	checkCombinators(schema, value, path, depth, issues);
	if (typeof value === 'string') checkString(schema, value, path, issues);
	else if (typeof value === 'number') checkNumber(schema, value, path, issues);
	else if (Array.isArray(value)) checkArray(schema, value, path, depth, issues);
	else if (isRecord(value)) checkObject(schema, value, path, depth, issues);
}

function matchesType(type: string, value: unknown): boolean {
	switch (type as JsonType) {
		case 'string': return typeof value === 'string';
		case 'number': return typeof value === 'number' && Number.isFinite(value);
		case 'integer': return typeof value === 'number' && Number.isInteger(value);
		case 'boolean': return typeof value === 'boolean';
		case 'object': return isRecord(value);
		case 'array': return Array.isArray(value);
		case 'null': return value === null;
		default: return true; // an unknown type name constrains nothing
	}
}

function checkType(schema: Record<string, unknown>, value: unknown, path: string, issues: SchemaIssue[]): void {
	const type = schema.type;
	const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
	if (types.length === 0 || types.some((t) => matchesType(t, value))) return;
	const got = types.includes('integer') && typeof value === 'number' ? 'a non-integer number' : describeType(value);
	// What the model wrote, so it sees its mistake (a number sent as "10", an object where a path belongs).
	issues.push({ path, message: `expected ${types.join(' or ')}, got ${got}${value === null ? '' : ` ${preview(value)}`}` });
}

function checkEnumAndConst(schema: Record<string, unknown>, value: unknown, path: string, issues: SchemaIssue[]): void {
	if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => deepEqual(allowed, value))) {
		const allowed = schema.enum.slice(0, 20).map((v) => JSON.stringify(v)).join(', ');
		issues.push({ path, message: `must be one of ${allowed}, got ${preview(value)}` });
	}
	if ('const' in schema && !deepEqual(schema.const, value)) {
		issues.push({ path, message: `must be ${JSON.stringify(schema.const)}, got ${preview(value)}` });
	}
}

function checkCombinators(schema: Record<string, unknown>, value: unknown, path: string, depth: number, issues: SchemaIssue[]): void {
	if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0) {
		const results = schema.anyOf.map((branch) => branchIssues(branch, value, path, depth));
		if (!results.some((r) => r.length === 0)) {
			issues.push({ path, message: `does not match any allowed shape (first: ${results[0]?.[0]?.message ?? 'invalid'})` });
		}
	}
	if (Array.isArray(schema.oneOf) && schema.oneOf.length > 0) {
		const results = schema.oneOf.map((branch) => branchIssues(branch, value, path, depth));
		const matching = results.filter((r) => r.length === 0).length;
		if (matching === 0) issues.push({ path, message: `does not match any allowed shape (first: ${results[0]?.[0]?.message ?? 'invalid'})` });
		else if (matching > 1) issues.push({ path, message: `matches ${matching} shapes but must match exactly one` });
	}
	if (Array.isArray(schema.allOf)) {
		for (const branch of schema.allOf) check(branch, value, path, depth + 1, issues);
	}
}

function branchIssues(branch: unknown, value: unknown, path: string, depth: number): SchemaIssue[] {
	const found: SchemaIssue[] = [];
	check(branch, value, path, depth + 1, found);
	return found;
}

function checkString(schema: Record<string, unknown>, value: string, path: string, issues: SchemaIssue[]): void {
	// Lengths count code points, as JSON Schema specifies, not UTF-16 units.
	const length = [...value].length;
	if (typeof schema.minLength === 'number' && length < schema.minLength) {
		issues.push({ path, message: `must be at least ${schema.minLength} characters long, got ${length}` });
	}
	if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
		issues.push({ path, message: `must be at most ${schema.maxLength} characters long, got ${length}` });
	}
	if (typeof schema.pattern === 'string') {
		let pattern: RegExp | undefined;
		try {
			pattern = new RegExp(schema.pattern, 'u');
		} catch {
			pattern = undefined; // an unusable pattern in a user schema constrains nothing
		}
		if (pattern && !pattern.test(value)) issues.push({ path, message: `must match the pattern ${schema.pattern}` });
	}
}

function checkNumber(schema: Record<string, unknown>, value: number, path: string, issues: SchemaIssue[]): void {
	if (typeof schema.minimum === 'number' && value < schema.minimum) issues.push({ path, message: `must be >= ${schema.minimum}, got ${value}` });
	if (typeof schema.maximum === 'number' && value > schema.maximum) issues.push({ path, message: `must be <= ${schema.maximum}, got ${value}` });
	if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) issues.push({ path, message: `must be > ${schema.exclusiveMinimum}, got ${value}` });
	if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) issues.push({ path, message: `must be < ${schema.exclusiveMaximum}, got ${value}` });
}

function checkArray(schema: Record<string, unknown>, value: unknown[], path: string, depth: number, issues: SchemaIssue[]): void {
	if (typeof schema.minItems === 'number' && value.length < schema.minItems) issues.push({ path, message: `must have at least ${schema.minItems} items, got ${value.length}` });
	if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) issues.push({ path, message: `must have at most ${schema.maxItems} items, got ${value.length}` });
	if (schema.items !== undefined && !Array.isArray(schema.items)) {
		value.forEach((item, index) => check(schema.items, item, `${path}[${index}]`, depth + 1, issues));
	}
}

function checkObject(schema: Record<string, unknown>, value: Record<string, unknown>, path: string, depth: number, issues: SchemaIssue[]): void {
	const properties = isRecord(schema.properties) ? schema.properties : {};
	if (Array.isArray(schema.required)) {
		for (const name of schema.required) {
			if (typeof name === 'string' && !(name in value)) issues.push({ path: `${path}.${name}`, message: 'is required but missing' });
		}
	}
	for (const [name, child] of Object.entries(value)) {
		if (Object.hasOwn(properties, name)) {
			check(properties[name], child, `${path}.${name}`, depth + 1, issues);
		} else if (schema.additionalProperties === false) {
			const known = Object.keys(properties);
			issues.push({ path: `${path}.${name}`, message: `is not allowed${known.length ? ` (allowed: ${known.join(', ')})` : ''}` });
		} else if (isRecord(schema.additionalProperties)) {
			check(schema.additionalProperties, child, `${path}.${name}`, depth + 1, issues);
		}
	}
}

/** At most 60 characters of `value` as JSON, without serializing more of a huge or deeply nested value than that. */
function preview(value: unknown): string {
	const limit = 60;
	let text = '';
	const write = (item: unknown, depth: number): void => {
		if (text.length > limit) return;
		if (typeof item === 'string') text += JSON.stringify(item.slice(0, limit));
		else if (Array.isArray(item) && depth > 8) text += '[…]';
		else if (Array.isArray(item)) {
			text += '[';
			for (let index = 0; index < item.length && text.length <= limit; index++) {
				if (index > 0) text += ',';
				write(item[index], depth + 1);
			}
			text += ']';
		} else if (isRecord(item) && depth > 8) text += '{…}';
		else if (isRecord(item)) {
			text += '{';
			let first = true;
			for (const key in item) {
				if (!Object.hasOwn(item, key)) continue;
				if (text.length > limit) break;
				text += `${first ? '' : ','}${JSON.stringify(key.slice(0, limit))}:`;
				first = false;
				write(item[key], depth + 1);
			}
			text += '}';
		} else text += JSON.stringify(item) ?? String(item);
	};
	write(value, 0);
	return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

/** Structural equality for JSON values, depth-bounded like the validator. */
export function deepEqual(a: unknown, b: unknown, depth = 0): boolean {
	if (a === b) return true;
	if (depth > maxDepth || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a) && Array.isArray(b)) {
		return a.length === b.length && a.every((item, index) => deepEqual(item, b[index], depth + 1));
	}
	const left = a as Record<string, unknown>;
	const right = b as Record<string, unknown>;
	const keys = Object.keys(left);
	return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && deepEqual(left[key], right[key], depth + 1));
}

/** JSON with sorted keys, so two argument objects that differ only in key order compare equal. */
export function canonicalJson(value: unknown, depth = 0): string {
	if (depth > maxDepth || typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record).sort();
	return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key], depth + 1)}`).join(',')}}`;
}
