import * as assert from 'node:assert/strict';
import { toMarkdown } from '../../../../src/vscode/conversation/conversationText';

describe('Export Chat names what a message attached', () => {
	it('lists the chips after the message, marking cut and missing ones', () => {
		const markdown = toMarkdown({ id: 'c', title: 'T', turns: [{
			role: 'user', turnId: 'u', text: 'Why?', attachments: [
				{ kind: 'file', label: 'src/a.ts', path: 'src/a.ts' },
				{ kind: 'selection', label: 'src/a.ts:2-3', path: 'src/a.ts', omitted: 10 },
				{ kind: 'file', label: 'gone.ts', path: 'gone.ts', error: 'gone.ts does not exist.' },
			],
		}] });
		assert.equal(markdown, '# T\n\n## You\n\nWhy?\n\n*Attached: `src/a.ts`, `src/a.ts:2-3` (cut), `gone.ts` (not attached)*\n');
	});
});
