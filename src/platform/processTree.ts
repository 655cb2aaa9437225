// Ending a command together with everything it started. A shell or task runner is rarely the process doing the
// work, so killing only the direct child leaves the real command running.
// - POSIX: the child is spawned `detached` (its own process group, see spawnOptions) and the signal goes to the
//   whole group (`kill(-pid)`).
// - Windows has no process groups or POSIX signals: `taskkill /T /F /PID <pid>` ends the process, forcibly, with
//   every process it started (/T and /F in learn.microsoft.com/windows-server/administration/windows-commands/taskkill).
//   taskkill.exe is taken from System32, not PATH, so a workspace cannot put its own in the way.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as path from 'node:path';

/** What the tree kill needs from the machine; injected in tests to exercise the Windows branch anywhere. */
export interface ProcessTreeHost {
	platform: NodeJS.Platform;
	/** Signals a process or, with a negative pid, a POSIX process group. */
	kill(pid: number, signal: NodeJS.Signals): void;
	spawn(file: string, args: readonly string[], options: SpawnOptions): { on(event: 'error', listener: (error: Error) => void): unknown };
	env: NodeJS.ProcessEnv;
}

const nodeHost: ProcessTreeHost = {
	platform: process.platform,
	kill: (pid, signal) => process.kill(pid, signal),
	spawn: (file, args, options) => spawn(file, args, options),
	env: process.env,
};

type Killable = Pick<ChildProcess, 'pid' | 'kill'>;

/** Extra spawn options so that killProcessTree reaches the whole tree: a process group of its own on POSIX. */
export function treeSpawnOptions(host: Pick<ProcessTreeHost, 'platform'> = nodeHost): { detached: boolean; windowsHide: boolean } {
	// On Windows `detached` would open a new console window instead; taskkill /T walks the tree without it.
	return { detached: host.platform !== 'win32', windowsHide: true };
}

/**
 * Sends `signal` to `child` and all its descendants. On Windows every signal is a forced end (taskkill /F): there is
 * no gentle stop to ask a console process for. Never throws: a tree that is already gone is not an error.
 */
export function killProcessTree(child: Killable, signal: NodeJS.Signals, host: ProcessTreeHost = nodeHost): void {
	const direct = (): void => {
		try {
			child.kill(signal);
		} catch {
			// Already gone.
		}
	};
	if (child.pid === undefined) return direct();
	if (host.platform !== 'win32') {
		try {
			host.kill(-child.pid, signal);
		} catch {
			// The group is gone (or was never made): the child itself may still be there.
			direct();
		}
		return;
	}
	const systemRoot = host.env.SystemRoot ?? host.env.SYSTEMROOT ?? 'C:\\Windows';
	const taskkill = path.win32.join(systemRoot, 'System32', 'taskkill.exe');
	try {
		const killer = host.spawn(taskkill, ['/T', '/F', '/PID', String(child.pid)], { stdio: 'ignore', windowsHide: true });
		// No taskkill (a stripped-down image): at least the direct child ends.
		killer.on('error', direct);
	} catch {
		direct();
	}
}
