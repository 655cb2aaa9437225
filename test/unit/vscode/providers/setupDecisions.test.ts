// Which model a turn talks to and which fix a failed turn's banner offers, in plain Node.
import * as assert from 'node:assert/strict';
import type { LoopErrorInfo } from '../../../../src/chat/loopEvents';
import type { ProviderEntry } from '../../../../src/providers/providerConfig';
import { bannerFor, chooseModel, PROVIDERS_SETTING } from '../../../../src/vscode/providers/setupDecisions';

const entry = (id: string, models: string[]): ProviderEntry => ({ id, preset: 'openai', models, headers: {}, extraBody: {} });
const entries = [entry('empty', []), entry('openai', ['gpt-4o', 'gpt-4o-mini']), entry('local', ['llama3'])];

describe('chooseModel', () => {
	it('keeps the panel\'s pick while its provider exists, even for a model not listed (a typed id)', () => {
		assert.deepEqual(chooseModel(entries, { provider: 'local', model: 'typed-model' }, { provider: 'openai', model: 'gpt-4o' }), { provider: 'local', model: 'typed-model' });
	});

	it('falls back to switchboard.defaultModel, then to the first model of the first provider that lists one', () => {
		assert.deepEqual(chooseModel(entries, { provider: 'removed', model: 'x' }, { provider: 'openai', model: 'gpt-4o-mini' }), { provider: 'openai', model: 'gpt-4o-mini' });
		assert.deepEqual(chooseModel(entries, undefined, { provider: 'removed', model: 'x' }), { provider: 'openai', model: 'gpt-4o' });
		assert.deepEqual(chooseModel(entries, undefined, undefined), { provider: 'openai', model: 'gpt-4o' });
	});

	it('has nothing to offer without a provider that lists a model', () => {
		assert.equal(chooseModel([], undefined, undefined), undefined);
		assert.equal(chooseModel([entry('empty', [])], undefined, { provider: 'gone', model: 'm' }), undefined);
	});
});

describe('bannerFor', () => {
	const failure = (kind: LoopErrorInfo['kind']): LoopErrorInfo => ({ kind, message: `${kind} happened`, retryable: false });

	it('an auth failure asks for the key of that provider, or retries for VS Code\'s own models (a consent answer)', () => {
		assert.deepEqual(bannerFor(failure('auth'), 'openai', false), { kind: 'auth', message: 'auth happened', action: 'set-api-key', provider: 'openai' });
		assert.deepEqual(bannerFor(failure('auth'), 'copilot', true), { kind: 'auth', message: 'auth happened', action: 'retry' });
	});

	it('passing troubles retry; a wrong endpoint, model or request opens the provider settings', () => {
		for (const kind of ['network', 'server', 'overloaded', 'rate-limit', 'interrupted', 'quota'] as const) {
			assert.equal(bannerFor(failure(kind), 'openai', false).action, 'retry', kind);
		}
		for (const kind of ['not-found', 'bad-request', 'invalid-response'] as const) {
			assert.deepEqual(bannerFor(failure(kind), 'openai', false), { kind, message: `${kind} happened`, action: 'open-settings', setting: PROVIDERS_SETTING });
		}
	});

	it('a stop the user cannot fix from a button (step cap, repeated call) offers no action and keeps the message', () => {
		assert.deepEqual(bannerFor(failure('step-cap'), 'openai', false), { kind: 'step-cap', message: 'step-cap happened' });
		assert.deepEqual(bannerFor(failure('repeated-call'), 'openai', false), { kind: 'repeated-call', message: 'repeated-call happened' });
	});
});
