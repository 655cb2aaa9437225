// Each reliability suite prints what it tried and what held, as counts, so a run states its own coverage.

export class Tally {
	private tried = 0;
	private held = 0;
	private readonly failures: string[] = [];

	constructor(private readonly label: string, private readonly shape: () => string = () => '') {}

	/** Runs one check; it counts as held only when it returns without throwing. */
	async check(name: string, body: () => unknown): Promise<void> {
		this.tried++;
		try {
			await body();
			this.held++;
		} catch (error) {
			this.failures.push(name);
			throw error;
		}
	}

	/** For checks counted in bulk (fuzzers). */
	add(tried: number, held: number): void {
		this.tried += tried;
		this.held += held;
	}

	print(extra = ''): void {
		const shape = this.shape();
		const failed = this.failures.length > 0 ? `; did not hold: ${this.failures.join(', ')}` : '';
		console.log(`      ${this.label}: ${shape ? `${shape}, ` : ''}${this.tried} tried, ${this.held} held${extra ? `, ${extra}` : ''}${failed}`);
	}
}

/** Counts rejections nobody handled while a suite runs. */
export function unhandledRejections(): { readonly count: number; dispose(): void } {
	let count = 0;
	const listener = (): void => {
		count++;
	};
	process.on('unhandledRejection', listener);
	return {
		get count() {
			return count;
		},
		dispose: () => process.off('unhandledRejection', listener),
	};
}
