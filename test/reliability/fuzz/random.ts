// A small seeded generator for the fuzzers (mulberry32): every failure names its seed and input number, so it
// reproduces exactly. No dependency: the properties are simple enough to state with a handful of helpers.

export class Random {
	private state: number;

	constructor(readonly seed: number) {
		this.state = seed >>> 0;
	}

	/** A float in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(0, items.length - 1)];
	}

	/** A string of `length` characters drawn from `alphabet` (code points, so surrogates stay paired unless listed alone). */
	string(length: number, alphabet: readonly string[] = defaultAlphabet): string {
		let out = '';
		for (let i = 0; i < length; i++) out += this.pick(alphabet);
		return out;
	}

	/** `text` cut into `count` pieces at random points (some possibly empty). */
	splits<T extends { length: number; slice(start: number, end?: number): T }>(text: T, count: number): T[] {
		const cuts = Array.from({ length: count - 1 }, () => this.int(0, text.length)).sort((a, b) => a - b);
		const pieces: T[] = [];
		let at = 0;
		for (const cut of cuts) {
			pieces.push(text.slice(at, cut));
			at = cut;
		}
		pieces.push(text.slice(at));
		return pieces;
	}
}

export const defaultAlphabet: readonly string[] = [
	...'abcxyzABC019 _-./\\:;,{}[]"\'\n\r\t',
	'\u0000', '\u001f', '\u00e9', '\u4e2d', '\u{1f600}', '\ud800', '\udfff', '\u2028', '\ufeff',
];

/** A random JSON object, as tool arguments are. */
export function randomObject(random: Random, depth = 0): Record<string, unknown> {
	const object: Record<string, unknown> = {};
	for (let i = random.int(0, 4); i > 0; i--) object[random.string(random.int(0, 6))] = randomValue(random, depth + 1);
	return object;
}

/** A random JSON value; strings include control characters, lone surrogates and astral characters. */
export function randomValue(random: Random, depth = 0): unknown {
	switch (random.int(0, depth > 3 ? 3 : 6)) {
		case 0: return random.string(random.int(0, 12));
		case 1: return random.pick([0, -1, 1.5, 1e21, 2 ** 53 + 2, 42]);
		case 2: return random.chance(0.5);
		case 3: return null;
		case 4: return Array.from({ length: random.int(0, 4) }, () => randomValue(random, depth + 1));
		default: return randomObject(random, depth);
	}
}

/** Inputs per fuzz target: SWITCHBOARD_FUZZ_INPUTS (npm run test:adversarial sets 100000), else 2000. */
export function fuzzInputs(): number {
	const fromEnv = Number(process.env.SWITCHBOARD_FUZZ_INPUTS);
	return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 2000;
}

/** The seed of a run: SWITCHBOARD_FUZZ_SEED to replay one, else fixed so CI runs are reproducible. */
export function fuzzSeed(): number {
	const fromEnv = Number(process.env.SWITCHBOARD_FUZZ_SEED);
	return Number.isInteger(fromEnv) ? fromEnv : 20260522;
}

/** Rejects when `promise` takes longer than `ms`: a hang is a failure, not a stuck run. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms (a hang)`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function rate(count: number, startedMs: number): string {
	const seconds = (Date.now() - startedMs) / 1000;
	return `${Math.round(count / Math.max(seconds, 0.001))} inputs/s over ${seconds.toFixed(1)} s`;
}
