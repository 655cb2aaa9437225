// Stops a model that keeps making the same call: the same tool with the same arguments (key order ignored)
// in `limit` consecutive steps.
import { canonicalJson } from '../tools/schema';

export class RepeatDetector {
	private streaks = new Map<string, number>();

	constructor(private readonly limit = 3) {}

	/** Records one step's calls; returns the tool name of a call that has now been made `limit` times in a row. */
	record(calls: ReadonlyArray<{ toolName: string; input: unknown }>): string | undefined {
		const next = new Map<string, number>();
		let repeated: string | undefined;
		for (const call of calls) {
			const key = `${call.toolName}\u0000${canonicalJson(call.input)}`;
			if (next.has(key)) continue;
			const streak = (this.streaks.get(key) ?? 0) + 1;
			next.set(key, streak);
			if (streak >= this.limit) repeated ??= call.toolName;
		}
		this.streaks = next;
		return repeated;
	}
}
