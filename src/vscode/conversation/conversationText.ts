// The conversation for people outside the panel: a title from the first prompt, and the Markdown export. The
// transcript itself (turns of segments, the reducer, a reload's settling) is src/shared/transcript.ts. Pure: no 'vscode'.
import type { ConversationView } from '../../shared/protocol';
import type { ToolCall } from '../../shared/toolCall';

/** A short title from the first prompt. */
export function titleFrom(text: string): string {
	const line = text.trim().split('\n')[0] ?? '';
	return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
}

/** A fence longer than any backtick run inside, so the content cannot close it. */
function fence(text: string, language = ''): string {
	const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
	const ticks = '`'.repeat(longest + 1);
	return `${ticks}${language}\n${text}\n${ticks}`;
}

function callMarkdown(call: ToolCall): string {
	const lines = [`**Tool call: ${call.toolName}** — ${call.summary} (${call.state})`, ...(call.detail ? ['', fence(call.detail, '')] : []), '', fence(call.argumentsText, 'json')];
	switch (call.state) {
		case 'done':
		case 'error':
			lines.push('', fence(call.result.text + (call.result.truncated ? '\n…(truncated)' : '')));
			break;
		case 'denied':
			lines.push('', call.reason ? `Denied: ${call.reason}` : 'Denied.');
			break;
		case 'invalid':
		case 'incomplete':
			lines.push('', call.message);
			break;
		default:
			break;
	}
	return lines.join('\n');
}

/** The conversation as Markdown: what the panel shows, never a key (none is ever in the view). */
export function toMarkdown(conversation: ConversationView): string {
	const parts = [`# ${conversation.title ?? 'Switchboard chat'}`];
	for (const turn of conversation.turns) {
		if (turn.role === 'user') {
			parts.push(`## You\n\n${turn.text}`);
			continue;
		}
		const model = turn.model ? ` (${turn.model.provider}/${turn.model.model})` : '';
		const body = turn.segments.map((segment) => {
			switch (segment.kind) {
				case 'text': return segment.text;
				case 'reasoning': return `<details><summary>Reasoning</summary>\n\n${segment.text}\n\n</details>`;
				case 'tool': return callMarkdown(segment.call);
				case 'compaction': return `<details><summary>Earlier messages summarized (${segment.summary.replacedCount})</summary>\n\n${segment.summary.text}\n\n</details>`;
			}
		});
		if (turn.finish === 'interrupted') body.push('*(interrupted)*');
		if (turn.usage) body.push(`*Tokens: ${turn.usage.inputTokens} in, ${turn.usage.outputTokens} out*`);
		parts.push(`## Assistant${model}\n\n${body.join('\n\n')}`);
	}
	return `${parts.join('\n\n')}\n`;
}
