// Agent-loop overhead: a 50-step tool conversation (one instant tool call per step) against a local OpenAI-protocol
// server, vs the sum of the same 50 provider requests made directly (the exact requests the loop built, captured
// in a warm-up run). Run: node -r ./test/support/register.cjs bench/agentLoop.ts
import { runAgentLoop } from '../src/chat/agentLoop';
import { noAuth } from '../src/providers/auth';
import { createProvider } from '../src/providers/registry';
import type { ChatProvider, ChatRequest } from '../src/providers/types';
import { ToolRegistry } from '../src/tools/registry';
import { defineTool } from '../src/tools/types';
import { fixed, interleave, ratioOfMedians, writeRows } from './lib/report';
import { startSseServer } from './lib/sseServer';

const steps = 50;
const textChunksPerStep = 100;
const budget = 1.1;

const instantTool = defineTool<{ step: number }>({
	name: 'instant',
	description: 'Returns at once.',
	inputSchema: { type: 'object', properties: { step: { type: 'integer' } }, required: ['step'], additionalProperties: false },
	risk: 'read',
	parse: (raw) => raw as { step: number },
	approval: async (input) => ({ risk: 'read', summary: `Instant step ${input.step}` }),
	invoke: async (input) => ({ type: 'text', value: `done ${input.step}` }),
});

/** Step n (1-based) answers with text and one call, step 50 with text only; n = tool messages so far + 1. */
function responseFor(body: unknown): string {
	const messages = (body as { messages?: Array<{ role: string }> } | undefined)?.messages ?? [];
	const step = messages.filter((message) => message.role === 'tool').length + 1;
	const base = { id: `chatcmpl-${step}`, object: 'chat.completion.chunk', created: 1_700_000_000, model: 'bench-model' };
	const lines: string[] = [];
	const push = (delta: Record<string, unknown>, finish: string | null = null): void => {
		lines.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
	};
	for (let index = 0; index < textChunksPerStep; index++) push({ content: `step ${step} word ${index} ` });
	if (step < steps) {
		push({ tool_calls: [{ index: 0, id: `call_${step}`, type: 'function', function: { name: 'instant', arguments: '' } }] });
		for (const fragment of ['{"st', 'ep":', ` ${step}`, '}']) push({ tool_calls: [{ index: 0, function: { arguments: fragment } }] });
		push({}, 'tool_calls');
	} else {
		push({}, 'stop');
	}
	lines.push('data: [DONE]\n\n');
	return lines.join('');
}

function recording(provider: ChatProvider, into: ChatRequest[]): ChatProvider {
	return {
		protocol: provider.protocol,
		stream(request, signal) {
			into.push(request);
			return provider.stream(request, signal);
		},
	};
}

async function main(): Promise<void> {
	const server = await startSseServer((_path, body) => responseFor(body));
	try {
		const provider = createProvider({ id: 'bench', protocol: 'openai', baseUrl: server.url, maxRetries: 0 }, { credentials: noAuth() });
		const registry = new ToolRegistry([instantTool]);
		const conversation = async (target: ChatProvider): Promise<void> => {
			const result = await runAgentLoop({
				provider: target,
				model: 'bench-model',
				messages: [{ role: 'user', content: [{ type: 'text', text: 'Call the tool until done.' }] }],
				registry,
				approve: async () => ({ approved: true }),
				signal: new AbortController().signal,
				maxSteps: steps + 10,
			});
			if (result.error !== null || result.steps.length !== steps) throw new Error(`loop ended after ${result.steps.length} steps: ${JSON.stringify(result.error)}`);
		};
		const requests: ChatRequest[] = [];
		await conversation(recording(provider, requests));
		if (requests.length !== steps) throw new Error(`captured ${requests.length} requests`);
		const rawCalls = async (): Promise<void> => {
			for (const request of requests) {
				for await (const _event of provider.stream(request, new AbortController().signal)) { /* consume */ }
			}
		};
		// 15 rounds: with 9, one slow round on this shared machine moved the median by a third.
		const result = ratioOfMedians(await interleave(15, () => conversation(provider), rawCalls));
		writeRows([{
			id: 'agent-loop-overhead',
			measure: `agent-loop overhead (${steps} steps, instant tool, local server)`,
			figure: `${fixed(result.ratio, 3)}× (${fixed(result.a, 0)} vs ${fixed(result.b, 0)} ms)`,
			budget: `≤ ${budget}×`,
			holds: result.ratio <= budget,
			data: { loopMs: result.a, rawProviderMs: result.b, pairedRatio: result.pairedRatio, steps },
		}]);
	} finally {
		await server.close();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
