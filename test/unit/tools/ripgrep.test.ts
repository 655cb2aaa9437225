import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeWorkspace } from '../../../src/tools/nodeWorkspace';
import { findRipgrepOnPath, findVscodeRipgrep } from '../../../src/tools/ripgrep';

describe('locating ripgrep', () => {
	let dir: string;
	before(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-rg-'));
	});
	after(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('finds an executable rg on a given PATH and ignores a non-executable one', () => {
		const bin = path.join(dir, 'bin');
		const notExec = path.join(dir, 'plain');
		fs.mkdirSync(bin);
		fs.mkdirSync(notExec);
		fs.writeFileSync(path.join(bin, 'rg'), '#!/bin/sh\n', { mode: 0o755 });
		fs.writeFileSync(path.join(notExec, 'rg'), '', { mode: 0o644 });
		assert.equal(findRipgrepOnPath([notExec, bin].join(path.delimiter)), path.join(bin, 'rg'));
		assert.equal(findRipgrepOnPath(notExec), undefined);
	});

	it('finds the ripgrep VS Code ships under its app root, packed or asar-unpacked', () => {
		const unpacked = path.join(dir, 'app', 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin');
		fs.mkdirSync(unpacked, { recursive: true });
		fs.writeFileSync(path.join(unpacked, 'rg'), '');
		assert.equal(findVscodeRipgrep(path.join(dir, 'app')), path.join(unpacked, 'rg'));
		assert.equal(findVscodeRipgrep(path.join(dir, 'nowhere')), undefined);
	});

	it('finds the per-platform binary of @vscode/ripgrep-universal that code-server ships', () => {
		const universal = path.join(dir, 'server', 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`);
		fs.mkdirSync(universal, { recursive: true });
		const binary = process.platform === 'win32' ? 'rg.exe' : 'rg';
		fs.writeFileSync(path.join(universal, binary), '');
		assert.equal(findVscodeRipgrep(path.join(dir, 'server')), path.join(universal, binary));
	});

	it('lets the caller inject the binary or force the JS fallback', () => {
		assert.equal(new NodeWorkspace([dir], { ripgrepPath: null }).searchEngine, 'js');
		assert.equal(new NodeWorkspace([dir], { ripgrepPath: '/opt/vscode/rg' }).searchEngine, 'ripgrep');
	});

	it('reports a ripgrep binary that cannot start as a tool failure', async () => {
		const workspace = new NodeWorkspace([dir], { ripgrepPath: path.join(dir, 'missing-rg') });
		await assert.rejects(
			workspace.searchText({ query: 'x', isRegex: false, caseSensitive: false, maxResults: 5 }, new AbortController().signal),
			/Could not run ripgrep/,
		);
	});
});
