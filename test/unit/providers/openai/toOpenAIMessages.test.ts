// Replay of our conversation as Chat Completions messages (pure conversion; the seeds test it on the wire).
import * as assert from 'node:assert/strict';
import type { ChatMessage, ToolCallPart } from '../../../../src/shared/chat';
import { toOpenAIMessages } from '../../../../src/providers/openai/toOpenAIMessages';

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const call = (id: string, providerId: string, input: unknown = {}): ToolCallPart => ({ type: 'tool-call', id, providerId, toolName: 'run_command', input });

describe('toOpenAIMessages', () => {
	it('puts the system prompt first and sends assistant content null when it only calls tools', () => {
		const messages = toOpenAIMessages('Be brief.', [user('go'), { role: 'assistant', content: [call('a1', 'call_1', { command: 'ls' })] }, { role: 'tool', content: [{ type: 'tool-result', callId: 'a1', toolName: 'run_command', output: { type: 'text', value: 'a.ts' } }] }]);
		assert.deepEqual(messages, [
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'go' },
			{ role: 'assistant', content: null, tool_calls: [{ function: { arguments: '{"command":"ls"}', name: 'run_command' }, id: 'call_1', type: 'function' }] },
			{ role: 'tool', content: 'a.ts', tool_call_id: 'call_1' },
		]);
	});

	it('synthesizes a stable id from our call id only when the provider sent none, and answers with the same id', () => {
		const conversation: ChatMessage[] = [user('go'), { role: 'assistant', content: [call('call_ours7', '')] }, { role: 'tool', content: [{ type: 'tool-result', callId: 'call_ours7', toolName: 'run_command', output: { type: 'text', value: 'ok' } }] }];
		const first = toOpenAIMessages(undefined, conversation);
		assert.deepEqual(first, toOpenAIMessages(undefined, conversation));
		const assistant = first[1] as { tool_calls: Array<{ id: string }> };
		assert.equal(assistant.tool_calls[0].id, 'call_ours7');
		assert.deepEqual(first[2], { role: 'tool', content: 'ok', tool_call_id: 'call_ours7' });
	});

	it('turns denied and error outputs into text the model can act on', () => {
		const messages = toOpenAIMessages(undefined, [
			user('go'),
			{ role: 'assistant', content: [call('a1', 'c1'), call('a2', 'c2'), call('a3', 'c3')] },
			{ role: 'tool', content: [
				{ type: 'tool-result', callId: 'a1', toolName: 'run_command', output: { type: 'denied', reason: 'not on main' } },
				{ type: 'tool-result', callId: 'a2', toolName: 'run_command', output: { type: 'denied' } },
				{ type: 'tool-result', callId: 'a3', toolName: 'run_command', output: { type: 'error-text', value: 'exit code 1' } },
			] },
		]);
		assert.deepEqual(messages.slice(2).map((m) => m.content), [
			'The user denied this tool call. Reason: not on main',
			'The user denied this tool call.',
			'Error: exit code 1',
		]);
	});

	it('answers a call left without a result, so the server accepts the conversation', () => {
		const messages = toOpenAIMessages(undefined, [user('go'), { role: 'assistant', content: [call('a1', 'c1')] }, user('never mind')]);
		assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'tool', 'user']);
		assert.equal((messages[2] as { tool_call_id: string }).tool_call_id, 'c1');
	});

	it('sends DeepSeek reasoning back as reasoning_content on a tool-calling message, but not signed reasoning or plain answers', () => {
		const messages = toOpenAIMessages(undefined, [
			user('go'),
			{ role: 'assistant', content: [{ type: 'reasoning', text: 'Need the list.' }, call('a1', 'c1')] },
			{ role: 'tool', content: [{ type: 'tool-result', callId: 'a1', toolName: 'run_command', output: { type: 'json', value: ['a.ts'] } }] },
			{ role: 'assistant', content: [{ type: 'reasoning', text: 'Done.' }, { type: 'text', text: 'One file.' }] },
			user('again'),
			{ role: 'assistant', content: [{ type: 'reasoning', text: 'x', signature: 'sig' }, call('a2', 'c2')] },
		]);
		assert.deepEqual(messages[1], { role: 'assistant', content: null, reasoning_content: 'Need the list.', tool_calls: [{ function: { arguments: '{}', name: 'run_command' }, id: 'c1', type: 'function' }] });
		assert.deepEqual(messages[2], { role: 'tool', content: '["a.ts"]', tool_call_id: 'c1' });
		assert.deepEqual(messages[3], { role: 'assistant', content: 'One file.' });
		assert.equal('reasoning_content' in messages[5], false);
	});
});
