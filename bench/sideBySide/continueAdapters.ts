// Side by side, provider layer: our OpenAI adapter vs Continue's @continuedev/openai-adapters (pinned in
// bench/agents/package.json) consuming the same SSE bodies as the provider row (1k/10k/20k/100k chunks, 8 tool
// calls), ABBA-interleaved. Run: node -r ./test/support/register.cjs bench/sideBySide/continueAdapters.ts
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { noAuth } from '../../src/providers/auth';
import { createProvider } from '../../src/providers/registry';
import type { ChatRequest } from '../../src/providers/types';
import { fixed, interleave, ratioOfMedians, writeRows, type BenchRow } from '../lib/report';
import { startSseServer } from '../lib/sseServer';
import { openaiStream, toolCallsPerStream } from '../lib/streams';
import { agentsDir, agentVersion } from './agents';

const sizes = [1_000, 10_000, 20_000, 100_000];
const budgetChunks = 20_000;
const budget = 1;
const roundsFor = (chunks: number): number => (chunks >= 100_000 ? 5 : chunks >= 10_000 ? 11 : 21);

/** The part of Continue's BaseLlmApi this row calls (its dist/index.d.ts). */
interface ContinueApi {
	chatCompletionStream(body: Record<string, unknown>, signal: AbortSignal): AsyncGenerator<{ choices: Array<{ delta?: { tool_calls?: Array<{ id?: string }> } }> }>;
}
interface ContinueAdapters {
	constructLlmApi(config: { provider: string; apiKey: string; apiBase: string }): ContinueApi | undefined;
}

const request: ChatRequest = { model: 'bench-model', messages: [{ role: 'user', content: [{ type: 'text', text: 'Go.' }] }], tools: [], maxOutputTokens: 1024 };

function ours(baseUrl: string): () => Promise<void> {
	const provider = createProvider({ id: 'bench', protocol: 'openai', baseUrl, maxRetries: 0 }, { credentials: noAuth() });
	return async () => {
		let calls = 0;
		for await (const event of provider.stream(request, new AbortController().signal)) if (event.type === 'tool-call') calls++;
		if (calls !== toolCallsPerStream) throw new Error(`our adapter produced ${calls} tool calls, expected ${toolCallsPerStream}`);
	};
}

/** Continue's stream iterated to the end as its callers do: it yields the provider's chunks (tool calls still in fragments). */
function theirs(adapters: ContinueAdapters, baseUrl: string): () => Promise<void> {
	const api = adapters.constructLlmApi({ provider: 'openai', apiKey: 'bench-key', apiBase: `${baseUrl}/` });
	if (!api) throw new Error('constructLlmApi returned nothing for provider "openai"');
	return async () => {
		let calls = 0;
		const body = { model: 'bench-model', messages: [{ role: 'user', content: 'Go.' }], stream: true, max_tokens: 1024 };
		for await (const chunk of api.chatCompletionStream(body, new AbortController().signal)) {
			for (const call of chunk.choices[0]?.delta?.tool_calls ?? []) if (call.id) calls++;
		}
		if (calls !== toolCallsPerStream) throw new Error(`Continue's adapter saw ${calls} tool calls, expected ${toolCallsPerStream}`);
	};
}

async function main(): Promise<void> {
	const load = createRequire(path.join(agentsDir, 'package.json'));
	const adapters = load('@continuedev/openai-adapters') as ContinueAdapters;
	const version = agentVersion('@continuedev/openai-adapters');
	const bodies = new Map(sizes.map((chunks) => [chunks, openaiStream(chunks)]));
	const server = await startSseServer((url) => bodies.get(Number(/\/n\/(\d+)\//.exec(url)?.[1])) ?? '');
	const ratios: Record<string, number> = {};
	const rows: BenchRow[] = [];
	try {
		for (const chunks of sizes) {
			const baseUrl = `${server.url}/n/${chunks}`;
			const result = ratioOfMedians(await interleave(roundsFor(chunks), ours(baseUrl), theirs(adapters, baseUrl)));
			ratios[chunks] = result.ratio;
			process.stderr.write(`[continue-adapters] ${chunks}: ours ${fixed(result.a, 1)} ms, Continue ${fixed(result.b, 1)} ms, ${fixed(result.ratio, 3)}×\n`);
			if (chunks === budgetChunks) {
				rows.push({
					id: 'vs-continue-adapters',
					measure: `side by side: our OpenAI adapter vs Continue's @continuedev/openai-adapters ${version}, same SSE body (${chunks.toLocaleString('en')} chunks, ${toolCallsPerStream} tool calls; ours also assembles the calls)`,
					figure: `${fixed(result.ratio, 3)}× (${fixed(result.a, 0)} vs ${fixed(result.b, 0)} ms)`,
					budget: `≤ ${budget}×`,
					holds: result.ratio <= budget,
					data: { chunks, ourMs: result.a, theirMs: result.b, pairedRatio: result.pairedRatio, version },
				});
			}
		}
	} finally {
		await server.close();
	}
	rows.push({
		id: 'vs-continue-adapters-growth',
		measure: '  growth: ours / Continue\'s adapter at 1k / 10k / 100k chunks',
		figure: [1_000, 10_000, 100_000].map((n) => `${fixed(ratios[n], 3)}×`).join(' / '),
		budget: `≤ ${budget}× each`,
		holds: [1_000, 10_000, 100_000].every((n) => ratios[n] <= budget),
		data: ratios,
	});
	writeRows(rows);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
