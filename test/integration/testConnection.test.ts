import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openaiSse, startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { SecretApiKeyStore } from '../../src/vscode/providers/apiKeyStore';
import { activate, logText, waitFor } from './support';

const KEY = 'sk-scripted-0123456789abcdef';

function chunk(delta: Record<string, unknown>, finishReason: string | null): Record<string, unknown> {
	return { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'tiny-model', choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

describe('Test Connection', () => {
	let server: ScriptedServer;
	const config = () => vscode.workspace.getConfiguration('switchboard');

	before(async () => {
		server = await startScriptedServer();
		await config().update('providers', [{ id: 'scripted', protocol: 'openai', baseUrl: `${server.url}/v1`, models: ['tiny-model'] }], vscode.ConfigurationTarget.Global);
		await config().update('defaultModel', 'scripted/tiny-model', vscode.ConfigurationTarget.Global);
		await (await activate()).keys.set('scripted', KEY);
	});

	after(async () => {
		await (await activate()).keys.delete('scripted');
		await config().update('providers', undefined, vscode.ConfigurationTarget.Global);
		await config().update('defaultModel', undefined, vscode.ConfigurationTarget.Global);
		await server.close();
	});

	it('sends a one-token request for the default model with the stored key, and logs the success', async () => {
		const api = await activate();
		server.push(openaiSse([chunk({ role: 'assistant', content: 'OK' }, null), chunk({}, 'length')]));
		await vscode.commands.executeCommand('switchboard.testConnection');
		const request = server.requests.at(-1);
		assert.ok(request, 'no request reached the server');
		assert.equal(request.url, '/v1/chat/completions');
		assert.equal(request.headers.authorization, `Bearer ${KEY}`);
		assert.equal(request.json?.model, 'tiny-model');
		assert.equal(request.json?.max_tokens, 1);
		await waitFor('the success line', async () => (await logText(api)).includes('Test connection to scripted/tiny-model succeeded') || undefined);
	});

	it('reports a rejected key as an auth error, without the key in the log', async () => {
		const api = await activate();
		const body = { error: { message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' } };
		server.push({ status: 401, body: JSON.stringify(body) });
		await vscode.commands.executeCommand('switchboard.testConnection');
		const text = await waitFor('the failure line', async () => {
			const current = await logText(api);
			return current.includes('Test connection to scripted/tiny-model failed') ? current : undefined;
		});
		assert.match(text, /failed \(auth 401\)/);
		assert.ok(!text.includes(KEY), 'the key is in the log');
	});

	describe('when the settings move the provider to another host', () => {
		let other: ScriptedServer;
		before(async () => {
			other = await startScriptedServer();
			await config().update('providers', [{ id: 'scripted', protocol: 'openai', baseUrl: `${other.url}/v1`, models: ['tiny-model'] }], vscode.ConfigurationTarget.Global);
		});
		after(() => other.close());

		// In extension-test mode VS Code refuses to show modal dialogs, which the store takes as a "no".
		it('keeps the key back when the question about the new host gets no yes', async () => {
			const api = await activate();
			await vscode.commands.executeCommand('switchboard.testConnection');
			assert.equal(other.requests.length, 0, 'a request reached the new host');
			await waitFor('the warning', async () => (await logText(api)).includes(`Kept the API key of "scripted" from ${other.url}`) || undefined);
		});

		it('hands the key over for the new host once confirmed, binds it there and stops asking', async () => {
			const api = await activate();
			const questions: string[] = [];
			const log = { info: () => {}, warn: () => {}, error: () => {}, addSecret: () => {}, show: () => {} };
			const store = new SecretApiKeyStore(api.context.secrets, log, async (_id, from, to) => {
				questions.push(`${from} -> ${to}`);
				return true;
			});
			assert.equal(await store.getForRequest('scripted', `${other.url}/v1`), KEY);
			assert.deepEqual(questions, [`${server.url} -> ${other.url}`]);
			assert.equal(await store.getForRequest('scripted', `${other.url}/v1/`), KEY);
			assert.equal(questions.length, 1);
			// The extension's own store reads the same binding: the command now sends without asking.
			other.push(openaiSse([chunk({ role: 'assistant', content: 'OK' }, 'stop')]));
			await vscode.commands.executeCommand('switchboard.testConnection');
			assert.equal(other.requests.length, 1);
			assert.equal(other.requests[0].headers.authorization, `Bearer ${KEY}`);
		});
	});
});
