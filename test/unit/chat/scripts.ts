// Builders for scripted model responses in both protocols' wire shapes (OpenAI Chat Completions streaming chunks,
// Anthropic Messages stream events), so loop and CLI tests read as conversations.
import { anthropicSse, openaiSse, type ScriptedResponse } from '../../support/scriptedServer';

export interface ScriptedCall {
	id: string;
	name: string;
	/** The arguments exactly as the model would stream them. */
	args: string;
}

function chunk(delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> {
	return { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1700000000, model: 'test-model', choices: [{ index: 0, delta, finish_reason: finish }] };
}

/** An OpenAI stream: optional text, then the calls (arguments in two fragments), then finish_reason. */
export function openaiTurn(options: { text?: string; calls?: ScriptedCall[]; finish?: string }): ScriptedResponse {
	const chunks: unknown[] = [chunk({ role: 'assistant', content: '' })];
	if (options.text) for (const piece of splitInTwo(options.text)) chunks.push(chunk({ content: piece }));
	(options.calls ?? []).forEach((call, index) => {
		const [first, second] = splitInTwo(call.args);
		chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: first } }] }));
		if (second) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: second } }] }));
	});
	chunks.push(chunk({}, options.finish ?? (options.calls?.length ? 'tool_calls' : 'stop')));
	chunks.push({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1700000000, model: 'test-model', choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
	return openaiSse(chunks);
}

/** An Anthropic stream: optional text block, then tool_use blocks with input_json_delta fragments. */
export function anthropicTurn(options: { text?: string; calls?: ScriptedCall[]; stop?: string }): ScriptedResponse {
	const events: Array<[string, unknown]> = [
		['message_start', { type: 'message_start', message: { id: 'msg_test', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } }],
	];
	let index = 0;
	if (options.text) {
		events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }]);
		for (const piece of splitInTwo(options.text)) events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }]);
		events.push(['content_block_stop', { type: 'content_block_stop', index }]);
		index++;
	}
	for (const call of options.calls ?? []) {
		events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } }]);
		for (const piece of splitInTwo(call.args)) events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }]);
		events.push(['content_block_stop', { type: 'content_block_stop', index }]);
		index++;
	}
	const stop = options.stop ?? (options.calls?.length ? 'tool_use' : 'end_turn');
	events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 7 } }]);
	events.push(['message_stop', { type: 'message_stop' }]);
	return anthropicSse(events);
}

function splitInTwo(text: string): string[] {
	const middle = Math.ceil(text.length / 2);
	return text.length < 2 ? [text] : [text.slice(0, middle), text.slice(middle)];
}

/** The OpenAI `messages` of a recorded request. */
export function openaiMessages(json: Record<string, unknown> | undefined): Array<Record<string, unknown>> {
	return (json?.messages ?? []) as Array<Record<string, unknown>>;
}
