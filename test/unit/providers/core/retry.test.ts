// streamWithRetries driven end to end: each attempt is a real fetch against the local scripted server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandToken, staticKey } from '../../../../src/providers/auth';
import { errorFromResponse } from '../../../../src/providers/errors';
import { backoffDelay, streamWithRetries, type AttemptContext } from '../../../../src/providers/retry';
import { ProviderError, type CredentialSource, type ProviderDeps, type ProviderSettings, type StreamEvent } from '../../../../src/providers/types';
import { startScriptedServer, type ScriptedResponse, type ScriptedServer } from '../../../support/scriptedServer';

const settings: ProviderSettings = { id: 'test', protocol: 'openai', baseUrl: 'unused' };
const textStream = (...texts: string[]): ScriptedResponse => ({ chunks: texts.map((text) => `data: ${JSON.stringify({ text })}\n\n`) });
const failure = (status: number, body = '{"error":{"message":"upstream failed"}}', headers: Record<string, string> = {}): ScriptedResponse => ({ status, body, headers });

/** One attempt: POST, classify a non-2xx answer, then yield a text-delta per SSE line as it arrives. */
function fetchAttempt(server: ScriptedServer, credentials: CredentialSource) {
	return async function* ({ signal }: AttemptContext): AsyncIterable<StreamEvent> {
		const token = await credentials.get(signal);
		const response = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: '{}', signal, headers: token ? { authorization: `Bearer ${token}` } : {} });
		if (!response.ok) throw errorFromResponse(response.status, response.headers, await response.text());
		const decoder = new TextDecoder();
		let buffer = '';
		for await (const bytes of response.body ?? []) {
			buffer += decoder.decode(bytes as Uint8Array, { stream: true });
			let end: number;
			while ((end = buffer.indexOf('\n\n')) >= 0) {
				const line = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				yield { type: 'text-delta', delta: (JSON.parse(line.slice('data: '.length)) as { text: string }).text };
			}
		}
		yield { type: 'finish', reason: 'stop' };
	};
}

function recordingSleep(): { waits: number[]; sleep: NonNullable<ProviderDeps['sleep']> } {
	const waits: number[] = [];
	return { waits, sleep: async (ms) => void waits.push(ms) };
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error?: ProviderError }> {
	const events: StreamEvent[] = [];
	try {
		for await (const event of stream) events.push(event);
		return { events };
	} catch (error) {
		assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
		return { events, error };
	}
}

const retries = (events: StreamEvent[]) => events.filter((event): event is Extract<StreamEvent, { type: 'retry' }> => event.type === 'retry');

describe('streamWithRetries', () => {
	let server: ScriptedServer;
	const key = staticKey(async () => 'sk-test-key-123456');
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	it('retries a 429 after the retry-after-ms the server asked for (real timer), showing a retry event first', async () => {
		server.push(failure(429, '{"error":{"message":"Rate limit reached","type":"requests"}}', { 'retry-after-ms': '30' }), textStream('Hel', 'lo'));
		const started = Date.now();
		const { events, error } = await collect(streamWithRetries(fetchAttempt(server, key), { settings, deps: { credentials: key }, signal: new AbortController().signal }));
		assert.equal(error, undefined);
		assert.equal(server.requests.length, 2);
		assert.deepEqual(events.map((event) => event.type), ['retry', 'text-delta', 'text-delta', 'finish']);
		const [retry] = retries(events);
		assert.equal(retry.attempt, 1);
		assert.equal(retry.delayMs, 30);
		assert.equal(retry.error.kind, 'rate-limit');
		assert.equal(retry.error.status, 429);
		assert.ok(Date.now() - started >= 25);
	});

	it('gives up on repeated 500s after maxRetries, with exponential backoff waits', async () => {
		server.push(failure(500), failure(500), failure(500), failure(500));
		const { waits, sleep } = recordingSleep();
		const { events, error } = await collect(streamWithRetries(fetchAttempt(server, key), { settings: { ...settings, maxRetries: 2 }, deps: { credentials: key, sleep }, signal: new AbortController().signal }));
		assert.equal(error?.kind, 'server');
		assert.equal(server.requests.length, 3);
		assert.deepEqual(retries(events).map((retry) => retry.attempt), [1, 2]);
		assert.equal(waits.length, 2);
		assert.ok(waits[0] >= 250 && waits[0] <= 500, String(waits[0]));
		assert.ok(waits[1] >= 500 && waits[1] <= 1000, String(waits[1]));
	});

	it('uses the default cap of 3 retries', async () => {
		server.push(failure(503), failure(503), failure(503), failure(503), failure(503));
		const { waits, sleep } = recordingSleep();
		const { error } = await collect(streamWithRetries(fetchAttempt(server, key), { settings, deps: { credentials: key, sleep }, signal: new AbortController().signal }));
		assert.equal(error?.kind, 'server');
		assert.equal(server.requests.length, 4);
		assert.equal(waits.length, 3);
	});

	it('never retries a 401 with a static key', async () => {
		server.push(failure(401, '{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}'), textStream('never'));
		const { waits, sleep } = recordingSleep();
		const { events, error } = await collect(streamWithRetries(fetchAttempt(server, key), { settings, deps: { credentials: key, sleep }, signal: new AbortController().signal }));
		assert.equal(error?.kind, 'auth');
		assert.equal(server.requests.length, 1);
		assert.equal(events.length, 0);
		assert.deepEqual(waits, []);
	});

	for (const [name, response] of [
		['quota', failure(429, '{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","code":"insufficient_quota"}}')],
		['bad-request', failure(400, '{"error":{"message":"Unrecognized request argument supplied: foo"}}')],
		['context-length', failure(400, '{"error":{"message":"maximum context length is 8192 tokens","code":"context_length_exceeded"}}')],
		['not-found', failure(404, '{"error":{"message":"The model `nope` does not exist"}}')],
	] as const) {
		it(`never retries ${name}`, async () => {
			server.push(response, textStream('never'));
			const { error } = await collect(streamWithRetries(fetchAttempt(server, key), { settings, deps: { credentials: key, sleep: recordingSleep().sleep }, signal: new AbortController().signal }));
			assert.equal(error?.kind, name);
			assert.equal(server.requests.length, 1);
		});
	}

	describe('with a token command', () => {
		let dir: string;
		beforeEach(() => {
			dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-token-'));
			fs.writeFileSync(path.join(dir, 'count'), '0');
		});
		afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
		// Prints token-1, token-2, … on successive runs, like a token command minting fresh tokens.
		const counterCommand = `n=$(( $(cat count) + 1 )); echo $n > count; echo "token-$n"`;

		it('re-runs the command once on a 401 and retries at once, without waiting', async () => {
			server.push(
				(request) => (request.headers.authorization === 'Bearer token-2' ? textStream('ok') : failure(401, '{"error":{"message":"token expired"}}')),
				(request) => (request.headers.authorization === 'Bearer token-2' ? textStream('ok') : failure(401, '{"error":{"message":"token expired"}}')),
			);
			const credentials = commandToken(counterCommand, { cwd: dir });
			const { waits, sleep } = recordingSleep();
			const { events, error } = await collect(streamWithRetries(fetchAttempt(server, credentials), { settings, deps: { credentials, sleep }, signal: new AbortController().signal }));
			assert.equal(error, undefined);
			assert.deepEqual(server.requests.map((request) => request.headers.authorization), ['Bearer token-1', 'Bearer token-2']);
			assert.deepEqual(events.map((event) => event.type), ['retry', 'text-delta', 'finish']);
			assert.equal(retries(events)[0].delayMs, 0);
			assert.deepEqual(waits, []);
		});

		it('does not re-run it a second time when the fresh token is rejected too', async () => {
			server.push(failure(401), failure(401), failure(401));
			const credentials = commandToken(counterCommand, { cwd: dir });
			const { error } = await collect(streamWithRetries(fetchAttempt(server, credentials), { settings, deps: { credentials, sleep: recordingSleep().sleep }, signal: new AbortController().signal }));
			assert.equal(error?.kind, 'auth');
			assert.equal(server.requests.length, 2);
			assert.equal(fs.readFileSync(path.join(dir, 'count'), 'utf8').trim(), '2');
		});
	});

	it('throws without waiting when the server asks for longer than the wait budget', async () => {
		server.push(failure(429, '{"error":{"message":"slow down"}}', { 'retry-after': '5' }), textStream('never'));
		const { waits, sleep } = recordingSleep();
		const { events, error } = await collect(streamWithRetries(fetchAttempt(server, key), { settings: { ...settings, maxRetryWaitMs: 3000 }, deps: { credentials: key, sleep }, signal: new AbortController().signal }));
		assert.equal(error?.kind, 'rate-limit');
		assert.equal(error?.details.retryAfterMs, 5000);
		assert.equal(server.requests.length, 1);
		assert.deepEqual(waits, []);
		assert.equal(events.length, 0);
	});

	it('stops when the sum of waits would pass maxRetryWaitMs', async () => {
		const busy = failure(503, '{"error":{"message":"busy"}}', { 'retry-after-ms': '400' });
		server.push(busy, busy, busy, busy, busy);
		const { waits, sleep } = recordingSleep();
		const { error } = await collect(streamWithRetries(fetchAttempt(server, key), { settings: { ...settings, maxRetries: 10, maxRetryWaitMs: 1000 }, deps: { credentials: key, sleep }, signal: new AbortController().signal }));
		assert.equal(error?.kind, 'server');
		assert.deepEqual(waits, [400, 400]);
		assert.equal(server.requests.length, 3);
	});

	it('still retries when only warnings were yielded before the failure', async () => {
		server.push(failure(502), textStream('ok'));
		const inner = fetchAttempt(server, key);
		const attempt = async function* (context: AttemptContext): AsyncIterable<StreamEvent> {
			yield { type: 'warning', message: `attempt ${context.attempt}` };
			yield* inner(context);
		};
		const { events, error } = await collect(streamWithRetries(attempt, { settings, deps: { credentials: key, sleep: recordingSleep().sleep }, signal: new AbortController().signal }));
		assert.equal(error, undefined);
		assert.deepEqual(events.map((event) => event.type), ['warning', 'retry', 'warning', 'text-delta', 'finish']);
	});

	it('does not retry a failure after content was yielded, and throws it as it is', async () => {
		server.push({ ...textStream('partial'), reset: true }, textStream('never'));
		const { events, error } = await collect(streamWithRetries(fetchAttempt(server, key), { settings, deps: { credentials: key, sleep: recordingSleep().sleep }, signal: new AbortController().signal }));
		assert.equal(error?.kind, 'network');
		assert.deepEqual(events, [{ type: 'text-delta', delta: 'partial' }]);
		assert.equal(server.requests.length, 1);
	});

	it('ends with an aborted error when cancelled during a real wait, leaving no timer behind', async () => {
		server.push(failure(429, '{"error":{"message":"slow down"}}', { 'retry-after-ms': '10000' }), textStream('never'));
		const controller = new AbortController();
		const countTimers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
		let timersAtRetry = 0;
		const started = Date.now();
		const events: StreamEvent[] = [];
		let caught: unknown;
		try {
			for await (const event of streamWithRetries(fetchAttempt(server, key), { settings, deps: { credentials: key }, signal: controller.signal })) {
				events.push(event);
				if (event.type === 'retry') {
					// Counted before the wait starts; the abort timer below fires before the count after.
					timersAtRetry = countTimers();
					setTimeout(() => controller.abort(), 30);
				}
			}
		} catch (error) {
			caught = error;
		}
		assert.ok(caught instanceof ProviderError);
		assert.equal(caught.kind, 'aborted');
		assert.equal(events.length, 1);
		assert.ok(Date.now() - started < 5000);
		await new Promise((resolve) => setImmediate(resolve));
		assert.ok(countTimers() <= timersAtRetry, `${countTimers()} timers now, ${timersAtRetry} before the wait`);
		assert.equal(server.requests.length, 1);
	});

	it('does not start when the signal is already aborted', async () => {
		const controller = new AbortController();
		controller.abort();
		const { error } = await collect(streamWithRetries(fetchAttempt(server, key), { settings, deps: { credentials: key }, signal: controller.signal }));
		assert.equal(error?.kind, 'aborted');
	});
});

describe('backoffDelay', () => {
	it('doubles from 500 ms with jitter in the upper half and caps each wait at 30 s', () => {
		assert.equal(backoffDelay(0, () => 0), 250);
		assert.equal(backoffDelay(0, () => 1), 500);
		assert.equal(backoffDelay(3, () => 1), 4000);
		assert.equal(backoffDelay(20, () => 1), 30_000);
		assert.equal(backoffDelay(20, () => 0), 15_000);
	});
});
