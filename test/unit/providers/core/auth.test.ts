// Credential sources, with real shell commands for the token command.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandToken, credentialsFor, noAuth, staticKey } from '../../../../src/providers/auth';
import { ProviderError } from '../../../../src/providers/types';

const signal = new AbortController().signal;

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof ProviderError);
		return error;
	}
	throw new Error('expected a rejection');
}

describe('staticKey and noAuth', () => {
	it('staticKey trims the stored key, treats blank as no key, and cannot be refreshed', async () => {
		assert.equal(await staticKey(async () => '  sk-abc \n').get(signal), 'sk-abc');
		assert.equal(await staticKey(async () => '   ').get(signal), undefined);
		assert.equal(await staticKey(async () => undefined).get(signal), undefined);
		assert.equal(staticKey(async () => 'k').invalidate(), false);
	});

	it('noAuth sends nothing', async () => {
		assert.equal(await noAuth().get(signal), undefined);
		assert.equal(noAuth().invalidate(), false);
	});
});

describe('commandToken', () => {
	let dir: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-auth-'));
		fs.writeFileSync(path.join(dir, 'count'), '0');
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
	const counter = `n=$(( $(cat count) + 1 )); echo $n > count; printf '  token-%s\\n\\n' "$n"`;
	const runs = () => Number(fs.readFileSync(path.join(dir, 'count'), 'utf8').trim());

	it('runs the command once, trims its output and reuses the token while it is fresh', async () => {
		const source = commandToken(counter, { cwd: dir });
		assert.equal(await source.get(signal), 'token-1');
		assert.equal(await source.get(signal), 'token-1');
		assert.equal(runs(), 1);
	});

	it('shares one run between concurrent requests', async () => {
		const source = commandToken(`sleep 0.1; ${counter}`, { cwd: dir });
		const tokens = await Promise.all([source.get(signal), source.get(signal), source.get(signal)]);
		assert.deepEqual(tokens, ['token-1', 'token-1', 'token-1']);
		assert.equal(runs(), 1);
	});

	it('runs it again once the ttl has passed', async () => {
		const source = commandToken(counter, { cwd: dir, ttlMs: 30 });
		assert.equal(await source.get(signal), 'token-1');
		await new Promise((resolve) => setTimeout(resolve, 50));
		assert.equal(await source.get(signal), 'token-2');
	});

	it('invalidate() clears the cache and says true once per fetched token', async () => {
		const source = commandToken(counter, { cwd: dir });
		assert.equal(source.invalidate(), false, 'nothing fetched yet');
		await source.get(signal);
		assert.equal(source.invalidate(), true);
		assert.equal(source.invalidate(), false, 'second call without a new token');
		assert.equal(await source.get(signal), 'token-2');
		assert.equal(source.invalidate(), true);
	});

	it('a failing command is an auth error naming the command and its stderr, and is not cached', async () => {
		const command = `echo "ya29.secret-token-output"; echo "ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected." >&2; exit 1`;
		const source = commandToken(command, { cwd: dir });
		const error = await rejection(source.get(signal));
		assert.equal(error.kind, 'auth');
		assert.ok(error.message.includes(command));
		assert.match(error.message, /exit code 1/);
		assert.match(error.message, /You do not currently have an active account selected/);
		assert.doesNotMatch(error.message.replace(command, ''), /secret-token-output/);
		await rejection(source.get(signal));
	});

	it('a command that prints nothing is an auth error', async () => {
		const error = await rejection(commandToken('true', { cwd: dir }).get(signal));
		assert.equal(error.kind, 'auth');
		assert.match(error.message, /printed no token/);
	});

	it('a command that hangs is killed after timeoutMs', async () => {
		const started = Date.now();
		const error = await rejection(commandToken('sleep 5', { cwd: dir, timeoutMs: 100 }).get(signal));
		assert.equal(error.kind, 'auth');
		assert.match(error.message, /did not finish/);
		assert.ok(Date.now() - started < 3000);
	});

	it('a command that hangs is killed with what it started (the shell\'s children too)', async function () {
		if (process.platform === 'win32') this.skip(); // the Windows branch (taskkill /T) is tested in processTree.test.ts
		const pidFile = path.join(dir, 'child.pid');
		await rejection(commandToken(`sleep 30 & echo $! > '${pidFile}'; wait`, { cwd: dir, timeoutMs: 300 }).get(signal));
		const pid = Number(fs.readFileSync(pidFile, 'utf8'));
		// A killed process that nobody has reaped yet is a zombie: gone, though signal 0 still reaches it.
		const alive = (): boolean => {
			try {
				process.kill(pid, 0);
			} catch {
				return false;
			}
			const status = fs.existsSync(`/proc/${pid}/status`) ? fs.readFileSync(`/proc/${pid}/status`, 'utf8') : '';
			return !/^State:\s+Z/m.test(status);
		};
		for (let waited = 0; alive() && waited < 2000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
		assert.equal(alive(), false, 'the sleep the command started is still running');
	});

	it('an aborted request stops waiting for the command', async () => {
		const controller = new AbortController();
		const pending = commandToken(`sleep 0.3; ${counter}`, { cwd: dir }).get(controller.signal);
		controller.abort();
		assert.equal((await rejection(pending)).kind, 'aborted');
	});
});

describe('credentialsFor', () => {
	it('builds the source an AuthConfig describes', async () => {
		assert.equal(await credentialsFor({ type: 'apiKey' }, async () => 'sk-1').get(signal), 'sk-1');
		assert.equal(await credentialsFor({ type: 'none' }, async () => 'sk-1').get(signal), undefined);
		assert.equal(await credentialsFor({ type: 'command', command: 'echo tok' }, async () => 'sk-1').get(signal), 'tok');
	});
});
