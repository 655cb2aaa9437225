/* global performance */
// The long session of the end-to-end bench, and the rows (measure | figure | budget | holds?) of all its figures.
import { copyFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export const budgets = { ttftP50: 16, ttftP95: 50, tokensPerSecond: 5_000, longTaskMs: 50, hostLoopP99: 20, toolCardP50: 30, heapGrowthMb: 20, saveMs: 50 };
const every = 20;
/**
 * BENCH_LONG_SNAPSHOTS=20,100: a heap snapshot of the extension host after those turns, copied to
 * BENCH_SNAPSHOT_DIR (default: the temp folder) before the probe's folder goes, to compare what each retains.
 */
const snapshotTurns = new Set((process.env.BENCH_LONG_SNAPSHOTS ?? '').split(',').filter(Boolean).map(Number));

export function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const rank = (p / 100) * (sorted.length - 1);
	const low = Math.floor(rank);
	return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (rank - low);
}
const median = (values) => percentile(values, 50);
const n0 = (value) => Math.round(value).toLocaleString('en');
const ms1 = (value) => `${value.toFixed(1)} ms`;
const labels = { hostIn: 'into the host', batch: 'host text batch', toPanel: 'host → panel', render: 'panel render to painted' };
/** Medians of each part of a latency, over the samples that have the breakdown. */
function breakdown(samples) {
	const withParts = samples.filter((sample) => sample.parts);
	if (withParts.length === 0) return { text: '', parts: undefined };
	const parts = Object.fromEntries(Object.keys(withParts[0].parts).map((key) => [key, median(withParts.map((sample) => sample.parts[key]))]));
	return { parts, text: `; median parts: ${Object.entries(parts).map(([key, value]) => `${labels[key]} ${ms1(value)}`).join(', ')}` };
}

/**
 * Where the host saw the turns since `from` spend their time (medians, from the probe's stamps): the card waiting
 * for its Approve click (the panel's part), the tool run and the answer's request until its first text, the answer
 * streamed through the host until the turn ended.
 */
function phasesText(records, from) {
	const byTurn = new Map();
	for (const record of records) {
		if (record.at < from || !record.turnId || !record.event) continue;
		const stamps = byTurn.get(record.turnId) ?? byTurn.set(record.turnId, {}).get(record.turnId);
		if (record.event === 'step-text') stamps.stepText = record.at;
		else stamps[record.event] ??= record.at;
	}
	const spans = (a, b) => median([...byTurn.values()].filter((stamps) => stamps[a] && stamps[b]).map((stamps) => stamps[b] - stamps[a]));
	return `; host: card → approved ${spans('awaiting-approval', 'call-running').toFixed(0)} ms, approved → answer's first text ${spans('call-running', 'stepText').toFixed(0)} ms, → turn end ${spans('stepText', 'turn-done').toFixed(0)} ms`;
}

/**
 * `count` turns in one chat, each a read_file call (approved in the card) and a 1,000-token answer. Every 20 turns:
 * the host's heap after a full collection (the probe), the panel's JS heap after a collection and its DOM nodes.
 * Save times come from the probe's log, one entry per save with the chat's length, so each is placed in its turn.
 */
export async function longSession(run, probe, metrics, count, log) {
	const cards = [];
	const turnMs = [];
	const samples = [];
	let windowStart = performance.timeOrigin + performance.now();
	for (let turn = 1; turn <= count; turn++) {
		const started = performance.now();
		cards.push((await run.tool(`long ${turn}`)).ms);
		turnMs.push(performance.now() - started);
		if (turn % every === 0) {
			const host = await probe.send('heap');
			const panel = await metrics.sample();
			samples.push({ turn, hostHeapMb: host.heapUsedMb, hostRssMb: host.rssMb, ...panel });
			const saves = probe.records().filter((record) => record.event === 'save' && Math.ceil(record.turns / 2) > turn - every);
			const saveText = saves.length > 0 ? `; its ${saves.length} saves median ${median(saves.map((save) => save.ms)).toFixed(1)} ms, max ${Math.max(...saves.map((save) => save.ms)).toFixed(1)} ms, ${saves.filter((save) => save.append).length} appends, file ${(saves.at(-1).fileBytes / 1e6).toFixed(2)} MB` : '';
			log(`long session, turn ${turn}: ${JSON.stringify(samples.at(-1))}; turns ${turn - every + 1}-${turn} median ${median(turnMs.slice(-every)).toFixed(0)} ms${saveText}${phasesText(probe.records(), windowStart)}`);
			windowStart = performance.timeOrigin + performance.now();
		}
		if (snapshotTurns.has(turn)) {
			const taken = await probe.send('snapshot', 300_000);
			if (taken.error) throw new Error(`heap snapshot at turn ${turn}: ${taken.error}`);
			const kept = join(process.env.BENCH_SNAPSHOT_DIR ?? os.tmpdir(), `switchboard-host-turn${turn}.heapsnapshot`);
			copyFileSync(taken.file, kept);
			log(`heap snapshot at turn ${turn} (${taken.heapUsedMb.toFixed(1)} MB used): ${kept}`);
		}
	}
	// Saves during the session, placed in their turn by the chat's length then (each turn adds a user and an
	// assistant view to the new chat), the slowest of each turn's saves standing for that turn.
	const saves = probe.records().filter((record) => record.event === 'save');
	const byTurn = new Map();
	for (const save of saves) {
		const turn = Math.ceil(save.turns / 2);
		if ((byTurn.get(turn)?.ms ?? -1) < save.ms) byTurn.set(turn, save);
	}
	const turnsSaved = [...byTurn.keys()].sort((a, b) => a - b).slice(-count);
	const savePerTurn = turnsSaved.map((turn) => byTurn.get(turn).ms);
	const saveStatePerTurn = turnsSaved.map((turn) => byTurn.get(turn).stateMs ?? NaN);
	// What the caller waited (queue included) and the file's size, for the growth columns.
	const saveWaitPerTurn = turnsSaved.map((turn) => byTurn.get(turn).waitMs ?? NaN);
	const fileBytes = saves.at(-1)?.fileBytes;
	return { count, cards, turnMs, samples, savePerTurn, saveStatePerTurn, saveWaitPerTurn, fileBytes, saves: saves.length, appended: saves.filter((save) => save.append).length };
}

export function reportRows({ ttft, streaming, toolCard, long, extensionDir, requestBytes, metricsScope }) {
	const rows = [];
	const where = extensionDir.includes('shipped') ? 'packaged extension' : 'checkout\'s extension';
	const ttftMs = ttft.map((sample) => sample.ms);
	const ttftP50 = median(ttftMs);
	const ttftP95 = percentile(ttftMs, 95);
	const ttftParts = breakdown(ttft);
	rows.push({
		id: 'e2e-ttft',
		measure: `end to end: time to first token, server's first content byte → painted in the panel (code-server + Chromium, ${where}; ${ttft.length} turns)`,
		figure: `p50 ${ms1(ttftP50)}, p95 ${ms1(ttftP95)} (min ${ms1(Math.min(...ttftMs))}, max ${ms1(Math.max(...ttftMs))})${ttftParts.text}`,
		budget: `p50 ≤ ${budgets.ttftP50} ms, p95 ≤ ${budgets.ttftP95} ms`,
		holds: ttftP50 <= budgets.ttftP50 && ttftP95 <= budgets.ttftP95,
		data: { samplesMs: ttftMs, medianParts: ttftParts.parts, samples: ttft },
	});
	const holdsStream = (entry) => entry.tokensPerSecond >= budgets.tokensPerSecond && entry.longestTaskMs <= budgets.longTaskMs && entry.hostLoop.p99 <= budgets.hostLoopP99;
	const main = streaming[20_000];
	rows.push({
		id: 'e2e-streaming',
		measure: `end to end: a ${n0(main.tokens)}-token answer (30 code blocks) through the extension host into the panel, one SSE chunk per token written at once`,
		figure: `${n0(main.tokensPerSecond)} tokens/s painted from the first token (first painted ${ms1(main.firstPaintMs)} after the server's first byte; ${n0(main.wholeTokensPerSecond)}/s over the whole answer); longest panel task ${main.longestTaskMs.toFixed(0)} ms (${main.longTasks} > 50 ms); host event-loop delay p99 ${ms1(main.hostLoop.p99)} (max ${ms1(main.hostLoop.max)})`,
		budget: `≥ ${n0(budgets.tokensPerSecond)} tokens/s; no task > ${budgets.longTaskMs} ms; host loop p99 ≤ ${budgets.hostLoopP99} ms`,
		holds: holdsStream(main),
		data: main,
	});
	const smaller = Object.keys(streaming).map(Number).filter((size) => size !== 20_000);
	rows.push({
		id: 'e2e-streaming-growth',
		measure: `  growth: end to end at ${smaller.map((size) => `${size / 1000}k`).join(' / ')} tokens (tokens/s from the first token painted; longest panel task; host loop p99)`,
		figure: smaller.map((size) => `${n0(streaming[size].tokensPerSecond)}/s; ${streaming[size].longestTaskMs.toFixed(0)} ms; ${ms1(streaming[size].hostLoop.p99)}`).join(' | '),
		budget: `≥ ${n0(budgets.tokensPerSecond)} tokens/s; no task > ${budgets.longTaskMs} ms; p99 ≤ ${budgets.hostLoopP99} ms`,
		holds: smaller.every((size) => holdsStream(streaming[size])),
		data: streaming,
	});
	const cardMs = toolCard.map((sample) => sample.ms);
	const cardP50 = median(cardMs);
	const cardParts = breakdown(toolCard);
	rows.push({
		id: 'e2e-tool-card',
		measure: `end to end: tool call → Approve clickable, from the last byte of the call written to the button painted and enabled (${toolCard.length} turns)`,
		figure: `p50 ${ms1(cardP50)}, p95 ${ms1(percentile(cardMs, 95))}${cardParts.text}`,
		budget: `p50 ≤ ${budgets.toolCardP50} ms`,
		holds: cardP50 <= budgets.toolCardP50,
		data: { samplesMs: cardMs, medianParts: cardParts.parts, samples: toolCard },
	});
	const first = long.samples.find((sample) => sample.turn === every);
	const last = long.samples.at(-1);
	const growthMb = last.hostHeapMb - first.hostHeapMb;
	const lastSaves = long.savePerTurn.slice(-10);
	const saveAtEnd = median(lastSaves);
	const stateAtEnd = median(long.saveStatePerTurn.slice(-10));
	rows.push({
		id: 'e2e-long-session',
		measure: `end to end: a ${long.count}-turn session, each turn a read_file call approved in its card and a 1,000-token answer`,
		figure: `host heap after full GC ${first.hostHeapMb.toFixed(1)} → ${last.hostHeapMb.toFixed(1)} MB from turn ${first.turn} to ${last.turn} (${growthMb >= 0 ? '+' : ''}${growthMb.toFixed(1)} MB); chat save at turns ${long.count - 9}–${long.count} ${ms1(saveAtEnd)} median (${ms1(stateAtEnd)} of it in workspaceState.update), ${ms1(Math.max(...lastSaves))} max (${long.saves} saves, ${long.appended} of them appends; chat file ${((long.fileBytes ?? NaN) / 1e6).toFixed(1)} MB); panel ${last.panelNodes.toLocaleString('en')} DOM nodes, JS heap ${last.jsHeapMb.toFixed(1)} MB (${metricsScope})`,
		budget: `heap growth < ${budgets.heapGrowthMb} MB; save < ${budgets.saveMs} ms at turn ${long.count}; panel reported`,
		holds: growthMb < budgets.heapGrowthMb && saveAtEnd < budgets.saveMs,
		data: { samples: long.samples, savePerTurnMs: long.savePerTurn, saveStatePerTurnMs: long.saveStatePerTurn, saveWaitPerTurnMs: long.saveWaitPerTurn, turnMs: long.turnMs, cardMs: long.cards, lastRequestBytes: requestBytes },
	});
	const perSample = (sample) => {
		const range = long.turnMs.slice(sample.turn - every, sample.turn);
		const saves = long.savePerTurn.slice(sample.turn - every, sample.turn);
		return `${sample.turn}: ${sample.hostHeapMb.toFixed(0)} MB, ${median(saves).toFixed(0)} ms, ${(sample.panelNodes / 1000).toFixed(1)}k, ${sample.jsHeapMb.toFixed(0)} MB, ${median(range).toFixed(0)} ms`;
	};
	rows.push({
		id: 'e2e-long-session-growth',
		measure: '  growth: long session by turn (host heap after GC; chat save; panel DOM nodes; JS heap; turn wall time)',
		figure: long.samples.filter((sample) => sample.turn === every || sample.turn % 60 === 0 || sample === last).map(perSample).join(' | '),
		budget: 'reported',
		holds: null,
		data: { samples: long.samples },
	});
	return rows;
}
