// A measuring probe for bench/e2e, off unless SWITCHBOARD_BENCH_PROBE names a folder (the bench sets it for the
// code-server it starts; nothing else does). Then the extension host answers the bench's requests, dropped as
// command.json in that folder, with figures only the host can see, appended to probe.jsonl there: its event-loop
// delay (perf_hooks.monitorEventLoopDelay) over a window, its heap after a full collection, how long each chat
// save took, and when a turn's first text delta and first tool card reached the host and left it for the panel.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type * as vscode from 'vscode';
import { ChatTurn } from './chat/chatTurn';
import { HistoryStore } from './conversation/historyStore';

interface Command {
	seq: number;
	cmd: 'loop-start' | 'loop-stop' | 'heap';
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
			write({ seq: command.seq });
		} else if (command.cmd === 'loop-stop') {
			loop.disable();
			const ms = (ns: number): number => ns / 1e6;
			write({ seq: command.seq, p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max), mean: ms(loop.mean), samples: loop.count });
		} else if (command.cmd === 'heap') {
			void heapAfterGc().then((heap) => write({ seq: command.seq, ...heap }), (error: unknown) => write({ seq: command.seq, error: String(error) }));
		}
	};
	// The bench renames the file into place, so a read never sees half of it.
	fs.watch(dir, (_event, file) => {
		if (file === 'command.json') onCommand();
	}).unref();
	write({ ready: true, pid: process.pid });
}

/**
 * Every HistoryStore save, timed from the call to its write being done (queue wait included, as a caller waits),
 * with the part spent in workspaceState.update (the index; a round trip to the workbench) and the JSON's size.
 */
function timeSaves(write: (record: Record<string, unknown>) => void): void {
	const save = HistoryStore.prototype.save;
	const wrapped = new WeakSet<vscode.Memento>();
	let stateMs = 0;
	HistoryStore.prototype.save = function timed(this: HistoryStore, conversation) {
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
		const saved = save.call(this, conversation);
		void saved.then(() => write({ event: 'save', ms: performance.now() - started, stateMs: stateMs - stateBefore, turns: conversation.turns.length }), () => undefined);
		return saved;
	};
}

/** Per turn: its first text delta in (from the agent loop) and out (posted to the panel), its approval cards in. */
function stampTurns(write: (record: Record<string, unknown>) => void): void {
	const firstDelta = new WeakSet<ChatTurn>();
	const firstPost = new WeakSet<ChatTurn>();
	const { onEvent, flush } = ChatTurn.prototype;
	ChatTurn.prototype.onEvent = function stamped(this: ChatTurn, event) {
		if (event.type === 'text-delta' && !firstDelta.has(this)) {
			firstDelta.add(this);
			write({ event: 'first-delta', turnId: this.turnId });
		} else if (event.type === 'call-update' && event.call.state === 'awaiting-approval') {
			write({ event: 'awaiting-approval', turnId: this.turnId });
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
}

/** The host's used heap after a full collection, through the in-process inspector (no --expose-gc needed). */
async function heapAfterGc(): Promise<{ heapUsedMb: number; rssMb: number }> {
	const inspector = await import('node:inspector');
	const session = new inspector.Session();
	session.connect();
	try {
		await new Promise<void>((resolve, reject) => session.post('HeapProfiler.collectGarbage', (error) => (error ? reject(error) : resolve())));
	} finally {
		session.disconnect();
	}
	const { heapUsed, rss } = process.memoryUsage();
	return { heapUsedMb: heapUsed / 1e6, rssMb: rss / 1e6 };
}
