// Provider overhead: our adapter's normalized event stream vs the bare official SDK iterating the same local SSE
// stream, per protocol, at 1k / 10k / 20k / 100k chunks. Run: node -r ./test/support/register.cjs bench/providers.ts
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { noAuth } from '../src/providers/auth';
import { createProvider } from '../src/providers/registry';
import type { ChatRequest, Protocol } from '../src/providers/types';
import { fixed, interleave, ratioOfMedians, writeRows, type BenchRow } from './lib/report';
import { startSseServer } from './lib/sseServer';
import { anthropicStream, openaiArgumentStream, openaiStream, toolCallsPerStream } from './lib/streams';

const sizes = [1_000, 10_000, 20_000, 100_000];
const budgetChunks = 20_000;
const budget = 1.05;
/** BENCH_PROTOCOLS=anthropic runs one protocol (a quick check while working on an adapter). */
const protocols = (process.env.BENCH_PROTOCOLS?.split(',') ?? ['openai', 'anthropic']) as Protocol[];

/** The long-argument row: 1 MB of create_file arguments in 10-character fragments (100,000 chunks). */
const argumentBytes = 1_000_000;
const argumentFragment = 10;
const argumentRounds = 5;

const request: ChatRequest = { model: 'bench-model', messages: [{ role: 'user', content: [{ type: 'text', text: 'Go.' }] }], tools: [], maxOutputTokens: 1024 };

/**
 * Rounds per size: many where a round is cheap. The largest size still gets several rounds: a single pair there
 * (as before) let one garbage collection decide the figure.
 */
function roundsFor(chunks: number): number {
	if (chunks >= 100_000) return 5;
	return chunks >= 10_000 ? 11 : 21;
}

/** On a machine so loaded that one pair of the largest size takes this long, fewer rounds keep the suite short. */
const slowPairMs = 15_000;

async function measure(chunks: number, ours: () => Promise<void>, bare: () => Promise<void>): Promise<{ a: number[]; b: number[] }> {
	if (chunks < 100_000) return interleave(roundsFor(chunks), ours, bare);
	const first = await interleave(1, ours, bare, false);
	if (first.a[0] + first.b[0] > slowPairMs) return first;
	const rest = await interleave(roundsFor(chunks) - 1, ours, bare, false);
	return { a: [...first.a, ...rest.a], b: [...first.b, ...rest.b] };
}

async function main(): Promise<void> {
	const bodies = new Map<string, string>();
	let argumentBody: string | undefined;
	const server = await startSseServer((path) => {
		if (path.startsWith('/arguments/')) return argumentBody ??= openaiArgumentStream(argumentBytes, argumentFragment);
		const chunks = Number(/\/n\/(\d+)\//.exec(path)?.[1] ?? 0);
		const protocol: Protocol = path.endsWith('/messages') ? 'anthropic' : 'openai';
		const key = `${protocol}:${chunks}`;
		let body = bodies.get(key);
		if (body === undefined) {
			body = protocol === 'openai' ? openaiStream(chunks) : anthropicStream(chunks);
			bodies.set(key, body);
		}
		return body;
	});
	const rows: BenchRow[] = [];
	try {
		for (const protocol of protocols) {
			const growth: Record<string, number> = {};
			for (const chunks of sizes) {
				const baseUrl = `${server.url}/n/${chunks}`;
				const ours = oursRunner(protocol, baseUrl);
				const bare = protocol === 'openai' ? bareOpenAI(baseUrl) : bareAnthropic(baseUrl);
				const result = ratioOfMedians(await measure(chunks, ours, bare));
				growth[chunks] = result.ratio;
				const label = protocol === 'openai' ? 'OpenAI' : 'Anthropic';
				const data = { chunks, ourMs: result.a, sdkMs: result.b, pairedRatio: result.pairedRatio };
				if (chunks === budgetChunks) {
					rows.push({
						id: `provider-overhead-${protocol}`,
						measure: `provider overhead, ${label} protocol (${chunks.toLocaleString('en')} chunks, ${toolCallsPerStream} tool calls)`,
						figure: `${fixed(result.ratio, 3)}× (${fixed(result.a, 0)} vs ${fixed(result.b, 0)} ms)`,
						budget: `≤ ${budget}×`,
						holds: result.ratio <= budget,
						data,
					});
				}
				process.stderr.write(`[providers] ${protocol} ${chunks}: ours ${fixed(result.a, 1)} ms, sdk ${fixed(result.b, 1)} ms, ${fixed(result.ratio, 3)}×\n`);
			}
			rows.push({
				id: `provider-overhead-${protocol}-growth`,
				measure: `  growth: ${protocol} overhead at 1k / 10k / 100k chunks`,
				figure: [1_000, 10_000, 100_000].map((n) => `${fixed(growth[n], 3)}×`).join(' / '),
				budget: `≤ ${budget}× each`,
				holds: [1_000, 10_000, 100_000].every((n) => growth[n] <= budget),
				data: growth,
			});
		}
		if (protocols.includes('openai')) rows.push(await argumentRow(`${server.url}/arguments`));
	} finally {
		await server.close();
	}
	writeRows(rows);
}

/** One long tool call: the accumulator must stay linear in the argument size (parsed once, when the call closes). */
async function argumentRow(baseUrl: string): Promise<BenchRow> {
	const result = ratioOfMedians(await interleave(argumentRounds, oursRunner('openai', baseUrl, 1), bareOpenAI(baseUrl)));
	process.stderr.write(`[providers] openai 1 MB arguments: ours ${fixed(result.a, 1)} ms, sdk ${fixed(result.b, 1)} ms, ${fixed(result.ratio, 3)}×\n`);
	return {
		id: 'provider-overhead-openai-long-arguments',
		measure: `provider overhead, OpenAI protocol: 1 MB of tool-call arguments in ${argumentFragment}-character fragments (one call)`,
		figure: `${fixed(result.ratio, 3)}× (${fixed(result.a, 0)} vs ${fixed(result.b, 0)} ms)`,
		budget: `≤ ${budget}×`,
		holds: result.ratio <= budget,
		data: { bytes: argumentBytes, fragment: argumentFragment, ourMs: result.a, sdkMs: result.b, pairedRatio: result.pairedRatio },
	};
}

/** Our path as the app uses it: registry (quirks wrapper) → adapter → normalized events, all consumed. */
function oursRunner(protocol: Protocol, baseUrl: string, expectedCalls = toolCallsPerStream): () => Promise<void> {
	const provider = createProvider({ id: 'bench', protocol, baseUrl, maxRetries: 0 }, { credentials: noAuth() });
	return async () => {
		let toolCalls = 0;
		for await (const event of provider.stream(request, new AbortController().signal)) {
			if (event.type === 'tool-call') toolCalls++;
		}
		if (toolCalls !== expectedCalls) throw new Error(`our ${protocol} adapter produced ${toolCalls} tool calls, expected ${expectedCalls}`);
	};
}

/** The reference: the SDK's own stream iterated to the end, nothing else. */
function bareOpenAI(baseUrl: string): () => Promise<void> {
	const client = new OpenAI({ apiKey: 'bench-key', baseURL: baseUrl, maxRetries: 0, organization: null, project: null });
	return async () => {
		const stream = await client.chat.completions.create({ model: 'bench-model', messages: [{ role: 'user', content: 'Go.' }], stream: true });
		let count = 0;
		for await (const _chunk of stream) count++;
		if (count === 0) throw new Error('the openai SDK read no chunk');
	};
}

function bareAnthropic(baseUrl: string): () => Promise<void> {
	const client = new Anthropic({ apiKey: 'bench-key', baseURL: baseUrl, maxRetries: 0 });
	return async () => {
		const stream = await client.messages.create({ model: 'bench-model', max_tokens: 1024, messages: [{ role: 'user', content: 'Go.' }], stream: true });
		let count = 0;
		for await (const _event of stream) count++;
		if (count === 0) throw new Error('the anthropic SDK read no event');
	};
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
