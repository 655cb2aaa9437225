// Once a conversation is over its window, each later turn must not pay for summarizing the same old turns again:
// the conversation's SummaryCache answers for the same messages, and only newly cut messages go to the model.
import * as assert from 'node:assert/strict';
import { runAgentLoop, type AgentLoopOptions } from '../../../../src/chat/agentLoop';
import { SummaryCache } from '../../../../src/chat/context/summaryCache';
import type { LoopEvent } from '../../../../src/chat/loopEvents';
import { createProvider } from '../../../../src/providers/registry';
import type { ChatMessage } from '../../../../src/shared/chat';
import { ToolRegistry } from '../../../../src/tools/registry';
import { startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { openaiMessages, openaiTurn } from '../scripts';

const system = 'You are a coding assistant.';
const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const assistant = (text: string): ChatMessage => ({ role: 'assistant', content: [{ type: 'text', text }] });
const long = (lead: string, filler: string): string => `${lead} ${filler.repeat(50)}`;

const firstTurns: ChatMessage[] = [
	user('Tell me about src/a.ts'),
	assistant(long('a.ts parses the settings.', 'It reads each entry and validates it against the schema. ')),
	user('And src/b.ts?'),
	assistant(long('b.ts writes them back.', 'It serializes every entry and keeps the comments in place. ')),
	user('Is c.ts related?'),
	assistant('No, c.ts only formats dates.'),
];

function transcript(json: Record<string, unknown> | undefined): string {
	return openaiMessages(json).map((m) => String(m.content)).join('\n');
}

describe('summary cache (real adapter, scripted server)', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	const turn = async (messages: ChatMessage[], summaries: SummaryCache | undefined, events: LoopEvent[] = []): Promise<ChatMessage[]> => {
		const options: AgentLoopOptions = {
			provider: createProvider(
				{ id: 'test', protocol: 'openai', baseUrl: `${server.url}/v1`, maxRetries: 0 },
				{ credentials: { get: async () => 'sk-test', invalidate: () => false } },
			),
			model: 'gpt-4o',
			system,
			messages,
			registry: new ToolRegistry([]),
			approve: async () => ({ approved: true }),
			signal: new AbortController().signal,
			context: { window: 1200, reserveOutput: 200, summarize: true, summaries },
			onEvent: (event) => events.push(event),
		};
		const result = await runAgentLoop(options);
		assert.equal(result.error, null);
		return [...messages, ...result.messages];
	};

	it('makes no summary request on the next turn when the same messages are cut', async () => {
		const summaries = new SummaryCache();
		server.push(openaiTurn({ text: 'SUMMARY: a.ts parses the settings, b.ts writes them.' }), openaiTurn({ text: 'Refactor a.ts first.' }));
		const history = await turn([...firstTurns, user('Which file should I refactor first?')], summaries);
		assert.equal(server.requests.length, 2, 'turn 1: the summary request, then the answer');
		assert.equal(summaries.size, 1);

		server.push(openaiTurn({ text: 'Then b.ts.' }));
		const events: LoopEvent[] = [];
		await turn([...history, user('And after that?')], summaries, events);
		assert.equal(server.requests.length, 3, 'turn 2: only the answer, the summary came from the cache');
		const sent = transcript(server.requests[2].json);
		assert.match(sent, /\[Summary of the earlier conversation \(3 messages\)[^\n]*\n\nSUMMARY: a\.ts parses the settings, b\.ts writes them\./);
		assert.doesNotMatch(sent, /It reads each entry/, 'the summarized turns are not sent again');
		const meter = events.find((event) => event.type === 'context');
		assert.deepEqual(meter?.type === 'context' ? meter.compaction?.summary : undefined,
			{ text: 'SUMMARY: a.ts parses the settings, b.ts writes them.', replacedCount: 3, byModel: true });
	});

	it('summarizes only the newly cut messages, with the earlier summary, when the cut moves', async () => {
		const summaries = new SummaryCache();
		server.push(openaiTurn({ text: 'SUMMARY ONE: a.ts parses, b.ts writes.' }), openaiTurn({ text: 'Refactor a.ts first.' }));
		let history = await turn([...firstTurns, user('Which file should I refactor first?')], summaries);
		assert.equal(server.requests.length, 2);

		// A long answer pushes the cut past 'Is c.ts related?': those messages are new to summarize, the rest is not.
		server.push(openaiTurn({ text: 'SUMMARY TWO: and c.ts formats dates.' }), openaiTurn({ text: 'Yes.' }));
		history = [...history, user('Show me d.ts'), assistant(long('d.ts logs.', 'It writes each line with a timestamp and a level. ')), user('Done?')];
		await turn(history, summaries);
		assert.equal(server.requests.length, 4, 'one summary request, then the answer');
		const summaryRequest = transcript(server.requests[2].json);
		assert.match(summaryRequest, /SUMMARY ONE: a\.ts parses, b\.ts writes\./);
		assert.match(summaryRequest, /Is c\.ts related\?/);
		assert.doesNotMatch(summaryRequest, /It reads each entry|It serializes every entry/, 'what the earlier summary covers is not sent again');
		assert.match(transcript(server.requests[3].json), /SUMMARY TWO: and c\.ts formats dates\./);
		assert.equal(summaries.size, 2);
	});

	it('never reuses a summary for different messages', async () => {
		const summaries = new SummaryCache();
		server.push(openaiTurn({ text: 'SUMMARY: first version.' }), openaiTurn({ text: 'Refactor a.ts first.' }));
		await turn([...firstTurns, user('Which file should I refactor first?')], summaries);
		const edited = firstTurns.map((message, index) => index === 1 ? assistant(long('a.ts was rewritten.', 'It now streams entries from disk one by one. ')) : message);
		server.push(openaiTurn({ text: 'SUMMARY: second version.' }), openaiTurn({ text: 'OK.' }));
		await turn([...edited, user('Which file should I refactor first?')], summaries);
		assert.equal(server.requests.length, 4, 'a new summary for the edited history');
		assert.match(transcript(server.requests[2].json), /a\.ts was rewritten/);
		assert.doesNotMatch(transcript(server.requests[2].json), /SUMMARY: first version/);
	});

	it('without a cache, every turn over the limit asks for a summary again (what the cache saves)', async () => {
		server.push(openaiTurn({ text: 'SUMMARY: one.' }), openaiTurn({ text: 'Refactor a.ts first.' }));
		const history = await turn([...firstTurns, user('Which file should I refactor first?')], undefined);
		server.push(openaiTurn({ text: 'SUMMARY: one again.' }), openaiTurn({ text: 'Then b.ts.' }));
		await turn([...history, user('And after that?')], undefined);
		assert.equal(server.requests.length, 4);
	});
});
