// History: save and reload a 2,000-message conversation (1,000 user turns, 1,000 assistant turns with 300 tool
// calls, and the matching model history) through src/vscode/conversation/historyStore.ts, with 'vscode' shimmed over node:fs.
// Run: node -r ./test/support/register.cjs bench/history.ts
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChatMessage } from '../src/shared/chat';
import type { TurnView } from '../src/shared/protocol';
import { fixed, median, writeRows } from './lib/report';
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
		writeRows([{
			id: 'history',
			measure: `history: save and reload ${turns.length.toLocaleString('en')} messages, ${cards} tool calls (${fixed(bytes / 1e6, 1)} MB; HistoryStore over a node:fs 'vscode' shim)`,
			figure: `save ${fixed(save, 1)} ms, reload ${fixed(load, 1)} ms`,
			budget: `< ${budgetMs} ms each`,
			holds: save < budgetMs && load < budgetMs,
			data: { saveMs: save, loadMs: load, bytes, messages: messages.length, runs: saves.length },
		}]);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
