// read_file on a 200 MB file: time and peak memory until the capped result, next to the same on a 2 MB file.
// Each read runs in a fresh child process, so its peak RSS (getrusage maxrss) is its own and not the parent's.
// Run: node -r ./test/support/register.cjs bench/readHuge.ts
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeWorkspace } from '../src/tools/nodeWorkspace';
import { readFileTool } from '../src/tools/readFile';
import { fixed, median, writeRows } from './lib/report';

const mb = 1024 * 1024;
/** Peak growth allowed for "constant memory": a few buffers of the 100 KB cap / 4 MB range scan, not the file. */
const constantMemoryMb = 32;

interface ChildReport {
	ms: number;
	peakDeltaMb: number;
	resultChars: number;
}

/** In the child: one warm-up read of a tiny file (loads the code), then the measured reads. */
async function child(file: string, ranged: boolean): Promise<void> {
	const workspace = new NodeWorkspace([path.dirname(file)], { ripgrepPath: null });
	const context = { workspace, signal: new AbortController().signal };
	const tiny = path.join(path.dirname(file), 'tiny.txt');
	await readFileTool.invoke({ path: tiny }, context);
	const baselineKb = process.resourceUsage().maxRSS;
	const times: number[] = [];
	let resultChars = 0;
	for (let run = 0; run < 5; run++) {
		const started = performance.now();
		const input = ranged ? { path: path.basename(file), startLine: 10_000, endLine: 10_100 } : { path: path.basename(file) };
		const output = await readFileTool.invoke(input, context);
		times.push(performance.now() - started);
		if (output.type !== 'text') throw new Error(`read_file answered ${output.type}: ${JSON.stringify(output)}`);
		resultChars = output.value.length;
	}
	const report: ChildReport = { ms: median(times), peakDeltaMb: (process.resourceUsage().maxRSS - baselineKb) / 1024, resultChars };
	process.stdout.write(JSON.stringify(report));
}

function writeTextFile(file: string, bytes: number): void {
	if (fs.existsSync(file) && fs.statSync(file).size === bytes) return;
	const line = 'export const value = "a line of ordinary source text, repeated to fill a very large file";\n';
	const block = Buffer.from(line.repeat(Math.ceil(mb / line.length))).subarray(0, mb);
	const handle = fs.openSync(file, 'w');
	try {
		for (let written = 0; written < bytes; written += mb) fs.writeSync(handle, block, 0, Math.min(mb, bytes - written));
	} finally {
		fs.closeSync(handle);
	}
}

function measure(file: string, ranged: boolean): ChildReport {
	const out = execFileSync(process.execPath, ['-r', path.resolve(__dirname, '../test/support/register.cjs'), __filename, 'child', file, ranged ? 'ranged' : 'head'], { encoding: 'utf8' });
	return JSON.parse(out) as ChildReport;
}

function parent(): void {
	const dir = path.join(os.tmpdir(), 'switchboard-bench-read');
	fs.mkdirSync(dir, { recursive: true });
	const huge = path.join(dir, 'huge-200mb.txt');
	const small = path.join(dir, 'small-2mb.txt');
	writeTextFile(huge, 200 * mb);
	writeTextFile(small, 2 * mb);
	fs.writeFileSync(path.join(dir, 'tiny.txt'), 'tiny\n');
	const hugeHead = measure(huge, false);
	const smallHead = measure(small, false);
	const hugeRange = measure(huge, true);
	const smallRange = measure(small, true);
	const worst = Math.max(hugeHead.peakDeltaMb, hugeRange.peakDeltaMb);
	writeRows([
		{
			id: 'read-huge-file',
			measure: 'read tool on a 200 MB file: time and peak RSS growth (2 MB file alongside)',
			figure: `${fixed(hugeHead.ms, 1)} ms, +${fixed(hugeHead.peakDeltaMb, 1)} MB (2 MB file: ${fixed(smallHead.ms, 1)} ms, +${fixed(smallHead.peakDeltaMb, 1)} MB)`,
			budget: `constant memory (peak growth < ${constantMemoryMb} MB, independent of file size)`,
			holds: worst < constantMemoryMb,
			data: { hugeHead, smallHead, hugeRange, smallRange },
		},
		{
			id: 'read-huge-file-range',
			measure: '  read tool, line range 10,000–10,100 (scans ≤ 4 MB)',
			figure: `${fixed(hugeRange.ms, 1)} ms, +${fixed(hugeRange.peakDeltaMb, 1)} MB (2 MB file: ${fixed(smallRange.ms, 1)} ms, +${fixed(smallRange.peakDeltaMb, 1)} MB)`,
			budget: `peak growth < ${constantMemoryMb} MB`,
			holds: hugeRange.peakDeltaMb < constantMemoryMb,
		},
	]);
}

if (process.argv[2] === 'child') {
	child(process.argv[3], process.argv[4] === 'ranged').catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
} else {
	parent();
}
