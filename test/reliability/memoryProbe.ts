// Run by memory.test.ts in a child process with --expose-gc: repeats fault scenarios through the adapters and the
// loop, and prints the heap after warm-up rounds and after the measured rounds, each after a full GC, as JSON.
import { runAgentLoop } from '../../src/chat/agentLoop';
import { ToolRegistry } from '../../src/tools/registry';
import { startFaultServer, type FaultName } from '../support/faultServer';
import { answer, approveAll, modelFor, protocols, providerFor, recorderTool, user } from './support';

const faults: FaultName[] = ['reset-mid-stream', 'no-finish-event', 'error-event-in-200', 'garbage-10mb', 'tiny-chunks', '500', '502-html', '429-quota-body'];
const rounds = Number(process.argv[2] ?? 3);

async function round(server: Awaited<ReturnType<typeof startFaultServer>>): Promise<number> {
	let scenarios = 0;
	for (const protocol of protocols) {
		for (const fault of faults) {
			const recorder = recorderTool();
			server.inject(fault, protocol, answer(protocol, { text: 'Partial answer. ', calls: [{ id: 'c1', name: 'record_note', args: '{"note":"x"}' }] }));
			await runAgentLoop({
				provider: providerFor(protocol, server.url, { timeoutMs: 5000 }),
				model: modelFor(protocol),
				messages: [user('Hi')],
				registry: new ToolRegistry([recorder.tool]),
				approve: approveAll,
				signal: new AbortController().signal,
				maxSteps: 1,
			});
			scenarios++;
		}
	}
	// The huge argument, complete: 5 MB in and out of the accumulators.
	for (const protocol of protocols) {
		const recorder = recorderTool();
		server.push(answer(protocol, { calls: [{ id: 'c1', name: 'record_note', args: JSON.stringify({ note: 'y'.repeat(5 * 1024 * 1024) }) }], pieces: 80 }));
		await runAgentLoop({
			provider: providerFor(protocol, server.url, { timeoutMs: 5000 }),
			model: modelFor(protocol),
			messages: [user('Hi')],
			registry: new ToolRegistry([recorder.tool]),
			approve: approveAll,
			signal: new AbortController().signal,
			maxSteps: 1,
		});
		scenarios++;
	}
	server.requests.length = 0;
	return scenarios;
}

async function settledHeap(): Promise<number> {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with --expose-gc');
	for (let i = 0; i < 4; i++) {
		gc();
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	const usage = process.memoryUsage();
	return usage.heapUsed + usage.external + usage.arrayBuffers;
}

async function main(): Promise<void> {
	let unhandled = 0;
	process.on('unhandledRejection', () => {
		unhandled++;
	});
	const server = await startFaultServer();
	// Two warm-up rounds: module caches, compiled code and the garbage fixture are not leaks.
	await round(server);
	await round(server);
	const before = await settledHeap();
	let scenarios = 0;
	for (let i = 0; i < rounds; i++) scenarios += await round(server);
	const after = await settledHeap();
	await server.close();
	process.stdout.write(`${JSON.stringify({ before, after, scenarios, unhandled })}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});
