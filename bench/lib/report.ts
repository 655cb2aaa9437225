// What every bench script hands back to bench/run.mjs: table rows, written as JSON to $BENCH_OUT.
import * as fs from 'node:fs';

export interface BenchRow {
	/** Stable key in results.json. */
	id: string;
	measure: string;
	figure: string;
	budget: string;
	/** null: no budget for this row (a growth or size report), or it could not run. */
	holds: boolean | null;
	/** The raw numbers behind the figure. */
	data?: Record<string, unknown>;
}

export function writeRows(rows: BenchRow[]): void {
	const out = process.env.BENCH_OUT;
	if (out) fs.writeFileSync(out, JSON.stringify(rows, null, '\t'));
	else console.log(JSON.stringify(rows, null, '\t'));
}

export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs `a` and `b` alternately (ABBA order, so neither always goes first) after one warm-up each, and returns
 * the per-round times in ms. Interleaving cancels the drift of a shared, noisy machine.
 */
export async function interleave(rounds: number, a: () => Promise<void>, b: () => Promise<void>, warmUp = true): Promise<{ a: number[]; b: number[] }> {
	if (warmUp) {
		await a();
		await b();
	}
	const times = { a: [] as number[], b: [] as number[] };
	const timed = async (run: () => Promise<void>, into: number[]): Promise<void> => {
		const started = performance.now();
		await run();
		into.push(performance.now() - started);
	};
	for (let round = 0; round < rounds; round++) {
		if (round % 2 === 0) {
			await timed(a, times.a);
			await timed(b, times.b);
		} else {
			await timed(b, times.b);
			await timed(a, times.a);
		}
	}
	return times;
}

/** The median of the per-round ratios a/b: robust to a round where the whole machine slowed down. */
export function ratioOfMedians(times: { a: number[]; b: number[] }): { ratio: number; a: number; b: number; pairedRatio: number } {
	const paired = times.a.map((value, index) => value / times.b[index]);
	return { ratio: median(times.a) / median(times.b), a: median(times.a), b: median(times.b), pairedRatio: median(paired) };
}

export const fixed = (value: number, digits = 2): string => value.toFixed(digits);
