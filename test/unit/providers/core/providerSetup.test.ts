import * as assert from 'node:assert/strict';
import type { ProviderEntry } from '../../../../src/providers/providerConfig';
import { ProviderConfigError } from '../../../../src/providers/providerConfig';
import { providerConnection, setUpProvider, type ProviderAccess } from '../../../../src/providers/providerSetup';
import type { ChatRequest, StreamEvent } from '../../../../src/providers/types';
import { startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';

// One path from a provider entry to a ready provider, shared by the CLI, the panel, Test Connection, the model
// list and VS Code's language-model provider. Chat Completions streaming shape from OpenAI's API reference.
const sse = (...chunks: unknown[]): string => chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n';
const okStream = sse(
	{ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: 'OK' }, finish_reason: null }] },
	{ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
);
const request: ChatRequest = { model: 'm1', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [] };

async function drain(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
	const all: StreamEvent[] = [];
	for await (const event of events) all.push(event);
	return all;
}

describe('setUpProvider', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	const entry = (extra: Partial<ProviderEntry> = {}): ProviderEntry => ({ id: 'local', protocol: 'openai', baseUrl: `${server.url}/v1`, models: ['m1'], headers: {}, extraBody: {}, ...extra });
	const keyed = (key: string | undefined, seen: string[] = []): ProviderAccess => ({
		apiKey: async (baseUrl) => {
			seen.push(baseUrl);
			return key;
		},
	});

	it('sends the key the front end hands out for the entry\'s base URL, with the entry\'s headers', async () => {
		server.push({ headers: { 'content-type': 'text/event-stream' }, body: okStream });
		const asked: string[] = [];
		const { provider, settings } = setUpProvider(entry({ headers: { 'x-team': 'blue' } }), 'm1', keyed('sk-one', asked));
		const events = await drain(provider.stream(request, new AbortController().signal));
		assert.equal(events.filter((event) => event.type === 'text-delta').map((event) => event.type === 'text-delta' && event.delta).join(''), 'OK');
		assert.deepEqual(asked, [`${server.url}/v1`]);
		assert.equal(server.requests[0].headers.authorization, 'Bearer sk-one');
		assert.equal(server.requests[0].headers['x-team'], 'blue');
		assert.deepEqual(settings.auth, { type: 'apiKey' });
	});

	it('auth "none" never asks for a key and sends no Authorization header', async () => {
		server.push({ headers: { 'content-type': 'text/event-stream' }, body: okStream });
		const asked: string[] = [];
		const { provider } = setUpProvider(entry({ auth: 'none' }), 'm1', keyed('sk-unused', asked));
		await drain(provider.stream(request, new AbortController().signal));
		assert.deepEqual(asked, []);
		assert.equal(server.requests[0].headers.authorization, undefined);
	});

	it('the front end\'s auth replaces the entry\'s, and each credential handed out is reported', async () => {
		server.push({ headers: { 'content-type': 'text/event-stream' }, body: okStream });
		const seen: string[] = [];
		const access: ProviderAccess = { apiKey: async () => 'sk-env', auth: { type: 'apiKey' }, onCredential: (value) => seen.push(value) };
		const { provider, settings } = setUpProvider(entry({ auth: 'none' }), 'm1', access);
		await drain(provider.stream(request, new AbortController().signal));
		assert.deepEqual(settings.auth, { type: 'apiKey' });
		assert.equal(server.requests[0].headers.authorization, 'Bearer sk-env');
		assert.deepEqual(seen, ['sk-env']);
	});

	it('a token command runs in the front end\'s folder and its output is the bearer token', async function () {
		if (process.platform === 'win32') this.skip();
		server.push({ headers: { 'content-type': 'text/event-stream' }, body: okStream });
		const command = `node -e "process.stdout.write('tok-' + require('path').basename(process.cwd()))"`;
		const { provider } = setUpProvider(entry({ auth: { command } }), 'm1', { apiKey: async () => assert.fail('no key is read for a token command'), cwd: __dirname });
		await drain(provider.stream(request, new AbortController().signal));
		assert.equal(server.requests[0].headers.authorization, 'Bearer tok-core');
	});

	it('tuning: the front end\'s timeout applies unless the entry has its own; unset tuning leaves settings alone', () => {
		const access = keyed('k');
		assert.equal(providerConnection(entry(), 'm1', access, { defaultTimeoutSeconds: 30 }).settings.timeoutMs, 30_000);
		assert.equal(providerConnection(entry({ timeoutSeconds: 5 }), 'm1', access, { defaultTimeoutSeconds: 30 }).settings.timeoutMs, 5_000);
		const { settings } = providerConnection(entry(), 'm1', access, { maxRetries: undefined, stream: false, defaultOutputTokens: 1234 });
		assert.equal('maxRetries' in settings, false);
		assert.equal(settings.stream, false);
		assert.equal(settings.defaultOutputTokens, 1234);
	});

	it('a preset fills in protocol and base URL; an unusable entry is a ProviderConfigError naming the entry', () => {
		const { settings } = providerConnection({ id: 'ds', preset: 'deepseek', models: [], headers: {}, extraBody: {} }, 'deepseek-chat', keyed('k'));
		assert.equal(settings.protocol, 'openai');
		assert.match(settings.baseUrl, /^https:\/\//);
		assert.throws(() => setUpProvider(entry({ protocol: undefined }), 'm1', keyed('k')), (error: unknown) => error instanceof ProviderConfigError && /"local" needs "protocol" and "baseUrl"/.test(error.message));
		assert.throws(() => setUpProvider(entry({ protocol: 'vscode-lm' }), 'm1', keyed('k')), ProviderConfigError);
	});
});
