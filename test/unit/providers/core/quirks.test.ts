import * as assert from 'node:assert/strict';
import { applyQuirks, defaultQuirks, quirkFamilies, resolveQuirks } from '../../../../src/providers/quirks';
import type { ChatRequest, ToolSpec } from '../../../../src/providers/types';

// The weather tool of seed 004.
const weather: ToolSpec = {
	name: 'get_current_weather',
	description: 'Get the current weather in a given location',
	inputSchema: { type: 'object', properties: { location: { type: 'string', description: 'The city and state' } }, required: ['location'] },
};

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
	return {
		model: 'test-model',
		system: 'You are a helpful assistant.',
		messages: [
			{ role: 'user', content: [{ type: 'text', text: "What's the weather like in Boston?" }] },
			{ role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }] },
			{ role: 'user', content: [{ type: 'text', text: 'And New Delhi?' }] },
		],
		tools: [weather],
		...overrides,
	};
}

describe('resolveQuirks', () => {
	it('gives the defaults for an unknown model', () => {
		assert.deepEqual(resolveQuirks('gpt-4o'), defaultQuirks);
	});

	it('matches the seed 004 families case-insensitively, with vendor prefixes', () => {
		assert.equal(resolveQuirks('deepseek/deepseek-r1').systemPrompt, 'fold');
		assert.equal(resolveQuirks('DeepSeek-V3').systemPrompt, 'fold');
		assert.equal(resolveQuirks('google/gemma-3-27b-it').systemPrompt, 'fold');
		assert.equal(resolveQuirks('meta/llama3-405b-instruct-maas').supportsRequiredToolChoice, false);
		assert.equal(resolveQuirks('meta/llama3-405b-instruct-maas').supportsNamedToolChoice, true);
		assert.deepEqual(resolveQuirks('openai/gpt-oss-120b'), { ...defaultQuirks, supportsRequiredToolChoice: false, supportsNamedToolChoice: false, toolsInSystemPrompt: true, images: false });
		assert.equal(resolveQuirks('qwen/qwen3-next-80b-a3b-instruct-maas').explicitToolChoice, true);
		assert.deepEqual(quirkFamilies('openai/gpt-oss-20b-instruct-maas'), ['gpt-oss']);
	});

	it('lets user overrides by pattern win over the built-ins', () => {
		const overrides = { '^deepseek/': { systemPrompt: 'keep' as const }, 'gpt-4o$': { explicitToolChoice: true } };
		assert.equal(resolveQuirks('deepseek/deepseek-r1', overrides).systemPrompt, 'keep');
		assert.equal(resolveQuirks('DEEPSEEK-v3', overrides).systemPrompt, 'fold', 'pattern does not match');
		assert.equal(resolveQuirks('openai/GPT-4o', overrides).explicitToolChoice, true);
	});

	it('treats an invalid RegExp pattern as a plain substring', () => {
		assert.equal(resolveQuirks('my-model(beta)', { 'model(beta': { toolsInSystemPrompt: true } }).toolsInSystemPrompt, true);
	});
});

describe('applyQuirks', () => {
	it('changes nothing with the default profile', () => {
		const input = request({ toolChoice: 'required' });
		const result = applyQuirks(input, defaultQuirks);
		assert.deepEqual(result, { request: input, warnings: [] });
	});

	it('folds the system prompt into the first user message only', () => {
		const input = request();
		const frozen = JSON.stringify(input);
		const { request: out } = applyQuirks(input, resolveQuirks('deepseek-chat'));
		assert.equal(out.system, undefined);
		assert.deepEqual(out.messages[0], { role: 'user', content: [{ type: 'text', text: "You are a helpful assistant.\n\nWhat's the weather like in Boston?" }] });
		assert.deepEqual(out.messages.slice(1), input.messages.slice(1));
		assert.equal(JSON.stringify(input), frozen, 'the input is not mutated');
	});

	it('replaces an unsupported "required" with auto plus an instruction, and asks the caller to check', () => {
		const input = request({ toolChoice: 'required' });
		const result = applyQuirks(input, resolveQuirks('meta/llama3-405b-instruct-maas'));
		assert.equal(result.request.toolChoice, 'auto');
		assert.equal(result.mustCallTool, true);
		assert.match(result.request.system ?? '', /^You are a helpful assistant\.\n\nYou must call one of the provided tools/);
		assert.equal(result.warnings.length, 1);
		assert.match(result.warnings[0], /required/);
		assert.equal(input.toolChoice, 'required');
	});

	it('for gpt-oss: a named choice becomes an instruction naming the tool, and the tools are described in the system prompt', () => {
		const result = applyQuirks(request({ toolChoice: { name: 'get_current_weather' } }), resolveQuirks('openai/gpt-oss-120b'));
		assert.equal(result.request.toolChoice, 'auto');
		assert.equal(result.mustCallTool, true);
		const system = result.request.system ?? '';
		assert.match(system, /You must call the tool get_current_weather/);
		assert.match(system, /- get_current_weather: Get the current weather in a given location/);
		assert.ok(system.includes(JSON.stringify(weather.inputSchema)));
		assert.deepEqual(result.request.tools, [weather], 'the tools are still sent');
	});

	it('does not describe tools when tool_choice is none', () => {
		const result = applyQuirks(request({ toolChoice: 'none' }), resolveQuirks('openai/gpt-oss-20b'));
		assert.equal(result.request.system, 'You are a helpful assistant.');
	});

	it('for Qwen: sets tool_choice auto when unset, keeps an explicit none, and leaves it unset without tools', () => {
		const qwen = resolveQuirks('qwen/qwen3-next-80b-a3b-instruct-maas');
		assert.equal(applyQuirks(request(), qwen).request.toolChoice, 'auto');
		assert.equal(applyQuirks(request({ toolChoice: 'none' }), qwen).request.toolChoice, 'none');
		assert.equal('toolChoice' in applyQuirks(request({ tools: [] }), qwen).request, false);
	});

	it('folds the quirk instructions too, when both apply', () => {
		const quirks = { ...resolveQuirks('deepseek-chat'), supportsRequiredToolChoice: false };
		const { request: out, mustCallTool } = applyQuirks(request({ system: undefined, toolChoice: 'required' }), quirks);
		assert.equal(mustCallTool, true);
		assert.equal(out.system, undefined);
		const first = out.messages[0];
		assert.equal(first.role, 'user');
		assert.match(first.content[0].type === 'text' ? first.content[0].text : '', /^You must call one of the provided tools in this response\.\n\nWhat's the weather/);
	});

	it('leaves the request without a system prompt alone when folding', () => {
		const { system: _system, ...input } = request();
		assert.deepEqual(applyQuirks(input, resolveQuirks('gemma-3')).request, input);
	});
});
