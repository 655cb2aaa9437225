// The scripted model on its own, through the official OpenAI SDK: the rules the workbench tests and the demo rely on.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'mocha';
import { REPO_DIR } from '../../harness/lib.mjs';
import { startScriptedModel } from '../../support/scriptedModel.mjs';

const OpenAI = createRequire(`${REPO_DIR}/package.json`)('openai').default;
const tools = ['read_file', 'search_text', 'list_directory'].map((name) => ({ type: 'function', function: { name, parameters: { type: 'object' } } }));

/** Streams one request and collects text, tool calls (arguments joined from their fragments), finish and usage. */
async function collect(client, messages) {
	const stream = await client.chat.completions.create({ model: 'scripted-1', stream: true, stream_options: { include_usage: true }, tools, messages });
	const result = { text: '', calls: [], argumentChunks: 0, finish: undefined, usage: undefined };
	for await (const chunk of stream) {
		const choice = chunk.choices[0];
		if (chunk.usage) result.usage = chunk.usage;
		if (!choice) continue;
		result.text += choice.delta.content ?? '';
		for (const call of choice.delta.tool_calls ?? []) {
			result.calls[call.index] ??= { id: call.id, name: call.function?.name, arguments: '' };
			if (call.function?.arguments) {
				result.calls[call.index].arguments += call.function.arguments;
				result.argumentChunks++;
			}
		}
		if (choice.finish_reason) result.finish = choice.finish_reason;
	}
	return result;
}

const replay = (calls, contents) => [
	{ role: 'user', content: 'question' },
	{ role: 'assistant', content: null, tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })) },
	...calls.map((call, index) => ({ role: 'tool', tool_call_id: call.id, content: contents[index] })),
];

describe('scripted model (OpenAI SDK over loopback HTTP)', function () {
	let model;
	let client;
	before(async () => {
		model = await startScriptedModel({ delayMs: 0 });
		client = new OpenAI({ baseURL: model.baseUrl, apiKey: 'unused', maxRetries: 0 });
	});
	after(async () => { await model?.close(); });

	it('answers a prompt naming a file with a sentence and one read_file call whose arguments arrive in fragments', async () => {
		const reply = await collect(client, [{ role: 'user', content: 'What does src/greet.ts do?' }]);
		assert.equal(reply.text, 'Let me read `src/greet.ts` first.');
		assert.equal(reply.calls.length, 1);
		assert.equal(reply.calls[0].name, 'read_file');
		assert.deepEqual(JSON.parse(reply.calls[0].arguments), { path: 'src/greet.ts' });
		assert.ok(reply.argumentChunks > 1, 'arguments are streamed in more than one piece');
		assert.equal(reply.finish, 'tool_calls');
		assert.ok(reply.usage.completion_tokens > 0);
	});

	it('answers a prompt naming two files with two parallel calls with distinct ids', async () => {
		const reply = await collect(client, [{ role: 'user', content: 'Compare README.md and notes.txt' }]);
		assert.deepEqual(reply.calls.map((call) => JSON.parse(call.arguments).path), ['README.md', 'notes.txt']);
		assert.notEqual(reply.calls[0].id, reply.calls[1].id);
	});

	it('quotes a tool result in a fenced code block once the result comes back', async () => {
		const calls = [{ id: 'c1', name: 'read_file', arguments: '{"path":"src/greet.ts"}' }];
		const reply = await collect(client, replay(calls, ['export function greet(name: string) {}\n']));
		assert.equal(reply.finish, 'stop');
		assert.match(reply.text, /```typescript\nexport function greet\(name: string\) \{\}\n```/);
		assert.match(reply.text, /it defines `greet`/);
	});

	it('acknowledges a denial and repeats the reason the user gave', async () => {
		const calls = [{ id: 'c1', name: 'read_file', arguments: '{"path":"notes.txt"}' }];
		const reply = await collect(client, replay(calls, ['The user denied this tool call. Reason: private']));
		assert.equal(reply.text, 'Understood, I did not run it. You said: "private". Tell me what to look at instead.');
	});

	it('answers 401 with an OpenAI-style error body to a missing or wrong key once a key is required', async () => {
		model.setApiKey('sk-right');
		try {
			await assert.rejects(client.models.list(), (error) => error.status === 401 && /Incorrect API key/.test(error.message));
			const missing = await fetch(`${model.baseUrl}/chat/completions`, { method: 'POST', body: '{}' });
			assert.equal(missing.status, 401);
			assert.equal((await missing.json()).error.code, 'invalid_api_key');
			const right = new OpenAI({ baseURL: model.baseUrl, apiKey: 'sk-right', maxRetries: 0 });
			const page = await right.models.list();
			assert.deepEqual(page.data.map((entry) => entry.id), ['scripted-1']);
		} finally {
			model.setApiKey(undefined);
		}
	});
});
