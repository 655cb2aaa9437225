// Assembles streamed tool-call deltas into calls ourselves, because real providers break the assumptions of
// the SDK's helpers: `index` missing, always 0 for several calls, or starting at 1; ids '' on continuation
// chunks, absent, or one string for two parallel calls (Vertex AI's open-model function-calling guide); the name repeated in every chunk;
// `arguments` sent as an object. Every call gets our own unique callId; the provider's id is kept as is.
import { randomUUID } from 'node:crypto';
import type { StreamEvent } from '../types';
import { parseLenientJson } from './lenientJson';
import type { WireToolCallDelta } from './wireTypes';

interface OpenCall {
	callId: string;
	providerId: string;
	toolName: string;
	rawInput: string;
	/** tool-input-start was emitted (it waits for a name). */
	started: boolean;
	/** Id of a chunk that repeated this call's name after its arguments were complete (see continuation()). */
	repeatedId?: string;
}

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
		const current = index === undefined ? this.calls.at(-1) : this.byIndex.get(index);
		const events: StreamEvent[] = [];
		let call: OpenCall;
		if (current === undefined || startsNewCall(current, id, name, args)) {
			call = this.open(id, name, index);
		} else if (args !== '' && isCompleteObject(current.rawInput) && args.trimStart().startsWith('{')) {
			// A complete object followed by a new '{' cannot be one value: the previous chunk's repeated name was
			// in fact the start of a second call of the same tool on the same index.
			call = this.open(id || current.repeatedId || '', name || current.toolName, index);
		} else {
			call = current;
			if (call.providerId === '' && id !== '') call.providerId = id;
			if (call.toolName === '' && name !== '') call.toolName = name;
			if (name !== '' && args === '' && isCompleteObject(call.rawInput)) call.repeatedId = id;
		}
		if (!call.started && call.toolName !== '') {
			call.started = true;
			events.push({ type: 'tool-input-start', callId: call.callId, providerId: call.providerId, toolName: call.toolName });
			if (call.rawInput !== '') events.push({ type: 'tool-input-delta', callId: call.callId, delta: call.rawInput });
		}
		if (args !== '') {
			call.rawInput += args;
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
		const call: OpenCall = { callId: this.createCallId(), providerId, toolName, rawInput: '', started: false };
		this.calls.push(call);
		if (index !== undefined) this.byIndex.set(index, call);
		return call;
	}
}

function startsNewCall(call: OpenCall, id: string, name: string, args: string): boolean {
	if (id !== '' && call.providerId !== '' && id !== call.providerId) return true;
	if (name !== '' && call.toolName !== '' && name !== call.toolName) return true;
	// The same name again once the arguments form a whole object: a second call, unless the chunk only
	// repeats the name (and id) with nothing to add, as some servers do on every chunk.
	if (name !== '' && name === call.toolName && isCompleteObject(call.rawInput)) {
		return args !== '' || (id !== '' && id !== call.providerId);
	}
	return false;
}

function finalize(call: OpenCall): StreamEvent {
	if (call.toolName === '') return callError(call, 'incomplete', 'The provider sent a tool call without a function name.');
	// Several servers send "" for a call without parameters.
	const text = call.rawInput.trim() === '' ? '{}' : call.rawInput;
	const parsed = parseLenientJson(text);
	if (!parsed.ok) return callError(call, 'invalid-json', `The tool call arguments are not valid JSON: ${parsed.message}`);
	let input = parsed.value;
	// Some gateways encode the arguments twice: a JSON string holding the JSON object.
	if (typeof input === 'string') {
		const inner = parseLenientJson(input);
		if (inner.ok && typeof inner.value === 'object' && inner.value !== null) input = inner.value;
	}
	return { type: 'tool-call', callId: call.callId, providerId: call.providerId, toolName: call.toolName, input, rawInput: call.rawInput };
}

function callError(call: OpenCall, reason: 'invalid-json' | 'incomplete', message: string): StreamEvent {
	return { type: 'tool-call-error', callId: call.callId, providerId: call.providerId, toolName: call.toolName, rawInput: call.rawInput, reason, message };
}

/** `arguments` is a string on the wire, but some servers send the object itself. */
function argumentsText(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'string' ? value : JSON.stringify(value);
}

function isCompleteObject(text: string): boolean {
	// Runs on every delta: parsing a long unfinished argument each time would be quadratic (5 MB took minutes).
	if (!text.trimEnd().endsWith('}')) return false;
	const parsed = parseLenientJson(text);
	return parsed.ok && typeof parsed.value === 'object' && parsed.value !== null;
}
