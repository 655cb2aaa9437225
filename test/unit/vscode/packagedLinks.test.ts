import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';

// The .vsix is packaged with --no-rewrite-relative-links (the repository URL is a placeholder), so a relative link
// in a shipped Markdown file works only if its target ships too; anything .vscodeignore leaves out is a dead link
// on the Marketplace page and in VS Code's extension details.
const root = path.join(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { icon?: string; repository?: { url?: string } };

/** Link targets outside fenced code blocks and inline code spans (which show `[a](b)` literally). */
export function markdownLinks(markdown: string): string[] {
	const prose = markdown.replace(/^(```+|~~~+)[^\n]*\n[\s\S]*?^\1[^\S\n]*$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
	return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]);
}

/** vsce stores the readme as readme.md, the changelog as changelog.md and an extensionless license as LICENSE.txt. */
function renamedByVsce(file: string): boolean {
	return /^(readme|changelog)(\.md)?$/i.test(file) && file !== file.toLowerCase() || /^licen[cs]e$/i.test(file);
}

/** GitHub's heading anchors, which the Marketplace and VS Code's Markdown preview follow. */
export function headingAnchors(markdown: string): Set<string> {
	const prose = markdown.replace(/^(```+|~~~+)[^\n]*\n[\s\S]*?^\1[^\S\n]*$/gm, '');
	return new Set([...prose.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)].map((match) =>
		match[1].toLowerCase().replace(/[`*]/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-')));
}

describe('the packaged .vsix', () => {
	let shipped: Set<string>;
	before(async function () {
		this.timeout(30_000);
		shipped = new Set((await listFiles({ cwd: root, packageManager: PackageManager.None })).map((file) => file.split(path.sep).join('/')));
	});

	it('ships the README, the changelog and a 128×128 PNG icon', () => {
		for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE']) assert.ok(shipped.has(file), `${file} is not packaged`);
		assert.ok(manifest.icon && shipped.has(manifest.icon), `icon ${manifest.icon} is not packaged`);
		const png = fs.readFileSync(path.join(root, manifest.icon));
		assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
		assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
	});

	it('has no dead link in any Markdown file it ships', () => {
		const dead: string[] = [];
		const placeholderHost = manifest.repository?.url ? new URL(manifest.repository.url).host + new URL(manifest.repository.url).pathname.replace(/\.git$/, '') : undefined;
		const markdownFiles = [...shipped].filter((file) => file.endsWith('.md'));
		assert.ok(markdownFiles.includes('README.md'));
		for (const file of markdownFiles) {
			const text = fs.readFileSync(path.join(root, file), 'utf8');
			for (const link of markdownLinks(text)) {
				if (/^(mailto:|https?:)/i.test(link)) {
					// The repository URL is a placeholder until there is a public home: nothing may link to it.
					if (placeholderHost && link.includes(placeholderHost)) dead.push(`${file}: ${link} (placeholder repository)`);
					continue;
				}
				const [target, anchor] = link.split('#', 2);
				const resolved = target ? path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(target))) : file;
				if (!shipped.has(resolved)) { dead.push(`${file}: ${link} (${resolved} is not packaged)`); continue; }
				if (target && renamedByVsce(resolved)) { dead.push(`${file}: ${link} (vsce packages ${resolved} under another name)`); continue; }
				if (anchor && resolved.endsWith('.md') && !headingAnchors(fs.readFileSync(path.join(root, resolved), 'utf8')).has(anchor)) dead.push(`${file}: ${link} (no heading #${anchor})`);
			}
		}
		assert.deepEqual(dead, []);
	});

	it('finds links the way a Markdown renderer does', () => {
		assert.equal(renamedByVsce('CHANGELOG.md') && renamedByVsce('LICENSE') && !renamedByVsce('ARCHITECTURE.md'), true);
		assert.deepEqual(markdownLinks('[a](x.md) `[b](y.md)` ![c](img/p.png "t")\n```\n[d](z.md)\n```\n'), ['x.md', 'img/p.png']);
		assert.ok(headingAnchors('## Presets and settings\n### `run_task` (beta)').has('presets-and-settings'));
		assert.ok(headingAnchors('### `run_task` (beta)').has('run_task-beta'));
	});
});
