// Synthetic but protocol-faithful SSE bodies: N chunks of text, then 8 tool calls whose JSON arguments arrive in
// small fragments. Shapes follow the public streaming references (OpenAI Chat Completions chunks; Anthropic
// Messages events with input_json_delta), as the fixtures in test/fixtures do.

export const toolCallsPerStream = 8;

/** Splits the chunk budget: 60% text deltas, the rest argument fragments spread over the tool calls. */
function plan(chunks: number): { textChunks: number; fragmentsPerCall: number } {
	const textChunks = Math.round(chunks * 0.6);
	const fragmentsPerCall = Math.max(2, Math.floor((chunks - textChunks) / toolCallsPerStream));
	return { textChunks, fragmentsPerCall };
}

function word(index: number): string {
	const words = ['the', 'adapter', 'reads', 'each', 'chunk', 'and', 'emits', 'normalized', 'events', 'quickly'];
	return `${words[index % words.length]} `;
}

/** Valid JSON arguments cut into exactly `pieces` fragments (about 6 characters each). */
export function argumentFragments(call: number, pieces: number): string[] {
	const skeleton = JSON.stringify({ path: `src/module${call}.ts`, startLine: 1, endLine: 80, note: '' });
	const padding = Math.max(0, pieces * 6 - skeleton.length);
	const text = JSON.stringify({ path: `src/module${call}.ts`, startLine: 1, endLine: 80, note: 'x'.repeat(padding) });
	const size = Math.ceil(text.length / pieces);
	const fragments: string[] = [];
	for (let start = 0; start < text.length; start += size) fragments.push(text.slice(start, start + size));
	return fragments;
}

export function openaiStream(chunks: number): string {
	const { textChunks, fragmentsPerCall } = plan(chunks);
	const lines: string[] = [];
	const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'bench-model' };
	const push = (delta: Record<string, unknown>, finish: string | null = null): void => {
		lines.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
	};
	push({ role: 'assistant', content: '' });
	for (let index = 0; index < textChunks; index++) push({ content: word(index) });
	for (let call = 0; call < toolCallsPerStream; call++) {
		const fragments = argumentFragments(call, fragmentsPerCall);
		push({ tool_calls: [{ index: call, id: `call_${call}`, type: 'function', function: { name: 'read_file', arguments: '' } }] });
		for (const fragment of fragments) push({ tool_calls: [{ index: call, function: { arguments: fragment } }] });
	}
	push({}, 'tool_calls');
	lines.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: chunks, total_tokens: chunks + 10 } })}\n\n`);
	lines.push('data: [DONE]\n\n');
	return lines.join('');
}

export function anthropicStream(chunks: number): string {
	const { textChunks, fragmentsPerCall } = plan(chunks);
	const events: string[] = [];
	const push = (type: string, data: Record<string, unknown>): void => {
		events.push(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
	};
	push('message_start', {
		message: { id: 'msg_bench', type: 'message', role: 'assistant', model: 'bench-model', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } },
	});
	push('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
	for (let index = 0; index < textChunks; index++) push('content_block_delta', { index: 0, delta: { type: 'text_delta', text: word(index) } });
	push('content_block_stop', { index: 0 });
	for (let call = 0; call < toolCallsPerStream; call++) {
		const block = call + 1;
		push('content_block_start', { index: block, content_block: { type: 'tool_use', id: `toolu_${call}`, name: 'read_file', input: {} } });
		for (const fragment of argumentFragments(call, fragmentsPerCall)) {
			push('content_block_delta', { index: block, delta: { type: 'input_json_delta', partial_json: fragment } });
		}
		push('content_block_stop', { index: block });
	}
	push('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: chunks } });
	push('message_stop', {});
	return events.join('');
}

/**
 * One create_file call whose arguments (about `bytes` long) arrive in `fragment`-character pieces, one chunk each.
 * The file is source code, so many fragments end in '}': the case that once made every fragment re-parse the whole.
 */
export function openaiArgumentStream(bytes: number, fragment: number): string {
	const line = 'export function handler(event) { if (event.ok) { return { status: 200 }; } return {}; }\n';
	const content = line.repeat(Math.ceil(bytes / line.length));
	const text = JSON.stringify({ path: 'src/generated.ts', content });
	const lines: string[] = [];
	const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'bench-model' };
	const push = (delta: Record<string, unknown>, finish: string | null = null): void => {
		lines.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
	};
	push({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_big', type: 'function', function: { name: 'create_file', arguments: '' } }] });
	for (let start = 0; start < text.length; start += fragment) push({ tool_calls: [{ index: 0, function: { arguments: text.slice(start, start + fragment) } }] });
	push({}, 'tool_calls');
	lines.push('data: [DONE]\n\n');
	return lines.join('');
}
