import * as assert from 'node:assert/strict';
import type { ToolCall } from '../../../../src/shared/toolCall';
import { titleFrom, toMarkdown } from '../../../../src/vscode/conversation/conversationText';

describe('conversationText: a chat title and its Markdown export', () => {
	it('titles a chat by its first line, cut to 60 characters', () => {
		assert.equal(titleFrom('  Fix the build\nthen test'), 'Fix the build');
		assert.equal(titleFrom('x'.repeat(70)), `${'x'.repeat(57)}…`);
		assert.equal(titleFrom('   '), 'New chat');
	});

	it('exports fenced arguments and results that cannot be closed by backticks inside them', () => {
		const call: ToolCall = { callId: 'c1', toolName: 'read_file', summary: 'Read a.md', argumentsText: '{"path":"a.md"}', state: 'done', result: { text: 'before\n```\nafter', truncated: false } };
		const markdown = toMarkdown({ id: 'x', title: 'T', turns: [{ role: 'user', turnId: 'u', text: 'Q' }, { role: 'assistant', turnId: 'a', segments: [{ kind: 'tool', call }], finish: 'interrupted' }] });
		assert.match(markdown, /^# T\n\n## You\n\nQ\n\n## Assistant/);
		assert.match(markdown, /````\nbefore\n```\nafter\n````/);
		assert.match(markdown, /\*\(interrupted\)\*/);
	});
});
