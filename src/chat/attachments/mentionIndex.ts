// The '@' picker's fuzzy search over the workspace's files and the folders that hold them. Built from the file
// list the file search already gives (ripgrep, so .gitignore applies; the VS Code adapter adds files.exclude); no
// walker of its own. Answers each keystroke from memory: a substring of the file name ranks first, then a
// substring of the path, then the characters in order (`ctrl` finds chatController.ts), shorter paths first.

export interface MentionCandidate {
	/** Workspace-relative, '/'-separated; a folder without its trailing '/'. */
	path: string;
	kind: 'file' | 'folder';
}

interface Entry {
	candidate: MentionCandidate;
	/** Lowercased path; folders end with '/'. */
	lower: string;
	/** Where the last segment (the file or folder name) starts in `lower`. */
	nameStart: number;
}

/** Ranks below this come from an in-order match; above, from a substring. */
const substringPath = 1_000;
const substringName = 2_000;

export class MentionIndex {
	private readonly entries: Entry[] = [];

	constructor(files: readonly string[]) {
		const folders = new Set<string>();
		for (const file of files) {
			this.entries.push(entry({ path: file, kind: 'file' }));
			for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1)) folders.add(file.slice(0, slash));
		}
		for (const folder of folders) this.entries.push(entry({ path: folder, kind: 'folder' }));
	}

	get size(): number {
		return this.entries.length;
	}

	/** The best `limit` matches for `query` (case-insensitive; spaces ignored); an empty query lists the shortest paths. */
	search(query: string, limit: number): MentionCandidate[] {
		const needle = query.toLowerCase().replace(/\s+/g, '');
		const best: Array<{ score: number; entry: Entry }> = [];
		for (const item of this.entries) {
			const score = needle === '' ? -item.lower.length : rank(item, needle);
			if (score === undefined) continue;
			if (best.length === limit && score <= best[best.length - 1].score) continue;
			// Insertion into a short sorted list: cheaper than sorting every match of a one-letter query.
			let at = best.length;
			while (at > 0 && best[at - 1].score < score) at--;
			best.splice(at, 0, { score, entry: item });
			if (best.length > limit) best.pop();
		}
		return best.map((item) => item.entry.candidate);
	}
}

function entry(candidate: MentionCandidate): Entry {
	const lower = candidate.path.toLowerCase() + (candidate.kind === 'folder' ? '/' : '');
	return { candidate, lower, nameStart: candidate.path.lastIndexOf('/') + 1 };
}

/** Higher is better; undefined when the query's characters do not all appear in order. */
function rank(item: Entry, needle: string): number | undefined {
	const { lower, nameStart } = item;
	const length = lower.length;
	const inName = lower.indexOf(needle, nameStart);
	if (inName !== -1) {
		const exact = inName === nameStart && (length === nameStart + needle.length || lower[nameStart + needle.length] === '.' || lower.endsWith('/')) ? 400 : 0;
		return substringName + exact + (inName === nameStart ? 200 : 0) - Math.min(length, 300);
	}
	const inPath = lower.indexOf(needle);
	if (inPath !== -1) return substringPath + (inPath === 0 || lower[inPath - 1] === '/' ? 100 : 0) - Math.min(length, 300);
	let from = 0;
	let previous = -2;
	let bonus = 0;
	for (let index = 0; index < needle.length; index++) {
		const at = lower.indexOf(needle[index], from);
		if (at === -1) return undefined;
		if (at === previous + 1) bonus += 6;
		if (at === 0 || isBoundary(lower.charCodeAt(at - 1))) bonus += 8;
		if (at >= nameStart) bonus += 3;
		previous = at;
		from = at + 1;
	}
	return Math.min(bonus, 600) - Math.min(length, 300);
}

/** '/', '.', '-', '_' and ' ' start a word in a path. */
function isBoundary(code: number): boolean {
	return code === 47 || code === 46 || code === 45 || code === 95 || code === 32;
}
