import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatPhrase, toolPhrases, type PhraseKey } from '../../../src/tools/phrases';
import { english } from '../../../src/webview/l10n';

const root = path.join(__dirname, '../../..');
const languages = ['zh-cn', 'zh-tw'];

function readJson(file: string): Record<string, string> {
	return JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, string>;
}

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

/** Every `vscode.l10n.t(...)` call in src/: its first argument when a plain string literal, else the offending call. */
function hostMessages(): { messages: Set<string>; nonLiteral: string[] } {
	const messages = new Set<string>();
	const nonLiteral: string[] = [];
	for (const file of sourceFiles(path.join(root, 'src'))) {
		const text = fs.readFileSync(file, 'utf8');
		for (const match of text.matchAll(/\bl10n\.t\(\s*('(?:[^'\\\n]|\\.)*'(?=\s*[,)])|[^\s])/g)) {
			const argument = match[1];
			// The bundle is keyed by the literal; a template or a variable would never be found there.
			if (argument.startsWith('\'')) messages.add(argument.slice(1, -1).replace(/\\(.)/g, '$1'));
			else nonLiteral.push(`${path.relative(root, file)}: ${text.slice(match.index, match.index + 60)}`);
		}
	}
	return { messages, nonLiteral };
}

function placeholders(text: string): string[] {
	return [...text.matchAll(/\{\w+\}/g)].map((match) => match[0]).sort();
}

describe('translations', () => {
	describe('the manifest (package.nls.*.json)', () => {
		const manifest = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
		const used = new Set([...manifest.matchAll(/"%([^"%]+)%"/g)].map((match) => match[1]));
		const english = readJson('package.nls.json');

		it('has every %key% of package.json in English', () => {
			assert.deepEqual([...used].filter((key) => !(key in english)), []);
		});

		it('leaves no user-visible manifest string untranslatable', () => {
			const plain: string[] = [];
			const visible = new Set(['displayName', 'description', 'markdownDescription', 'title', 'category', 'enumDescriptions', 'markdownEnumDescriptions']);
			const walk = (value: unknown, where: string, shown: boolean): void => {
				if (typeof value === 'string') {
					if (shown && !/^%.+%$/.test(value)) plain.push(`${where}: ${value}`);
				} else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${where}[${index}]`, shown));
				else if (value && typeof value === 'object') {
					for (const [key, item] of Object.entries(value)) walk(item, `${where}.${key}`, visible.has(key) || (key === 'name' && where.includes('.views.')));
				}
			};
			const pkg = JSON.parse(manifest) as Record<string, unknown>;
			walk({ displayName: pkg.displayName, description: pkg.description, contributes: pkg.contributes, capabilities: pkg.capabilities }, 'package.json', false);
			assert.deepEqual(plain, []);
		});

		it('has no English key that package.json no longer uses', () => {
			assert.deepEqual(Object.keys(english).filter((key) => !used.has(key)), []);
		});

		for (const language of languages) {
			it(`has exactly the English keys in ${language}, each translated with the same placeholders`, () => {
				const translated = readJson(`package.nls.${language}.json`);
				assert.deepEqual(Object.keys(english).filter((key) => !(key in translated)), [], 'missing');
				assert.deepEqual(Object.keys(translated).filter((key) => !(key in english)), [], 'stale');
				for (const [key, text] of Object.entries(translated)) assert.deepEqual(placeholders(text), placeholders(english[key]), key);
			});
		}
	});

	describe('the code (l10n/bundle.l10n.*.json)', () => {
		const { messages, nonLiteral } = hostMessages();
		// The webview's strings are looked up in the same bundle by their English text (src/vscode/chat/webviewStrings.ts),
		// and so are the tools' card summaries and forced-ask reasons (src/tools/phrases.ts, src/vscode/workspace/toolset.ts).
		const expected = new Set<string>([...messages, ...Object.values(english), ...Object.values(toolPhrases)]);

		it('finds the host\'s messages, each a plain string literal', () => {
			assert.ok(messages.size > 20, `only ${messages.size} vscode.l10n.t calls found`);
			assert.deepEqual(nonLiteral, []);
		});

		for (const language of languages) {
			it(`translates every host and webview string in ${language}, with the same placeholders and no stale entry`, () => {
				const bundle = readJson(`l10n/bundle.l10n.${language}.json`);
				assert.deepEqual([...expected].filter((message) => !(message in bundle)), [], 'missing');
				assert.deepEqual(Object.keys(bundle).filter((message) => !expected.has(message)), [], 'stale');
				for (const [message, text] of Object.entries(bundle)) {
					assert.equal(typeof text, 'string', message);
					assert.deepEqual(placeholders(text), placeholders(message), message);
				}
			});

			it(`shows every tool phrase in ${language} without English words left in it`, () => {
				const bundle = readJson(`l10n/bundle.l10n.${language}.json`);
				const keys = Object.keys(toolPhrases) as PhraseKey[];
				// Filled with neutral arguments, a translated phrase keeps only paths, the glob-like names of protected files
				// and the protocol's name (MCP).
				const shown = keys.map((key) => formatPhrase({ key, args: ['x', '1', '2'] }, (template) => bundle[template]));
				const english = shown.filter((text) => /[A-Za-z]{3,}/.test(text.replace(/\.git|\.vscode|\.json|code-workspace|\bMCP\b/g, '')));
				assert.deepEqual(english, []);
			});
		}
	});
});
