// Assembles streamed tool-call deltas into calls ourselves, because real providers break the assumptions of
// the SDK's helpers: `index` missing, always 0 for several calls, or starting at 1; ids '' on continuation
// chunks, absent, or one string for two parallel calls (Vertex AI's open-model function-calling guide); the name repeated in every chunk;
// `arguments` sent as an object. Every call gets our own unique callId; the provider's id is kept as is.
// The rule underneath: only a name (or a second whole object of arguments) starts a call. An id or an index that
// changes mid-call without a name continues the call in progress. Arguments are parsed once, when calls close.
import { randomUUID } from 'node:crypto';
import type { StreamEvent } from '../types';
import { parseLenientJson } from './lenientJson';
import { ObjectScanner } from './objectScanner';
import type { WireToolCallDelta } from './wireTypes';

interface OpenCall {
	callId: string;
	providerId: string;
	toolName: string;
	rawInput: string;
	/** Tracks whether rawInput is one whole object yet, without re-parsing it. */
	scanner: ObjectScanner;
	/** tool-input-start was emitted (it waits for a name). */
	started: boolean;
	/** Id of a chunk that repeated this call's name after its arguments were complete (see continuation()). */
	repeatedId?: string;
	/** Fields of the call beyond id/type/function (Gemini's `extra_content`), replayed unchanged. */
	extra?: Record<string, unknown>;
}

/** The fields of a tool-call entry this reader understands; any other field is the provider's, kept opaque. */
const knownFields = new Set(['index', 'id', 'type', 'function']);

/** How the response ended, which decides whether the calls still open may run. */
export type CallsEnd = 'complete' | 'length' | 'interrupted';

/** 24 hex digits of a random UUID: randomUUID draws from a cached entropy pool, randomBytes asks the OS each call. */
export function newCallId(): string {
	return `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

export class ToolCallAccumulator {
	private readonly calls: OpenCall[] = [];
	private readonly byIndex = new Map<number, OpenCall>();

	constructor(private readonly createCallId: () => string = newCallId) {}

	get count(): number {
		return this.calls.length;
	}

	/** Takes one entry of a delta's `tool_calls` array; returns the events it causes. */
	add(delta: WireToolCallDelta): StreamEvent[] {
		const id = typeof delta.id === 'string' ? delta.id : '';
		const name = typeof delta.function?.name === 'string' ? delta.function.name : '';
		const args = argumentsText(delta.function?.arguments);
		const index = typeof delta.index === 'number' ? delta.index : undefined;
		let current = index === undefined ? undefined : this.byIndex.get(index);
		// No index, or an index not seen before without a name (Gemini's metadata-only deltas): the call in progress.
		if (current === undefined && (index === undefined || name === '')) {
			current = this.calls.at(-1);
			if (current !== undefined && index !== undefined) this.byIndex.set(index, current);
		}
		const events: StreamEvent[] = [];
		let call: OpenCall;
		if (current === undefined || startsNewCall(current, id, name, args)) {
			call = this.open(id, name, index);
		} else if (args !== '' && current.scanner.complete && args.trimStart().startsWith('{')) {
			// A complete object followed by a new '{' cannot be one value: the previous chunk's repeated name was
			// in fact the start of a second call of the same tool on the same index.
			call = this.open(id || current.repeatedId || '', name || current.toolName, index);
		} else {
			call = current;
			if (call.providerId === '' && id !== '') call.providerId = id;
			if (call.toolName === '' && name !== '') call.toolName = name;
			if (name !== '' && args === '' && call.scanner.complete) call.repeatedId = id;
		}
		keepExtras(call, delta);
		if (!call.started && call.toolName !== '') {
			call.started = true;
			events.push({ type: 'tool-input-start', callId: call.callId, providerId: call.providerId, toolName: call.toolName });
			if (call.rawInput !== '') events.push({ type: 'tool-input-delta', callId: call.callId, delta: call.rawInput });
		}
		if (args !== '') {
			call.rawInput += args;
			call.scanner.push(args);
			if (call.started) events.push({ type: 'tool-input-delta', callId: call.callId, delta: args });
		}
		return events;
	}

	/** Closes every call: a tool-call for those whose arguments parse, a tool-call-error for the rest. */
	finish(end: CallsEnd): StreamEvent[] {
		return this.calls.map((call, position) => {
			const cutOff = end === 'interrupted' || (end === 'length' && position === this.calls.length - 1);
			if (cutOff) {
				const message = end === 'length'
					? 'The response reached its output token limit before this tool call was complete.'
					: 'The response ended before this tool call was complete.';
				return callError(call, 'incomplete', message);
			}
			return finalize(call);
		});
	}

	private open(providerId: string, toolName: string, index: number | undefined): OpenCall {
		const call: OpenCall = { callId: this.createCallId(), providerId, toolName, rawInput: '', scanner: new ObjectScanner(), started: false };
		this.calls.push(call);
		if (index !== undefined) this.byIndex.set(index, call);
		return call;
	}
}

/** Only a name starts a call; without one, whatever the id or index says, the chunk continues the current call. */
function startsNewCall(call: OpenCall, id: string, name: string, args: string): boolean {
	if (name === '' || call.toolName === '') return false;
	if (name !== call.toolName) return true;
	const newId = id !== '' && call.providerId !== '' && id !== call.providerId;
	// The same name again once the arguments form a whole object: a second call, unless the chunk only
	// repeats the name (and id) with nothing to add, as some servers do on every chunk.
	if (call.scanner.complete) return args !== '' || newId;
	// Arguments not yet whole: the same name again (even with another id) still belongs to this call; a server
	// was seen opening one call twice on index 0 with two ids (https://github.com/Avarok-Cybersecurity/atlas/issues/33).
	return false;
}

/** Unknown fields of a tool-call entry, merged over what earlier chunks of the call brought. */
function keepExtras(call: OpenCall, delta: WireToolCallDelta): void {
	for (const key in delta) {
		if (knownFields.has(key)) continue;
		const value = (delta as Record<string, unknown>)[key];
		if (value === undefined || value === null) continue;
		call.extra ??= {};
		call.extra[key] = mergeOpaque(call.extra[key], value);
	}
}

function mergeOpaque(before: unknown, next: unknown): unknown {
	if (!isRecord(before) || !isRecord(next)) return next;
	const merged: Record<string, unknown> = { ...before };
	for (const [key, value] of Object.entries(next)) merged[key] = mergeOpaque(merged[key], value);
	return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finalize(call: OpenCall): StreamEvent {
	if (call.toolName === '') return callError(call, 'incomplete', 'The provider sent a tool call without a function name.');
	// Several servers send "" for a call without parameters.
	const text = call.rawInput.trim() === '' ? '{}' : call.rawInput;
	const parsed = parseLenientJson(text);
	if (!parsed.ok) return callError(call, 'invalid', `The tool call arguments are not valid JSON: ${parsed.message}`);
	let input = parsed.value;
	// Some gateways encode the arguments twice: a JSON string holding the JSON object.
	if (typeof input === 'string') {
		const inner = parseLenientJson(input);
		if (inner.ok && typeof inner.value === 'object' && inner.value !== null) input = inner.value;
	}
	return { type: 'tool-call', callId: call.callId, providerId: call.providerId, toolName: call.toolName, input, rawInput: call.rawInput, ...extraOf(call) };
}

function callError(call: OpenCall, reason: 'invalid' | 'incomplete', message: string): StreamEvent {
	return { type: 'tool-call-error', callId: call.callId, providerId: call.providerId, toolName: call.toolName, rawInput: call.rawInput, reason, message, ...extraOf(call) };
}

function extraOf(call: OpenCall): { extra?: Record<string, unknown> } {
	return call.extra === undefined ? {} : { extra: call.extra };
}

/** `arguments` is a string on the wire, but some servers send the object itself. */
function argumentsText(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'string' ? value : JSON.stringify(value);
}
