// search_text over ≥ 50,000 files (and one 5,200-file part of the same tree) vs the ripgrep binary it uses, run
// directly with the same arguments on the same query. Run: node -r ./test/support/register.cjs bench/search.ts
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRipgrepOnPath, findVscodeRipgrep } from '../src/tools/ripgrep';
import { NodeWorkspace } from '../src/tools/nodeWorkspace';
import { searchTextTool } from '../src/tools/searchText';
import { fixed, interleave, ratioOfMedians, writeRows, type BenchRow } from './lib/report';
import { ensureSearchTree, needle, parts } from './lib/searchTree';

const budget = 1.2;
const repo = path.resolve(__dirname, '..');

/** What src/tools/ripgrep.ts passes for a literal, case-insensitive query with no include/exclude globs. */
function referenceArgs(query: string): string[] {
	return ['--json', '--no-config', '--no-require-git', '--ignore-case', '--fixed-strings', '--glob', '!**/node_modules/**', '--regexp', query, '--', '.'];
}

/** Runs rg and reads its whole output, as any caller must; resolves with the number of output lines. */
function runRg(rg: string, args: string[], cwd: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const child = spawn(rg, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
		let lines = 0;
		child.stdout.on('data', (piece: Buffer) => {
			for (const byte of piece) if (byte === 10) lines++;
		});
		child.on('error', reject);
		child.on('close', (code) => code === 0 || code === 1 ? resolve(lines) : reject(new Error(`rg exited with ${code}`)));
	});
}

function countFiles(rg: string, cwd: string): Promise<number> {
	return runRg(rg, ['--files', '--no-config', '--no-require-git', '--glob', '!**/node_modules/**', '--', '.'], cwd);
}

async function main(): Promise<void> {
	// The ripgrep that ships inside VS Code (here code-server's, installed by the harness), as the extension uses it.
	const cache = process.env.VSCODE_REAL_HOME || path.join(os.homedir(), '.cache/vscode-real');
	const rg = findVscodeRipgrep(path.join(cache, 'code-server/node_modules/code-server/lib/vscode')) ?? findRipgrepOnPath();
	if (!rg) {
		writeRows([{ id: 'search', measure: 'search tool', figure: 'n/a (no ripgrep: run bash test/harness/install.sh)', budget: `≤ ${budget}×`, holds: null }]);
		return;
	}
	const tree = ensureSearchTree(repo, (line) => process.stderr.write(`[search] ${line}\n`));
	const rows: BenchRow[] = [];
	const cases = [
		{ label: '5k', root: tree.partRoots[0], files: await countFiles(rg, tree.partRoots[0]), expected: 5 },
		{ label: '50k', root: tree.root, files: await countFiles(rg, tree.root), expected: 5 * parts },
	];
	const results: Record<string, number> = {};
	for (const { label, root, files, expected } of cases) {
		const workspace = new NodeWorkspace([root], { ripgrepPath: rg });
		const context = { workspace, signal: new AbortController().signal };
		const tool = async (): Promise<void> => {
			const output = await searchTextTool.invoke({ query: needle }, context);
			const found = output.type === 'text' ? output.value.split('\n').length : 0;
			if (found !== expected) throw new Error(`search_text found ${found} matches, expected ${expected}`);
		};
		const reference = async (): Promise<void> => {
			await runRg(rg, referenceArgs(needle), root);
		};
		const result = ratioOfMedians(await interleave(label === '50k' ? 7 : 11, tool, reference));
		results[label] = result.ratio;
		process.stderr.write(`[search] ${label}: search_text ${fixed(result.a, 1)} ms, rg ${fixed(result.b, 1)} ms\n`);
		const data = { files, toolMs: result.a, rgMs: result.b, pairedRatio: result.pairedRatio, bytes: label === '50k' ? tree.bytes : undefined };
		if (label === '50k') {
			rows.push({
				id: 'search-tool',
				measure: `search tool: search_text vs rg (${files.toLocaleString('en')} files, ${fixed(tree.bytes / 1e6, 0)} MB)`,
				figure: `${fixed(result.ratio, 3)}× (${fixed(result.a, 0)} vs ${fixed(result.b, 0)} ms)`,
				budget: `≤ ${budget}×`,
				holds: result.ratio <= budget,
				data,
			});
		} else {
			rows.push({
				id: 'search-tool-5k',
				measure: `  growth: search at 5k files (${files.toLocaleString('en')})`,
				figure: `${fixed(result.ratio, 3)}× (${fixed(result.a, 0)} vs ${fixed(result.b, 0)} ms)`,
				budget: `≤ ${budget}×`,
				holds: result.ratio <= budget,
				data,
			});
		}
	}
	writeRows(rows);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
