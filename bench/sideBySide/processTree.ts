// Runs a command as the leader of its own process group under /usr/bin/time (CPU of it and every descendant it
// waited for), and samples the group's summed RSS from /proc every 25 ms (peak memory of the whole tree: some
// agents start helper processes).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TreeResult {
	exitCode: number | null;
	signal: string | null;
	wallMs: number;
	cpuMs: number;
	peakRssMb: number;
	startedAt: number;
	stdout: string;
	stderr: string;
}

const pageBytes = 4096;

/** Summed RSS (bytes) of the processes in process group `group`. */
function groupRss(group: number): number {
	let total = 0;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat: string;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue;
		}
		// Fields after the command name (which may hold spaces): state ppid pgrp ... rss is field 24.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(fields[2]) === group) total += Number(fields[21]) * pageBytes;
	}
	return total;
}

export async function runTree(command: string, args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs: number }): Promise<TreeResult> {
	const timeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-time-')), 'time.txt');
	const startedAt = performance.timeOrigin + performance.now();
	const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, command, ...args], {
		cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
	});
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	child.stdout.on('data', (piece: Buffer) => out.push(piece));
	child.stderr.on('data', (piece: Buffer) => err.push(piece));
	let peak = 0;
	const sampler = setInterval(() => {
		if (child.pid) peak = Math.max(peak, groupRss(child.pid));
	}, 25);
	const killer = setTimeout(() => {
		try {
			if (child.pid) process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}, options.timeoutMs);
	const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (code, sig) => resolve([code, sig])));
	const wallMs = performance.timeOrigin + performance.now() - startedAt;
	clearInterval(sampler);
	clearTimeout(killer);
	// Helpers left running after the leader exited (a background server) are part of the run: end them.
	try {
		if (child.pid) process.kill(-child.pid, 'SIGKILL');
	} catch {
		// none left
	}
	const timed = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) : undefined;
	fs.rmSync(path.dirname(timeFile), { recursive: true, force: true });
	const [, user = NaN, system = NaN, maxKb = 0] = timed ?? [];
	return {
		exitCode, signal, wallMs, startedAt, cpuMs: (user + system) * 1000,
		peakRssMb: Math.max(peak, maxKb * 1024) / 1e6,
		stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'),
	};
}
