// What prompts call a provider: its label, else its preset's name (numbered like the add-provider ids), else its id.
import * as assert from 'node:assert/strict';
import { providerLabel } from '../../../src/providers/providerConfig';

describe('providerLabel', () => {
	it('prefers the label the user wrote', () => {
		assert.equal(providerLabel({ id: 'custom-openai', label: 'My Gateway', preset: 'custom-openai' }), 'My Gateway');
	});

	it('names a preset-made entry by its preset, numbered as its id is', () => {
		assert.equal(providerLabel({ id: 'custom-openai', preset: 'custom-openai' }), 'Custom (OpenAI protocol)');
		assert.equal(providerLabel({ id: 'custom-openai-2', preset: 'custom-openai' }), 'Custom (OpenAI protocol) 2');
		assert.equal(providerLabel({ id: 'deepseek', preset: 'deepseek' }), 'DeepSeek');
	});

	it('keeps an id the user chose, and the id of an entry without preset or with an unknown one', () => {
		assert.equal(providerLabel({ id: 'work', preset: 'deepseek' }), 'work');
		assert.equal(providerLabel({ id: 'vault' }), 'vault');
		assert.equal(providerLabel({ id: 'x', preset: 'no-such-preset' }), 'x');
	});
});
