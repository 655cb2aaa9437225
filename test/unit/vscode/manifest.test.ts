import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { presets } from '../../../src/providers/presets';

interface Manifest {
	contributes: { configuration: { properties: Record<string, { description?: string; markdownDescription?: string; scope?: string; items?: { properties: Record<string, { enum?: string[] }> } }> } };
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as Manifest;
const properties = manifest.contributes.configuration.properties;

describe('package.json contributions', () => {
	it('offers exactly the presets the provider engine knows in the providers schema, and VS Code\'s models', () => {
		// vscode-lm is the editor's own models (src/vscode/lm/vscodeLmProvider.ts), not an HTTP preset of the engine.
		assert.deepEqual(properties['switchboard.providers'].items?.properties.preset.enum, [...Object.keys(presets), 'vscode-lm']);
		assert.ok(properties['switchboard.providers'].items?.properties.protocol.enum?.includes('vscode-lm'));
	});

	it('describes every setting', () => {
		for (const [name, property] of Object.entries(properties)) assert.ok(property.description ?? property.markdownDescription, `${name} has no description`);
	});

	it('reads model-id patterns (regular expressions run on every turn) from the user\'s settings only, never a repository\'s', () => {
		assert.equal(properties['switchboard.contextWindows'].scope, 'application');
	});
});
