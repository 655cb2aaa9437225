// Where the bearer credential comes from: a stored key, nothing (local servers), or a shell command that prints
// a short-lived token (Vertex AI documents `gcloud auth print-access-token`), cached and re-run when the provider says 401.
import { spawn } from 'node:child_process';
import { killProcessTree, treeSpawnOptions } from '../platform/processTree';
import { redactSecrets } from './errors';
import { type AuthConfig, type CredentialSource, ProviderError } from './types';

/** A key from the host's secret store; a 401 cannot be fixed by asking again. */
export function staticKey(getKey: () => Promise<string | undefined>): CredentialSource {
	return {
		get: async () => {
			const key = (await getKey())?.trim();
			return key ? key : undefined;
		},
		invalidate: () => false,
	};
}

/** No Authorization header at all (Ollama and other local servers). */
export function noAuth(): CredentialSource {
	return { get: async () => undefined, invalidate: () => false };
}

export interface CommandTokenOptions {
	/** How long a token is reused; gcloud access tokens live an hour, so 50 minutes leaves a margin. */
	ttlMs?: number;
	cwd?: string;
	/** The command is killed after this long. */
	timeoutMs?: number;
}

const defaultTtlMs = 50 * 60_000;
const defaultCommandTimeoutMs = 30_000;

/** Runs `command` in a shell and uses its trimmed stdout as the bearer token. */
export function commandToken(command: string, options: CommandTokenOptions = {}): CredentialSource {
	const ttlMs = options.ttlMs ?? defaultTtlMs;
	let cached: { token: string; expiresAt: number } | undefined;
	// Concurrent requests share one run of the command.
	let running: Promise<string> | undefined;
	// invalidate() may force a re-run once per fetched token, so a bad command cannot loop.
	let refreshable = false;

	const fetchToken = (): Promise<string> => {
		running ??= runCommand(command, options.cwd, options.timeoutMs ?? defaultCommandTimeoutMs)
			.then((token) => {
				cached = { token, expiresAt: Date.now() + ttlMs };
				refreshable = true;
				return token;
			})
			.finally(() => {
				running = undefined;
			});
		return running;
	};

	return {
		get: (signal) => {
			if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.token);
			return raceAbort(fetchToken(), signal);
		},
		invalidate: () => {
			if (!refreshable) return false;
			refreshable = false;
			cached = undefined;
			return true;
		},
	};
}

/** The CredentialSource an AuthConfig describes. `getKey` reads the stored key for 'apiKey'. */
export function credentialsFor(auth: AuthConfig, getKey: () => Promise<string | undefined>, options: CommandTokenOptions = {}): CredentialSource {
	switch (auth.type) {
		case 'apiKey': return staticKey(getKey);
		case 'none': return noAuth();
		case 'command': return commandToken(auth.command, options);
	}
}

function runCommand(command: string, cwd: string | undefined, timeoutMs: number): Promise<string> {
	return new Promise<string>((resolve, reject) => {
		let settled = false;
		const failed = (why: string, stderr: string) => {
			if (settled) return;
			settled = true;
			const said = redactSecrets(stderr.trim()).slice(-800);
			reject(new ProviderError('auth', `The token command \`${command}\` ${why}${said ? `: ${said}` : ''}. Run it in a terminal to check it works (for gcloud: 'gcloud auth login'), or change the provider's auth command.`, { providerMessage: said || undefined }));
		};
		// The full environment: the command is the user's own (gcloud and the like need HOME, PATH, their config
		// variables), it takes no model-chosen input, and only its stdout is used, as the credential itself.
		const child = spawn(command, { shell: true, cwd, stdio: ['ignore', 'pipe', 'pipe'], ...treeSpawnOptions() });
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		const timer = setTimeout(() => {
			// The shell's children too (gcloud runs under it), on Windows as well as POSIX.
			killProcessTree(child, 'SIGKILL');
			failed(`did not finish within ${Math.round(timeoutMs / 1000)} s`, Buffer.concat(err).toString('utf8'));
		}, timeoutMs);
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		child.on('error', (error) => {
			clearTimeout(timer);
			failed('could not start', error.message);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			const stderr = Buffer.concat(err).toString('utf8');
			if (code !== 0) return failed(`failed (exit code ${code ?? 'none'})`, stderr);
			const token = Buffer.concat(out).toString('utf8').trim();
			if (!token) return failed('printed no token', stderr);
			if (!settled) {
				settled = true;
				resolve(token);
			}
		});
	});
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(new ProviderError('aborted', 'The request was cancelled.', { cause: signal.reason }));
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(new ProviderError('aborted', 'The request was cancelled.', { cause: signal.reason }));
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}
