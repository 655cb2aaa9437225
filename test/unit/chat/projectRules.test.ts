import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRuleFiles, rulesPrompt } from '../../../src/chat/projectRules';
import { NodeWorkspace } from '../../../src/tools/nodeWorkspace';
import { createTempWorkspace, type TempWorkspace } from '../tools/tempWorkspace';

describe('project rules', () => {
	let temp: TempWorkspace;
	const signal = new AbortController().signal;
	beforeEach(() => {
		temp = createTempWorkspace();
	});
	afterEach(() => temp.cleanup());

	it('finds no rules in a workspace without rule files', async () => {
		assert.deepEqual(await loadRuleFiles(new NodeWorkspace([temp.root]), [], signal), []);
		assert.equal(rulesPrompt([]), '');
	});

	it('reads AGENTS.md, .github/copilot-instructions.md and the user\'s files, in that order, each once', async () => {
		fs.writeFileSync(path.join(temp.root, 'AGENTS.md'), '# Rules\r\nUse tabs.\n');
		fs.mkdirSync(path.join(temp.root, '.github'));
		fs.writeFileSync(path.join(temp.root, '.github', 'copilot-instructions.md'), 'Write tests first.');
		fs.writeFileSync(path.join(temp.outside, 'mine.md'), 'Answer briefly.');
		const rules = await loadRuleFiles(new NodeWorkspace([temp.root]), [path.join(temp.outside, 'mine.md'), 'AGENTS.md', 'missing.md', 'image.bin'], signal);
		assert.deepEqual(rules.map((rule) => [rule.path, rule.text, rule.omitted]), [
			['AGENTS.md', '# Rules\nUse tabs.\n', 0],
			['.github/copilot-instructions.md', 'Write tests first.', 0],
			[fs.realpathSync(path.join(temp.outside, 'mine.md')), 'Answer briefly.', 0],
		]);
		const prompt = rulesPrompt(rules);
		assert.match(prompt, /follow them\.\n<rules path="AGENTS.md">\n# Rules\nUse tabs.\n<\/rules>\n<rules path=".github\/copilot-instructions.md">\nWrite tests first.\n<\/rules>/);
	});

	it('bounds each file and all of them together, and the prompt says what was cut', async () => {
		fs.writeFileSync(path.join(temp.root, 'AGENTS.md'), 'a'.repeat(10_000));
		fs.mkdirSync(path.join(temp.root, '.github'));
		fs.writeFileSync(path.join(temp.root, '.github', 'copilot-instructions.md'), 'b'.repeat(10_000));
		const rules = await loadRuleFiles(new NodeWorkspace([temp.root]), [], signal, { perFileChars: 6000, totalChars: 8000 });
		assert.deepEqual(rules.map((rule) => [rule.text.length, rule.omitted]), [[6000, 4000], [2000, 8000]]);
		assert.match(rulesPrompt(rules), /\[Cut: 4000 more characters of this file were left out to keep the prompt small; read_file can read it whole\.\]/);
	});
});
