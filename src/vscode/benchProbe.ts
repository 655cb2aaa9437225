// A measuring probe for bench/e2e, off unless SWITCHBOARD_BENCH_PROBE names a folder (the bench sets it for the
// code-server it starts; nothing else does). Then the extension host answers the bench's requests, dropped as
// command.json in that folder, with figures only the host can see, appended to probe.jsonl there: its event-loop
// delay (perf_hooks.monitorEventLoopDelay) over a window, its heap after a full collection, how long each chat
// save's write took, and when a turn's first text delta and first tool card reached the host and left it for the panel;
// and on request a heap snapshot (after a full collection) or a CPU profile written there, to find what the host
// retains or what blocks it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type * as vscode from 'vscode';
import { ChatTurn } from './chat/chatTurn';
import { HistoryStore, type SaveWrite } from './conversation/historyStore';
import type { StoredConversation } from './conversation/storedConversation';

interface Command {
	seq: number;
	cmd: 'loop-start' | 'loop-stop' | 'heap' | 'snapshot' | 'profile-start' | 'profile-stop';
}

const now = (): number => performance.timeOrigin + performance.now();

export function startBenchProbe(): void {
	const dir = process.env.SWITCHBOARD_BENCH_PROBE;
	if (!dir) return;
	const out = path.join(dir, 'probe.jsonl');
	const write = (record: Record<string, unknown>): void => fs.appendFileSync(out, `${JSON.stringify({ at: now(), ...record })}\n`);
	timeSaves(write);
	stampTurns(write);
	const loop = monitorEventLoopDelay({ resolution: 1 });
	const stalls = stallLog();
	const profiler = cpuProfiler(dir);
	let done = 0;
	const onCommand = (): void => {
		let command: Command;
		try {
			command = JSON.parse(fs.readFileSync(path.join(dir, 'command.json'), 'utf8')) as Command;
		} catch {
			return;
		}
		if (command.seq <= done) return;
		done = command.seq;
		if (command.cmd === 'loop-start') {
			loop.reset();
			loop.enable();
			stalls.start();
			write({ seq: command.seq });
		} else if (command.cmd === 'loop-stop') {
			loop.disable();
			const ms = (ns: number): number => ns / 1e6;
			write({ seq: command.seq, p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max), mean: ms(loop.mean), samples: loop.count, stalls: stalls.stop() });
		} else if (command.cmd === 'heap') {
			void heapAfterGc().then((heap) => write({ seq: command.seq, ...heap }), (error: unknown) => write({ seq: command.seq, error: String(error) }));
		} else if (command.cmd === 'snapshot') {
			void heapAfterGc().then(async (heap) => {
				const v8 = await import('node:v8');
				const file = v8.writeHeapSnapshot(path.join(dir, `host-${command.seq}.heapsnapshot`));
				write({ seq: command.seq, file, ...heap });
			}).catch((error: unknown) => write({ seq: command.seq, error: String(error) }));
		} else if (command.cmd === 'profile-start') {
			void profiler.start().then(() => write({ seq: command.seq }), (error: unknown) => write({ seq: command.seq, error: String(error) }));
		} else if (command.cmd === 'profile-stop') {
			void profiler.stop(command.seq).then((file) => write({ seq: command.seq, file }), (error: unknown) => write({ seq: command.seq, error: String(error) }));
		}
	};
	// The bench renames the file into place, so a read never sees half of it.
	fs.watch(dir, (_event, file) => {
		if (file === 'command.json') onCommand();
	}).unref();
	write({ ready: true, pid: process.pid });
}

/**
 * Every chat file write of HistoryStore (one per save; saves asked for meanwhile join the next one), timed from its
 * start to its end, list update included, with the part spent in workspaceState.update (a round trip to the
 * workbench), the bytes written or appended, whether it appended, and how long the last caller waited (queue included).
 */
function timeSaves(write: (record: Record<string, unknown>) => void): void {
	type Write = (this: HistoryStore, conversation: StoredConversation) => Promise<SaveWrite>;
	const prototype = HistoryStore.prototype as unknown as { write: Write; save: HistoryStore['save'] };
	const { write: writeFile, save } = prototype;
	const wrapped = new WeakSet<vscode.Memento>();
	const asked = new WeakMap<StoredConversation, number>();
	let stateMs = 0;
	prototype.save = function stamped(this: HistoryStore, conversation) {
		asked.set(conversation, performance.now());
		return save.call(this, conversation);
	};
	prototype.write = async function timed(this: HistoryStore, conversation) {
		// The store's memento is private; the probe times its update in place.
		const state = (this as unknown as { state: vscode.Memento }).state;
		if (!wrapped.has(state)) {
			wrapped.add(state);
			const update = state.update.bind(state);
			state.update = async (key: string, value: unknown) => {
				const started = performance.now();
				try {
					await update(key, value);
				} finally {
					stateMs += performance.now() - started;
				}
			};
		}
		const started = performance.now();
		const stateBefore = stateMs;
		const result = await writeFile.call(this, conversation);
		const ended = performance.now();
		const waitMs = ended - (asked.get(conversation) ?? started);
		write({ event: 'save', ms: ended - started, stateMs: stateMs - stateBefore, turns: conversation.turns.length, written: result.written, fileBytes: result.fileBytes, append: result.append, waitMs });
		return result;
	};
}

/**
 * Per turn: its first text delta in (from the agent loop) and out (posted to the panel), its approval cards in; and
 * for where a long turn's time goes, each step's start and first text, each call's approval arriving, the turn's end.
 */
function stampTurns(write: (record: Record<string, unknown>) => void): void {
	const firstDelta = new WeakSet<ChatTurn>();
	const firstPost = new WeakSet<ChatTurn>();
	const stepText = new WeakSet<ChatTurn>();
	const approved = new Set<string>();
	const { onEvent, flush, dispose } = ChatTurn.prototype;
	ChatTurn.prototype.onEvent = function stamped(this: ChatTurn, event) {
		if (event.type === 'text-delta' && !firstDelta.has(this)) {
			firstDelta.add(this);
			write({ event: 'first-delta', turnId: this.turnId });
		} else if (event.type === 'call-update' && event.call.state === 'awaiting-approval') {
			write({ event: 'awaiting-approval', turnId: this.turnId });
		} else if (event.type === 'call-update' && event.call.state === 'running' && !approved.has(event.call.callId)) {
			approved.add(event.call.callId);
			write({ event: 'call-running', turnId: this.turnId });
		} else if (event.type === 'step-start') {
			stepText.add(this);
			write({ event: 'step-start', turnId: this.turnId, step: event.step });
		}
		if (event.type === 'text-delta' && stepText.has(this)) {
			stepText.delete(this);
			write({ event: 'step-text', turnId: this.turnId });
		}
		onEvent.call(this, event);
	};
	ChatTurn.prototype.flush = function stamped(this: ChatTurn) {
		flush.call(this);
		if (firstDelta.has(this) && !firstPost.has(this)) {
			firstPost.add(this);
			write({ event: 'first-post', turnId: this.turnId });
		}
	};
	ChatTurn.prototype.dispose = function stamped(this: ChatTurn) {
		dispose.call(this);
		approved.clear();
		write({ event: 'turn-done', turnId: this.turnId });
	};
}

/**
 * When the host's loop was blocked: a 5 ms timer that notes each late run (over 20 ms late) with the time it was
 * due, so a stall can be put beside the turn's stamps (the delay histogram says how long, not when).
 */
function stallLog(): { start(): void; stop(): Array<{ at: number; ms: number }> } {
	const everyMs = 5;
	let timer: ReturnType<typeof setInterval> | undefined;
	let stalls: Array<{ at: number; ms: number }> = [];
	return {
		start() {
			stalls = [];
			let last = now();
			timer = setInterval(() => {
				const at = now();
				const late = at - last - everyMs;
				if (late > 20) stalls.push({ at: last + everyMs, ms: Math.round(late) });
				last = at;
			}, everyMs);
		},
		stop() {
			clearInterval(timer);
			return stalls;
		},
	};
}

/** A session with this host's own inspector (no --inspect or --expose-gc needed). */
async function inspectorSession(): Promise<import('node:inspector/promises').Session> {
	const { Session } = await import('node:inspector/promises');
	const session = new Session();
	session.connect();
	return session;
}

/** The inspector's sampling profiler in this host; each stop writes host-<seq>.cpuprofile (for DevTools) to `dir`. */
function cpuProfiler(dir: string): { start(): Promise<void>; stop(seq: number): Promise<string> } {
	let session: import('node:inspector/promises').Session | undefined;
	return {
		async start() {
			session = await inspectorSession();
			await session.post('Profiler.enable');
			await session.post('Profiler.setSamplingInterval', { interval: 500 });
			await session.post('Profiler.start');
		},
		async stop(seq) {
			if (!session) throw new Error('the profiler was not started');
			const { profile } = await session.post('Profiler.stop');
			session.disconnect();
			session = undefined;
			const file = path.join(dir, `host-${seq}.cpuprofile`);
			await fs.promises.writeFile(file, JSON.stringify(profile));
			return file;
		},
	};
}

/** The host's used heap after a full collection. */
async function heapAfterGc(): Promise<{ heapUsedMb: number; rssMb: number }> {
	const session = await inspectorSession();
	try {
		await session.post('HeapProfiler.collectGarbage');
	} finally {
		session.disconnect();
	}
	const { heapUsed, rss } = process.memoryUsage();
	return { heapUsedMb: heapUsed / 1e6, rssMb: rss / 1e6 };
}
