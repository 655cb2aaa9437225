// The scripted model's "mind": given the conversation an OpenAI Chat Completions request carries, decide what to
// say next. Pure functions, no I/O, so the rules read top to bottom. The server (scriptedModel.mjs) streams
// the plan. Rules, first match wins:
//   last message is a tool result   → a denial: acknowledge it and repeat the reason; otherwise a Markdown
//                                     answer quoting each result in a code block
//   prompt starts with "slow"       → a long answer, streamed slowly (for Stop)
//   "replace `A` with `B` in FILE"  → one edit_file call with that search/replace block
//   "run the task 'LABEL'"          → one run_task call
//   prompt names two or more files  → two parallel read_file calls
//   prompt names one file           → a sentence, then one read_file call
//   prompt mentions TODO            → a search_text call
//   prompt asks to list files       → a list_directory call
//   anything else                   → a short note on what to try

/**
 * @typedef {{ id: string, type: 'function', function: { name: string, arguments: string } }} WireToolCall
 * @typedef {{ role: string, content?: unknown, tool_calls?: WireToolCall[], tool_call_id?: string }} WireMessage
 * @typedef {{ name: string, arguments: Record<string, unknown> }} PlannedCall
 * @typedef {{ text: string, toolCalls: PlannedCall[], slow: boolean }} Plan
 */

/** The text of a message's content: a string, or the text parts of an array. */
export function contentText(content) {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content.map((part) => (part && typeof part === 'object' && typeof part.text === 'string' ? part.text : '')).join('');
}

/** The prefix toOpenAIMessages puts on a denied call's result; the reason follows "Reason: ". */
const DENIAL = /^The user denied this tool call\.(?:\s*Reason:\s*([\s\S]*))?$/;

/** Path-like words: at least one letter before a dot and an extension of letters (src/greet.ts, README.md). */
const FILE_PATTERN = /(?:^|[\s`'"(])((?:[\w.-]+\/)*[\w-][\w.-]*\.[A-Za-z]{1,8})(?=$|[\s`'"),.:;?!])/g;

/** Files named in a prompt, in order, without duplicates. */
export function mentionedFiles(prompt) {
	const found = [];
	for (const match of prompt.matchAll(FILE_PATTERN)) {
		const file = match[1].replace(/\.$/, '');
		if (!found.includes(file)) found.push(file);
	}
	return found;
}

/** @param {Array<{ function?: { name?: string } }> | undefined} tools */
function offered(tools, name) {
	return Array.isArray(tools) && tools.some((tool) => tool?.function?.name === name);
}

const LANGUAGES = { ts: 'typescript', js: 'javascript', mjs: 'javascript', json: 'json', md: 'markdown', py: 'python', sh: 'bash', txt: '' };

function fence(text, language) {
	const body = text.replace(/\n+$/, '');
	// A fence longer than any backtick run inside, so quoted Markdown cannot close it early.
	const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((run) => run[0].length));
	const marks = '`'.repeat(longest + 1);
	return `${marks}${language}\n${body}\n${marks}`;
}

/** A line or two about a quoted file, so the answer reads like an answer. */
function describe(text) {
	const lines = text.replace(/\n+$/, '').split('\n');
	const functions = [...text.matchAll(/function\s+([A-Za-z_$][\w$]*)/g)].map((match) => `\`${match[1]}\``);
	const todos = lines.filter((line) => /TODO/.test(line)).length;
	const parts = [`${lines.length} line${lines.length === 1 ? '' : 's'}`];
	if (functions.length) parts.push(`it defines ${functions.join(', ')}`);
	if (todos) parts.push(`${todos} TODO${todos === 1 ? '' : 's'} left`);
	return parts.join('; ');
}

/** The tool calls of the last assistant message and the tool results after it. */
function lastToolRound(messages) {
	let index = messages.length - 1;
	const results = [];
	while (index >= 0 && messages[index].role === 'tool') results.unshift(messages[index--]);
	const assistant = index >= 0 && messages[index].role === 'assistant' ? messages[index] : undefined;
	const calls = assistant?.tool_calls ?? [];
	return results.map((result) => {
		const call = calls.find((candidate) => candidate.id === result.tool_call_id);
		let args = {};
		try {
			args = JSON.parse(call?.function.arguments || '{}');
		} catch {
			// quoted as-is below
		}
		return { name: call?.function.name ?? 'tool', args, text: contentText(result.content) };
	});
}

function answerAfterTools(round) {
	const denied = round.map((result) => DENIAL.exec(result.text.trim())).filter(Boolean);
	if (denied.length) {
		const reason = denied.map((match) => match[1]?.trim()).find(Boolean);
		return reason
			? `Understood, I did not run it. You said: "${reason}". Tell me what to look at instead.`
			: 'Understood, I did not run it. Tell me what to look at instead.';
	}
	const sections = round.map((result) => {
		const label = typeof result.args.path === 'string' ? `\`${result.args.path}\`` : `\`${result.name}\``;
		const extension = typeof result.args.path === 'string' ? result.args.path.split('.').pop() ?? '' : '';
		return `### ${label}\n\n${fence(result.text, LANGUAGES[extension] ?? '')}\n\n${label}: ${describe(result.text)}.`;
	});
	const intro = round.length > 1 ? `I read ${round.length} results. Here they are:` : 'Here is what I found:';
	return `${intro}\n\n${sections.join('\n\n')}\n\nAsk me to **read another file** or to **find the TODOs**.`;
}

const SLOW_ANSWER = 'This answer streams slowly on purpose, one word at a time, so that you can press Stop in the middle '
	+ 'and see the partial answer stay on screen, marked as interrupted. '
	+ 'A real model would be explaining something useful here, perhaps the structure of the workspace, the tasks it defines, '
	+ 'or where a bug might hide. It keeps going for a while longer, sentence after sentence, '
	+ 'because a stream that ended too soon could not show that Stop really cancels the request mid-answer. '
	+ 'If you are still reading this, nobody pressed Stop, and the answer ends normally now.';

const HELP = 'I am the **scripted demo model**: I follow a few rules instead of thinking. Try one of these:\n\n'
	+ '- *What does src/greet.ts do?* (I read the file after you approve)\n'
	+ '- *Compare README.md and notes.txt* (two calls at once: Approve all)\n'
	+ '- *Find the TODOs* (a search)\n'
	+ '- *slow story* (a slow answer you can Stop)';

/**
 * What to answer to `messages`, given the `tools` the request offers.
 * @param {WireMessage[]} messages
 * @param {unknown[] | undefined} tools
 * @returns {Plan}
 */
export function planReply(messages, tools) {
	const last = messages[messages.length - 1];
	if (last?.role === 'tool') return { text: answerAfterTools(lastToolRound(messages)), toolCalls: [], slow: false };
	const prompt = contentText(last?.content).trim();
	if (/^slow\b/i.test(prompt)) return { text: SLOW_ANSWER, toolCalls: [], slow: true };
	const edit = /replace `([^`]+)` with `([^`]*)` in (\S+?)[.?!]?$/i.exec(prompt);
	if (edit && offered(tools, 'edit_file')) {
		return { text: `I will change \`${edit[3]}\`.`, toolCalls: [{ name: 'edit_file', arguments: { path: edit[3], edits: [{ search: edit[1], replace: edit[2] }] } }], slow: false };
	}
	const task = /\brun the task '([^']+)'/i.exec(prompt);
	if (task && offered(tools, 'run_task')) {
		return { text: `I will run the task '${task[1]}'.`, toolCalls: [{ name: 'run_task', arguments: { task: task[1] } }], slow: false };
	}
	const files = mentionedFiles(prompt);
	if (files.length >= 2 && offered(tools, 'read_file')) {
		return {
			text: `I will read ${files.slice(0, 2).map((file) => `\`${file}\``).join(' and ')} at the same time.`,
			toolCalls: files.slice(0, 2).map((file) => ({ name: 'read_file', arguments: { path: file } })),
			slow: false,
		};
	}
	if (files.length === 1 && offered(tools, 'read_file')) {
		return { text: `Let me read \`${files[0]}\` first.`, toolCalls: [{ name: 'read_file', arguments: { path: files[0] } }], slow: false };
	}
	if (/\bTODOs?\b/i.test(prompt) && offered(tools, 'search_text')) {
		return { text: 'I will search the workspace for TODO comments.', toolCalls: [{ name: 'search_text', arguments: { query: 'TODO' } }], slow: false };
	}
	if (/\b(list|files|directory|folder)\b/i.test(prompt) && offered(tools, 'list_directory')) {
		return { text: 'Let me look at the workspace root.', toolCalls: [{ name: 'list_directory', arguments: { path: '.' } }], slow: false };
	}
	return { text: HELP, toolCalls: [], slow: false };
}
