// Paths a tool may touch only after asking, whatever the approval policy: files whose content makes code run
// (hooks, CI, editor tasks, dev containers, direnv, package-manager config and manifests with scripts, build
// scripts). A path is protected when it, or a folder above it, matches a pattern; matching is case-folded and runs
// on the spelling Windows would open (see normalizeSegment), so an alias of a protected name is protected too.
import { compileGlob } from './glob';
import type { ProtectedKind } from './types';

/**
 * The default patterns, with the meaning of compileGlob: a pattern without '/' matches a name at any depth, one
 * with '/' matches from the folder root. A folder pattern covers everything below it.
 */
export const defaultProtectedPaths: readonly string[] = [
	// Version control: hooks and config run commands (core.fsmonitor, filters, hooks).
	'.git', '.gitmodules', '.gitattributes', '.hg', '.svn',
	'.husky', '.pre-commit-config.yaml', 'lefthook.yml', '.lefthook.yml',
	// CI workflows.
	'.github/workflows', '.github/actions', '.gitlab-ci.yml', '.circleci', '.travis.yml', 'azure-pipelines.yml',
	'bitbucket-pipelines.yml', '.buildkite', 'Jenkinsfile',
	// The editor: tasks (runOn folderOpen), launch configs, settings, extensions recommendations, workspace files.
	'.vscode', '*.code-workspace', '.devcontainer', '.devcontainer.json',
	// Environments loaded by the shell or tools.
	'.envrc', '.env', '.env.*',
	// Package managers and build tools whose config or manifest runs scripts.
	'package.json', '.npmrc', '.yarnrc', '.yarnrc.yml', '.yarn', '.pnpmfile.cjs', 'pnpm-workspace.yaml', 'bunfig.toml',
	'deno.json', 'deno.jsonc', 'pyproject.toml', 'setup.py', 'setup.cfg', 'tox.ini', 'noxfile.py', 'pip.conf',
	'Makefile', 'GNUmakefile', 'justfile', 'Taskfile.yml', 'build.rs', 'Cargo.toml', '.cargo', 'build.gradle',
	'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'gradlew', 'pom.xml', '.mvn', 'CMakeLists.txt',
	'Gemfile', 'Rakefile', 'composer.json',
];

export interface ProtectedPathsConfig {
	/** Patterns added to the defaults (any settings scope: adding only makes more calls ask). */
	extra?: readonly string[];
	/** Default patterns taken out (user scope only: a repository must not be able to narrow the list). */
	removed?: readonly string[];
}

export interface ProtectedMatch {
	kind: ProtectedKind;
	/** The pattern that matched ('*~N' for a Windows short name). */
	pattern: string;
}

/** The effective list, compiled once. */
export class ProtectedPaths {
	readonly patterns: readonly string[];
	private compiled: ReadonlyArray<{ pattern: string; matches: (relative: string) => boolean }> | undefined;

	constructor(config: ProtectedPathsConfig = {}) {
		const removed = new Set((config.removed ?? []).map(normalizePattern));
		const all = [...defaultProtectedPaths, ...(config.extra ?? [])].map((pattern) => pattern.trim()).filter((pattern) => pattern !== '');
		this.patterns = [...new Set(all)].filter((pattern) => !removed.has(normalizePattern(pattern)));
		// The user's own patterns are checked now, so a bad one is reported where it was given.
		for (const pattern of config.extra ?? []) if (pattern.trim() !== '') compileGlob(normalizePattern(pattern));
	}

	/** Compiled on the first match: a wildcard pattern loads the RE2 engine, too slow for the extension's activation. */
	private get matchers(): ReadonlyArray<{ pattern: string; matches: (relative: string) => boolean }> {
		this.compiled ??= this.patterns.map((pattern) => ({ pattern, matches: compileGlob(normalizePattern(pattern)) }));
		return this.compiled;
	}

	/** The first pattern a '/'- or '\\'-separated folder-relative path (or one of its folders) matches. */
	match(relative: string): ProtectedMatch | undefined {
		const segments = relative.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.').map(normalizeSegment);
		// A Windows 8.3 short name ('TASKS~1.JSO', 'VSCODE~1') can stand for any long name: treated as protected.
		if (segments.some((segment) => /~\d+(\.|$)/.test(segment))) return { kind: 'short-name', pattern: '*~N' };
		for (let end = segments.length; end > 0; end--) {
			const candidate = segments.slice(0, end).join('/');
			const found = this.matchers.find(({ matches }) => matches(candidate));
			if (found) return { kind: kindOf(found.pattern, segments), pattern: found.pattern };
		}
		return undefined;
	}
}

/** Default patterns that `removed` names but the list does not hold: likely a typo, reported to the user. */
export function unknownRemovals(removed: readonly string[]): string[] {
	const known = new Set(defaultProtectedPaths.map(normalizePattern));
	return removed.filter((pattern) => !known.has(normalizePattern(pattern)));
}

/**
 * A path segment as Windows opens it: NTFS ignores trailing dots and spaces ('tasks.json.' is 'tasks.json') and
 * reads 'name:stream' as a stream of 'name' ('tasks.json::$DATA' is the file itself); names are case-insensitive.
 * Done on every platform: it can only make more paths ask.
 */
export function normalizeSegment(segment: string): string {
	const colon = segment.indexOf(':');
	const name = colon > 0 ? segment.slice(0, colon) : segment;
	const trimmed = name.replace(/[. ]+$/, '');
	return (trimmed === '' ? name : trimmed).toLowerCase();
}

function normalizePattern(pattern: string): string {
	return pattern.trim().toLowerCase().replace(/\\/g, '/').replace(/\/+$/, '');
}

function kindOf(pattern: string, segments: readonly string[]): ProtectedKind {
	const normalized = normalizePattern(pattern);
	if (normalized === '.git') return 'git';
	if (normalized === '.vscode' && segments.length >= 2 && segments[segments.length - 2] === '.vscode' && segments[segments.length - 1].endsWith('.json')) return 'vscode-settings';
	if (normalized === '*.code-workspace') return 'code-workspace';
	return 'pattern';
}
