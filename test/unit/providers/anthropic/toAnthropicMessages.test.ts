import * as assert from 'node:assert/strict';
import { toAnthropicMessages } from '../../../../src/providers/anthropic/toAnthropicMessages';
import type { ChatMessage, ToolCallPart } from '../../../../src/shared/chat';

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const call = (id: string, providerId: string, input: unknown = { city: id }): ToolCallPart => ({ type: 'tool-call', id, providerId, toolName: 'get_weather', input });
const result = (callId: string, value: string): ChatMessage => ({ role: 'tool', content: [{ type: 'tool-result', callId, toolName: 'get_weather', output: { type: 'text', value } }] });

describe('toAnthropicMessages (replay)', () => {
	it('replays thinking and redacted_thinking unchanged, before the text and tool_use blocks', () => {
		const messages = toAnthropicMessages([
			user('q'),
			{ role: 'assistant', content: [
				{ type: 'text', text: 'Let me check.' },
				{ type: 'reasoning', text: 'Need the weather.', signature: 'sig-1' },
				{ type: 'reasoning', text: '', redactedData: 'opaque==' },
				call('c1', 'toolu_1'),
			] },
			result('c1', 'sunny'),
		]);
		assert.deepEqual(messages[1], { role: 'assistant', content: [
			{ type: 'thinking', thinking: 'Need the weather.', signature: 'sig-1' },
			{ type: 'redacted_thinking', data: 'opaque==' },
			{ type: 'text', text: 'Let me check.' },
			{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'c1' } },
		] });
	});

	it('drops reasoning without a signature (another provider\'s, or cut off), which the API would reject', () => {
		const [, assistant] = toAnthropicMessages([user('q'), { role: 'assistant', content: [{ type: 'reasoning', text: 'unsigned' }, { type: 'text', text: 'A' }] }]);
		assert.deepEqual(assistant.content, [{ type: 'text', text: 'A' }]);
	});

	it('puts all tool results of a turn in one user message, tool_result blocks before any text', () => {
		const messages = toAnthropicMessages([
			user('q'),
			{ role: 'assistant', content: [call('c1', 'toolu_1'), call('c2', 'toolu_2')] },
			result('c1', 'one'),
			result('c2', 'two'),
			user('and now?'),
		]);
		assert.equal(messages.length, 3);
		assert.deepEqual(messages[2], { role: 'user', content: [
			{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'one' },
			{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'two' },
			{ type: 'text', text: 'and now?' },
		] });
	});

	it('synthesizes unique tool_use ids for empty or repeated provider ids and answers results with the same ids (seed 004)', () => {
		const messages = toAnthropicMessages([
			user('q'),
			{ role: 'assistant', content: [call('call-a', 'get_current_weather'), call('call-b', 'get_current_weather'), call('call-c', '')] },
			{ role: 'tool', content: [
				{ type: 'tool-result', callId: 'call-a', toolName: 'get_weather', output: { type: 'text', value: 'A' } },
				{ type: 'tool-result', callId: 'call-b', toolName: 'get_weather', output: { type: 'text', value: 'B' } },
				{ type: 'tool-result', callId: 'call-c', toolName: 'get_weather', output: { type: 'text', value: 'C' } },
			] },
			{ role: 'assistant', content: [call('call-d', 'get_current_weather')] },
			result('call-d', 'D'),
		]);
		const ids = (index: number, type: string, field: string) =>
			(messages[index].content as unknown as Array<Record<string, unknown>>).filter((block) => block.type === type).map((block) => block[field]);
		const used = [...ids(1, 'tool_use', 'id'), ...ids(3, 'tool_use', 'id')];
		assert.equal(used[0], 'get_current_weather', 'a usable provider id is kept');
		assert.equal(new Set(used).size, 4, 'every tool_use id is unique in the request');
		for (const id of used) assert.match(String(id), /^[a-zA-Z0-9_-]+$/);
		assert.deepEqual(ids(2, 'tool_result', 'tool_use_id'), used.slice(0, 3));
		assert.deepEqual(ids(4, 'tool_result', 'tool_use_id'), used.slice(3));
	});

	it('marks error and denied results with is_error and text the model can act on', () => {
		const [, , results] = toAnthropicMessages([
			user('q'),
			{ role: 'assistant', content: [call('c1', 't1'), call('c2', 't2'), call('c3', 't3')] },
			{ role: 'tool', content: [
				{ type: 'tool-result', callId: 'c1', toolName: 'get_weather', output: { type: 'error-text', value: 'City not found: Atlantis' } },
				{ type: 'tool-result', callId: 'c2', toolName: 'get_weather', output: { type: 'denied', reason: 'not now' } },
				{ type: 'tool-result', callId: 'c3', toolName: 'get_weather', output: { type: 'json', value: { ok: true } } },
			] },
		]);
		assert.deepEqual(results.content, [
			{ type: 'tool_result', tool_use_id: 't1', content: 'City not found: Atlantis', is_error: true },
			{ type: 'tool_result', tool_use_id: 't2', content: 'The user denied this tool call: not now', is_error: true },
			{ type: 'tool_result', tool_use_id: 't3', content: '{"ok":true}' },
		]);
	});

	it('merges consecutive messages of one role and leaves out empty text blocks', () => {
		const messages = toAnthropicMessages([
			user('a'),
			user(''),
			user('b'),
			{ role: 'assistant', content: [{ type: 'text', text: 'x' }] },
			{ role: 'assistant', content: [{ type: 'text', text: '' }, { type: 'text', text: 'y' }] },
		]);
		assert.deepEqual(messages, [
			{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
			{ role: 'assistant', content: [{ type: 'text', text: 'x' }, { type: 'text', text: 'y' }] },
		]);
	});

	it('replays a call whose input is not an object (it never parsed) with input {}', () => {
		const [, assistant] = toAnthropicMessages([user('q'), { role: 'assistant', content: [call('c1', 't1', '{"broken')] }]);
		assert.deepEqual(assistant.content, [{ type: 'tool_use', id: 't1', name: 'get_weather', input: {} }]);
	});
});
