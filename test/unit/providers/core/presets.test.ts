import * as assert from 'node:assert/strict';
import { getPreset, PresetError, presets, resolveEndpoint, settingsFromPreset } from '../../../../src/providers/presets';

describe('presets', () => {
	it('every preset has a label, notes, an auth type, and a base URL unless it is custom or a gateway', () => {
		for (const preset of Object.values(presets)) {
			assert.ok(preset.label && preset.notes, preset.name);
			assert.ok(['apiKey', 'none', 'command'].includes(preset.auth.type));
			const needsUrl = preset.name.startsWith('custom-') || preset.name === 'gateway';
			assert.equal(preset.defaultBaseUrl === undefined, needsUrl, preset.name);
		}
	});

	it('gives the documented endpoints of the seed providers', () => {
		assert.deepEqual(settingsFromPreset('qianfan'), { id: 'qianfan', protocol: 'openai', baseUrl: 'https://qianfan.baidubce.com/v2' });
		assert.equal(settingsFromPreset('anthropic').protocol, 'anthropic');
		assert.equal(settingsFromPreset('ollama').baseUrl, 'http://localhost:11434/v1');
		assert.deepEqual(presets.ollama.auth, { type: 'none' });
	});

	it('fills the Vertex LOCATION and PROJECT and uses the gcloud token command', () => {
		const settings = settingsFromPreset('vertex', { variables: { LOCATION: 'us-central1', PROJECT: 'sample-project' } });
		// seed 004: POST https://us-central1-aiplatform.googleapis.com/v1/projects/sample-project/locations/us-central1/endpoints/openapi/chat/completions
		assert.equal(settings.baseUrl, 'https://us-central1-aiplatform.googleapis.com/v1/projects/sample-project/locations/us-central1/endpoints/openapi');
		assert.deepEqual(presets.vertex.auth, { type: 'command', command: 'gcloud auth print-access-token' });
	});

	it('refuses a Vertex preset without its variables, naming them', () => {
		assert.throws(() => settingsFromPreset('vertex', { variables: { LOCATION: 'us-central1' } }), (error: unknown) => error instanceof PresetError && /PROJECT/.test(error.message) && !/LOCATION and/.test(error.message));
	});

	it('requires a base URL for custom presets and keeps the user overrides', () => {
		assert.throws(() => settingsFromPreset('custom-anthropic'), PresetError);
		const settings = settingsFromPreset('custom-openai', { id: 'mine', baseUrl: 'http://10.0.0.5:8000/v1/', maxRetries: 1, extraBody: { tool_options: { thoughts_output: true } } });
		assert.deepEqual(settings, { id: 'mine', protocol: 'openai', baseUrl: 'http://10.0.0.5:8000/v1', maxRetries: 1, extraBody: { tool_options: { thoughts_output: true } } });
	});

	it('routes gateway models by prefix: anthropic/… to <host>/anthropic, others to <host>/v1 (seed 000)', () => {
		const gateway = getPreset('gateway');
		assert.deepEqual(resolveEndpoint(gateway, 'https://api.ofox.ai', 'anthropic/claude-sonnet-4.5'), { protocol: 'anthropic', baseUrl: 'https://api.ofox.ai/anthropic' });
		assert.deepEqual(resolveEndpoint(gateway, 'https://api.ofox.ai/', 'openai/gpt-4o'), { protocol: 'openai', baseUrl: 'https://api.ofox.ai/v1' });
		assert.deepEqual(resolveEndpoint(gateway, 'https://api.ofox.ai/v1', 'Anthropic/claude-sonnet-4.5'), { protocol: 'anthropic', baseUrl: 'https://api.ofox.ai/anthropic' }, 'an endpoint path typed into the host is tolerated');
		assert.deepEqual(settingsFromPreset('gateway', { baseUrl: 'https://api.ofox.ai', model: 'anthropic/claude-sonnet-4.5' }), { id: 'gateway', protocol: 'anthropic', baseUrl: 'https://api.ofox.ai/anthropic' });
	});

	it('rejects an unknown preset name with the list of known ones', () => {
		assert.throws(() => getPreset('azure'), /Unknown provider preset 'azure'.*openai, anthropic, gateway/);
	});
});
