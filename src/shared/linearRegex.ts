// Regular expressions that a model, a repository or a settings file chose are run by RE2 (re2js, a port of
// Google's RE2): matching time is linear in the input, so no pattern can make the extension host or the CLI spin
// the way a backtracking engine does on `^(\w+\s?)*$`. The dialect is RE2's, the same family as ripgrep's default
// engine: no lookaround, no backreferences. Pure JavaScript: the tools and the context-window settings use it.
import type * as Re2js from 're2js';

// The bundle's CommonJS require (esbuild bundles what it names); declared here because src/shared also compiles
// under the webview's tsconfig, which has no Node types. Nothing in the webview calls compileLinear.
declare const require: (id: 're2js') => typeof Re2js;

let engine: typeof Re2js | undefined;

/** re2js, loaded on first use: evaluating it builds its Unicode tables (about 70 ms), too slow for activation. */
function re2(): typeof Re2js {
	engine ??= require('re2js');
	return engine;
}

/** A compiled pattern; `test` finds a match anywhere in `text` (anchors in the pattern still apply). */
export interface LinearRegex {
	test(text: string): boolean;
}

export class LinearRegexError extends Error {
	override readonly name = 'LinearRegexError';
}

/** Longest pattern accepted; RE2 also refuses programs that would be too large (nested repeats). */
export const maxPatternLength = 4096;

/** Compiles `source` with RE2; throws LinearRegexError with RE2's own words and what the dialect lacks. */
export function compileLinear(source: string, options: { caseInsensitive?: boolean } = {}): LinearRegex {
	if (source.length > maxPatternLength) {
		throw new LinearRegexError(`the pattern is too long (${source.length} characters; at most ${maxPatternLength}).`);
	}
	const { RE2JS, RE2JSException } = re2();
	try {
		const compiled = RE2JS.compile(source, options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
		return { test: (text) => compiled.test(text) };
	} catch (error) {
		if (!(error instanceof RE2JSException)) throw error;
		throw new LinearRegexError(`${error.message}. Patterns use RE2 syntax (as ripgrep does): lookaround and backreferences are not supported.`);
	}
}

/** `text` as a pattern that matches it literally. */
export function quoteLinear(text: string): string {
	return re2().RE2JS.quote(text);
}
