// SecretApiKeyStore over a SecretStorage whose writes take a while, as the OS keychain's do: a read right after
// Set API key (a prompt sent as the input box closes) gets the key just typed and the origin it was typed for.
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type * as vscode from 'vscode';
import { installVscodeShim } from '../../../../bench/lib/vscodeShim';

installVscodeShim();
// Loaded after the shim is in place (a static import would load 'vscode' first).
const { SecretApiKeyStore } = createRequire(__filename)('../../../../src/vscode/providers/apiKeyStore') as typeof import('../../../../src/vscode/providers/apiKeyStore');

class SlowSecrets {
	readonly values = new Map<string, string>();
	async get(key: string): Promise<string | undefined> {
		return this.values.get(key);
	}
	async store(key: string, value: string): Promise<void> {
		await new Promise((resolve) => setTimeout(resolve, 30));
		this.values.set(key, value);
	}
	async delete(key: string): Promise<void> {
		await new Promise((resolve) => setTimeout(resolve, 30));
		this.values.delete(key);
	}
	onDidChange(): { dispose(): void } {
		return { dispose: () => undefined };
	}
}

const log = { info: () => undefined, warn: () => undefined, error: () => undefined, addSecret: () => undefined, show: () => undefined };

describe('SecretApiKeyStore', () => {
	it('a read while a key is being stored waits for it, origin included (no question about the old host)', async () => {
		const secrets = new SlowSecrets();
		secrets.values.set('switchboard.apiKey.p', 'sk-old');
		secrets.values.set('switchboard.apiKeyOrigin.p', 'https://old.example');
		const asked: string[] = [];
		const store = new SecretApiKeyStore(secrets as unknown as vscode.SecretStorage, log, async (_id, bound) => {
			asked.push(bound);
			return false;
		});
		const setting = store.set('p', ' sk-new ', 'https://new.example/v1');
		assert.equal(await store.getForRequest('p', 'https://new.example/v1'), 'sk-new');
		await setting;
		assert.deepEqual(asked, []);
	});

	it('a read after Delete starts sees no key', async () => {
		const secrets = new SlowSecrets();
		secrets.values.set('switchboard.apiKey.p', 'sk-old');
		const store = new SecretApiKeyStore(secrets as unknown as vscode.SecretStorage, log);
		const deleting = store.delete('p');
		assert.equal(await store.has('p'), false);
		await deleting;
	});
});
