import * as assert from 'node:assert/strict';
import { spawn, type SpawnOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { killProcessTree, treeSpawnOptions, type ProcessTreeHost } from '../../../src/platform/processTree';

interface Spawned {
	file: string;
	args: readonly string[];
	options: SpawnOptions;
	process: EventEmitter;
}

/** A host for `platform` that records what would be run or signalled instead of doing it. */
function recordingHost(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}): ProcessTreeHost & { spawned: Spawned[]; signalled: Array<[number, NodeJS.Signals]> } {
	const spawned: Spawned[] = [];
	const signalled: Array<[number, NodeJS.Signals]> = [];
	return {
		platform,
		env,
		spawned,
		signalled,
		kill: (pid, signal) => void signalled.push([pid, signal]),
		spawn: (file, args, options) => {
			const process = new EventEmitter();
			spawned.push({ file, args, options, process });
			return process;
		},
	};
}

function fakeChild(pid: number | undefined): { pid: number | undefined; killed: NodeJS.Signals[]; kill(signal?: NodeJS.Signals | number): boolean } {
	const killed: NodeJS.Signals[] = [];
	return { pid, killed, kill: (signal) => (killed.push(signal as NodeJS.Signals), true) };
}

describe('killProcessTree', () => {
	it('on Windows runs System32\'s taskkill /T /F for the pid, whatever the signal, with no window', () => {
		for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
			const host = recordingHost('win32', { SystemRoot: 'D:\\Win' });
			const child = fakeChild(4242);
			killProcessTree(child, signal, host);
			assert.equal(host.spawned.length, 1);
			assert.equal(host.spawned[0].file, 'D:\\Win\\System32\\taskkill.exe');
			assert.deepEqual(host.spawned[0].args, ['/T', '/F', '/PID', '4242']);
			assert.equal(host.spawned[0].options.windowsHide, true);
			assert.deepEqual(host.signalled, [], 'no POSIX group signal on Windows');
			assert.deepEqual(child.killed, [], 'the tree kill, not only the direct child');
		}
	});

	it('on Windows falls back to ending the direct child when taskkill cannot start', () => {
		const host = recordingHost('win32');
		const child = fakeChild(7);
		killProcessTree(child, 'SIGKILL', host);
		assert.equal(host.spawned[0].file, 'C:\\Windows\\System32\\taskkill.exe');
		host.spawned[0].process.emit('error', Object.assign(new Error('spawn taskkill.exe ENOENT'), { code: 'ENOENT' }));
		assert.deepEqual(child.killed, ['SIGKILL']);
	});

	it('on POSIX signals the whole process group, and the child alone when there is no group', () => {
		const host = recordingHost('linux');
		const child = fakeChild(900);
		killProcessTree(child, 'SIGTERM', host);
		assert.deepEqual(host.signalled, [[-900, 'SIGTERM']]);
		assert.deepEqual(child.killed, []);
		const noGroup = { ...recordingHost('darwin'), kill: () => { throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' }); } };
		const orphan = fakeChild(901);
		killProcessTree(orphan, 'SIGKILL', noGroup);
		assert.deepEqual(orphan.killed, ['SIGKILL']);
	});

	it('spawns detached (a process group) on POSIX only: on Windows that would open a console window', () => {
		assert.deepEqual(treeSpawnOptions({ platform: 'linux' }), { detached: true, windowsHide: true });
		assert.deepEqual(treeSpawnOptions({ platform: 'win32' }), { detached: false, windowsHide: true });
	});

	it('really ends a shell and the sleeping command it started (this machine)', async function () {
		if (process.platform === 'win32') this.skip();
		this.timeout(10_000);
		const shell = spawn('sh', ['-c', 'sleep 30 & echo $!; wait'], { ...treeSpawnOptions(), stdio: ['ignore', 'pipe', 'ignore'] });
		const grandchild = Number(await new Promise<string>((resolve) => shell.stdout.once('data', (data: Buffer) => resolve(data.toString().trim()))));
		const closed = new Promise((resolve) => shell.once('close', resolve));
		killProcessTree(shell, 'SIGKILL');
		await closed;
		// A killed orphan stays a zombie until PID 1 reaps it (a container's init may never do): that is not running.
		const alive = (pid: number): boolean => {
			try {
				process.kill(pid, 0);
			} catch {
				return false;
			}
			const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
			return !/^\d+ \(.*\) Z /.test(stat);
		};
		for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((resolve) => setTimeout(resolve, 20));
		assert.equal(alive(grandchild), false, `sleep (pid ${grandchild}) outlived the kill`);
	});
});
