// History: save and reload a 2,000-message conversation (1,000 user turns, 1,000 assistant turns with 300 tool
// calls, and the matching model history) through src/vscode/conversation/historyStore.ts, with 'vscode' shimmed over
// node:fs; and the save of one more turn of it (appended to the file).
// Run: node -r ./test/support/register.cjs bench/history.ts
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChatMessage } from '../src/shared/chat';
import type { TurnView } from '../src/shared/protocol';
import { fixed, median, writeRows, type BenchRow } from './lib/report';
import { installVscodeShim, MemoryMemento } from './lib/vscodeShim';

const budgetMs = 100;
const pairs = 1_000;
const cards = 300;

function sentence(n: number, words: number): string {
	const pool = ['history', 'store', 'saves', 'each', 'turn', 'with', 'its', 'tool', 'calls', 'and', 'results'];
	return Array.from({ length: words }, (_, index) => pool[(n + index) % pool.length]).join(' ');
}

function conversation(): { turns: TurnView[]; messages: ChatMessage[] } {
	const turns: TurnView[] = [];
	const messages: ChatMessage[] = [];
	let placed = 0;
	for (let n = 0; n < pairs; n++) {
		const question = `Question ${n}: ${sentence(n, 20)}`;
		turns.push({ role: 'user', turnId: `u${n}`, text: question });
		messages.push({ role: 'user', content: [{ type: 'text', text: question }] });
		const answer = `${sentence(n, 60)}\n\n- ${sentence(n + 1, 8)}\n- ${sentence(n + 2, 8)}`;
		const segments: Extract<TurnView, { role: 'assistant' }>['segments'] = [{ kind: 'text', text: answer }];
		while (placed < Math.round(((n + 1) * cards) / pairs)) {
			const callId = `call${placed}`;
			const input = { path: `src/file${placed}.ts`, startLine: 1, endLine: 80 };
			const result = `export const value${placed} = ${placed};\n`.repeat(20);
			segments.push({ kind: 'tool', call: { callId, toolName: 'read_file', summary: `Read ${input.path}`, risk: 'read', argumentsText: JSON.stringify(input, null, 2), state: 'done', result: { text: result, truncated: false } } });
			messages.push({ role: 'assistant', content: [{ type: 'tool-call', id: callId, providerId: `p${placed}`, toolName: 'read_file', input }] });
			messages.push({ role: 'tool', content: [{ type: 'tool-result', callId, toolName: 'read_file', output: { type: 'text', value: result } }] });
			placed++;
		}
		turns.push({ role: 'assistant', turnId: `a${n}`, segments, finish: 'stop', usage: { inputTokens: 1000 + n, outputTokens: 200 } });
		messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
	}
	return { turns, messages };
}

async function main(): Promise<void> {
	if (!fs.existsSync(path.join(__dirname, '../src/vscode/conversation/historyStore.ts'))) {
		writeRows([{ id: 'history', measure: 'history: save and reload a 2,000-message conversation', figure: 'n/a (not built yet: src/vscode/conversation/historyStore.ts)', budget: `< ${budgetMs} ms each`, holds: null }]);
		return;
	}
	const Uri = installVscodeShim();
	// Loaded after the shim is in place (a static import would load 'vscode' first).
	const load = createRequire(__filename);
	const { HistoryStore } = load('../src/vscode/conversation/historyStore') as typeof import('../src/vscode/conversation/historyStore');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-history-'));
	try {
		const store = new HistoryStore(new MemoryMemento() as never, Uri.file(dir) as never);
		const { turns, messages } = conversation();
		const stored = { version: 1 as const, id: 'benchchat', title: 'A long chat', createdAt: Date.now(), updatedAt: Date.now(), turns, messages };
		const saves: number[] = [];
		const loads: number[] = [];
		for (let run = 0; run < 8; run++) {
			let started = performance.now();
			await store.save({ ...stored, updatedAt: Date.now() + run });
			if (run > 0) saves.push(performance.now() - started);
			started = performance.now();
			const loaded = await store.load('benchchat');
			if (run > 0) loads.push(performance.now() - started);
			if (loaded?.turns.length !== turns.length) throw new Error('the conversation did not come back whole');
		}
		const bytes = fs.statSync(path.join(dir, 'chats', 'benchchat.json')).size;
		const save = median(saves);
		const load = median(loads);
		// A turn of this chat as it is being had: the same object grows by a prompt and an answer, and is saved.
		const live = { ...stored, turns: [...turns], messages: [...messages] };
		await store.save(live);
		const turnSaves: number[] = [];
		for (let n = 0; n < 20; n++) {
			live.turns.push({ role: 'user', turnId: `lu${n}`, text: `One more question ${n}` }, { role: 'assistant', turnId: `la${n}`, segments: [{ kind: 'text', text: sentence(n, 200) }], finish: 'stop' });
			live.messages.push({ role: 'user', content: [{ type: 'text', text: `One more question ${n}` }] }, { role: 'assistant', content: [{ type: 'text', text: sentence(n, 200) }] });
			live.updatedAt = Date.now();
			const started = performance.now();
			await store.save(live);
			turnSaves.push(performance.now() - started);
		}
		const turnSave = median(turnSaves);
		const searchRows = await searchBench(HistoryStore, Uri, dir);
		writeRows([...searchRows, {
			id: 'history',
			measure: `history: save and reload ${turns.length.toLocaleString('en')} messages, ${cards} tool calls (${fixed(bytes / 1e6, 1)} MB; HistoryStore over a node:fs 'vscode' shim)`,
			figure: `save ${fixed(save, 1)} ms, reload ${fixed(load, 1)} ms; a new turn's save ${fixed(turnSave, 2)} ms (appended)`,
			budget: `< ${budgetMs} ms each`,
			holds: save < budgetMs && load < budgetMs && turnSave < budgetMs,
			data: { saveMs: save, loadMs: load, turnSaveMs: turnSave, bytes, messages: messages.length, runs: saves.length },
		}]);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** 500 saved chats of 20 turns each: the search box must answer each keystroke at once. */
const searchChats = 500;
const searchBudgetMs = 50;

async function searchBench(Store: typeof import('../src/vscode/conversation/historyStore').HistoryStore, Uri: ReturnType<typeof installVscodeShim>, parent: string): Promise<BenchRow[]> {
	const dir = path.join(parent, 'search');
	const memento = new MemoryMemento();
	const writer = new Store(memento as never, Uri.file(dir) as never);
	for (let n = 0; n < searchChats; n++) {
		const turns: TurnView[] = [];
		for (let turn = 0; turn < 10; turn++) {
			turns.push({ role: 'user', turnId: `u${turn}`, text: `Chat ${n} question ${turn}: ${sentence(n + turn, 25)}` });
			turns.push({ role: 'assistant', turnId: `a${turn}`, segments: [{ kind: 'text', text: `${sentence(n * 7 + turn, 80)}${n === searchChats - 1 && turn === 9 ? ' xylophone' : ''}` }], finish: 'stop' });
		}
		await writer.save({ version: 1, id: `chat${n}`, title: `Chat number ${n}`, createdAt: n, updatedAt: n, turns, messages: [] });
	}
	// Writes the search index now, as closing the window does.
	await writer.emptyTrash();
	// A new window: the first search reads the saved index; later keystrokes search in memory.
	const reader = new Store(memento as never, Uri.file(dir) as never);
	let started = performance.now();
	const first = await reader.find('xylophone');
	const cold = performance.now() - started;
	if (first.length !== 1) throw new Error(`the search found ${first.length} chats, not 1`);
	const queries = ['x', 'xy', 'xyl', 'xylo', 'xylophone', 'store saves', 'turn with', 'results', 'question 9', 'nothing matches this'];
	const times: number[] = [];
	for (let round = 0; round < 5; round++) {
		for (const query of queries) {
			started = performance.now();
			await reader.find(query);
			times.push(performance.now() - started);
		}
	}
	const warm = median(times);
	// The 90th percentile rather than the maximum: one garbage collection on a shared 2-core machine is not the search.
	const p90 = [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)];
	return [{
		id: 'history-search',
		measure: `history: search ${searchChats} saved chats (20 turns each) by title and message text, per keystroke (HistoryStore.find; first search reads the saved index)`,
		figure: `median ${fixed(warm, 2)} ms, 90th percentile ${fixed(p90, 1)} ms; first search ${fixed(cold, 1)} ms`,
		budget: `< ${searchBudgetMs} ms per keystroke (90th percentile)`,
		holds: p90 < searchBudgetMs,
		data: { medianMs: warm, p90Ms: p90, firstMs: cold, maxMs: Math.max(...times), chats: searchChats, queries: times.length },
	}];
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
