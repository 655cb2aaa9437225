// The search bench's tree: ≥ 50,000 real files copied from installed npm packages, in ten parts of 5,200 files
// (so one part is the 5k tree), with a planted needle in five files per part. Built once, cached in the OS temp
// directory: under the repository, its .gitignore (node_modules/, dist/, out/) would hide a third of the files
// from ripgrep.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const filesPerPart = 5_200;
export const parts = 10;
export const needle = 'switchboard-bench-needle';
const version = 1;
const partName = (part: number): string => `part${String(part).padStart(2, '0')}`;

export interface SearchTree {
	root: string;
	partRoots: string[];
	files: number;
	bytes: number;
}

/** Every regular, non-hidden file under `dir` (symlinks skipped), relative to it. */
function listFiles(dir: string, prefix = '', into: string[] = []): string[] {
	let entries: fs.Dirent[];
	try {
		entries = fs.readdirSync(path.join(dir, prefix), { withFileTypes: true });
	} catch {
		return into;
	}
	for (const entry of entries) {
		if (entry.name.startsWith('.')) continue;
		const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
		if (entry.isDirectory()) listFiles(dir, relative, into);
		else if (entry.isFile()) into.push(relative);
	}
	return into;
}

function sources(repo: string): string[] {
	const cache = process.env.VSCODE_REAL_HOME ?? path.join(os.homedir(), '.cache/vscode-real');
	return [path.join(repo, 'node_modules'), path.join(cache, 'code-server/node_modules'), path.join(cache, 'node24/node_modules')]
		.filter((dir) => fs.existsSync(dir));
}

export function ensureSearchTree(repo: string, log: (line: string) => void): SearchTree {
	const root = path.join(os.tmpdir(), 'switchboard-bench-search-tree');
	const stamp = path.join(root, 'complete.json');
	if (fs.existsSync(stamp)) {
		const saved = JSON.parse(fs.readFileSync(stamp, 'utf8')) as { version: number; files: number; bytes: number };
		if (saved.version === version) {
			return { root, partRoots: Array.from({ length: parts }, (_, part) => path.join(root, partName(part))), files: saved.files, bytes: saved.bytes };
		}
	}
	fs.rmSync(root, { recursive: true, force: true });
	const pool = sources(repo).flatMap((dir) => listFiles(dir).map((file) => ({ dir, file })));
	if (pool.length === 0) throw new Error('no installed node_modules to build the search tree from');
	const total = filesPerPart * parts;
	log(`building the search tree: ${total} files from ${pool.length} installed package files (once; cached in ${root})`);
	let bytes = 0;
	const partRoots: string[] = [];
	for (let index = 0; index < total; index++) {
		const part = Math.floor(index / filesPerPart);
		const copy = Math.floor(index / pool.length);
		const { dir, file } = pool[index % pool.length];
		// 'node_modules' would be skipped by search_text's default exclude; renamed so every file is searched.
		const relative = `c${copy}-${path.basename(path.dirname(dir))}/${file}`.replace(/(^|\/)node_modules(?=\/)/g, '$1deps');
		const partRoot = path.join(root, partName(part));
		if (partRoots[part] === undefined) partRoots[part] = partRoot;
		const target = path.join(partRoot, relative);
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.copyFileSync(path.join(dir, file), target);
		bytes += fs.statSync(target).size;
		if (index % 10_000 === 0 && index > 0) log(`  ${index} files copied`);
	}
	for (const partRoot of partRoots) {
		for (let n = 0; n < 5; n++) fs.writeFileSync(path.join(partRoot, `needle-${n}.txt`), `a line with the ${needle} in it (${n})\n`);
	}
	const tree: SearchTree = { root, partRoots, files: total + parts * 5, bytes };
	fs.writeFileSync(stamp, JSON.stringify({ version, files: tree.files, bytes: tree.bytes }));
	return tree;
}
