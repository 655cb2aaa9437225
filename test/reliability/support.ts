// Shared parts of the reliability suites: scripted answers cut into many pieces (so a fault can land inside a
// tool call), a tool that records every invocation, and a provider of either protocol against a local server.
import type { ApprovalHook } from '../../src/chat/approvals';
import { createProvider } from '../../src/providers/registry';
import type { ChatProvider, Protocol, ProviderSettings } from '../../src/providers/types';
import type { ChatMessage } from '../../src/shared/chat';
import { defineTool, type AnyTool } from '../../src/tools/types';
import { anthropicSse, openaiSse, type ScriptedResponse } from '../support/scriptedServer';

export const protocols: readonly Protocol[] = ['openai', 'anthropic'];

export interface Call {
	id: string;
	name: string;
	args: string;
}

/** `text` in `pieces` deltas, then each call's arguments in `pieces` fragments, then the finish. */
export function answer(protocol: Protocol, options: { text?: string; calls?: Call[]; pieces?: number }): ScriptedResponse {
	const pieces = options.pieces ?? 4;
	return protocol === 'openai' ? openaiAnswer(options.text, options.calls ?? [], pieces) : anthropicAnswer(options.text, options.calls ?? [], pieces);
}

function openaiAnswer(text: string | undefined, calls: Call[], pieces: number): ScriptedResponse {
	const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
		id: 'chatcmpl-rel', object: 'chat.completion.chunk', created: 1700000000, model: 'test-model', choices: [{ index: 0, delta, finish_reason: finish }],
	});
	const chunks: unknown[] = [chunk({ role: 'assistant', content: '' })];
	for (const piece of split(text ?? '', pieces)) chunks.push(chunk({ content: piece }));
	calls.forEach((call, index) => {
		split(call.args, pieces).forEach((piece, n) => {
			chunks.push(chunk({ tool_calls: [n === 0 ? { index, id: call.id, type: 'function', function: { name: call.name, arguments: piece } } : { index, function: { arguments: piece } }] }));
		});
	});
	chunks.push(chunk({}, calls.length > 0 ? 'tool_calls' : 'stop'));
	chunks.push({ id: 'chatcmpl-rel', object: 'chat.completion.chunk', created: 1700000000, model: 'test-model', choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
	return openaiSse(chunks);
}

function anthropicAnswer(text: string | undefined, calls: Call[], pieces: number): ScriptedResponse {
	const events: Array<[string, unknown]> = [
		['message_start', { type: 'message_start', message: { id: 'msg_rel', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } }],
	];
	let index = 0;
	if (text) {
		events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }]);
		for (const piece of split(text, pieces)) events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }]);
		events.push(['content_block_stop', { type: 'content_block_stop', index }]);
		index++;
	}
	for (const call of calls) {
		events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } }]);
		for (const piece of split(call.args, pieces)) events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }]);
		events.push(['content_block_stop', { type: 'content_block_stop', index }]);
		index++;
	}
	events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: calls.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 7 } }]);
	events.push(['message_stop', { type: 'message_stop' }]);
	return anthropicSse(events);
}

/** `text` in `count` nearly equal pieces (fewer when it is shorter). */
export function split(text: string, count: number): string[] {
	if (text === '') return [];
	const size = Math.ceil(text.length / count);
	const pieces: string[] = [];
	for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
	return pieces;
}

/** A read-risk tool that records each input it was invoked with. */
export function recorderTool(name = 'record_note', schema: Record<string, unknown> = { type: 'object', properties: { note: { type: 'string' } }, required: ['note'], additionalProperties: false }): { tool: AnyTool; invocations: unknown[] } {
	const invocations: unknown[] = [];
	const tool = defineTool<unknown>({
		name,
		description: 'Records a note.',
		inputSchema: schema,
		risk: 'read',
		parse: (raw) => raw,
		approval: async () => ({ risk: 'read', summary: `Record a note with ${name}` }),
		async invoke(input) {
			invocations.push(input);
			return { type: 'text', value: 'noted' };
		},
	});
	return { tool, invocations };
}

export const approveAll: ApprovalHook = async () => ({ approved: true });

export function providerFor(protocol: Protocol, serverUrl: string, settings: Partial<ProviderSettings> = {}, sleep?: (ms: number) => Promise<void>, key = 'sk-reliability-test'): ChatProvider {
	return createProvider(
		{ id: 'rel', protocol, baseUrl: protocol === 'openai' ? `${serverUrl}/v1` : serverUrl, maxRetries: 0, ...settings },
		{ credentials: { get: async () => key, invalidate: () => false }, ...(sleep ? { sleep: (ms: number) => sleep(ms) } : {}) },
	);
}

export const modelFor = (protocol: Protocol): string => protocol === 'openai' ? 'gpt-4o' : 'claude-test';

export function user(text: string): ChatMessage {
	return { role: 'user', content: [{ type: 'text', text }] };
}

/** Every text of a request body, whatever the protocol's message shape. */
export function requestText(json: Record<string, unknown> | undefined): string {
	return JSON.stringify(json?.messages ?? []);
}
