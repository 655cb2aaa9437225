// What the tools tell the USER (a card's one-line summary, why a call always asks) as a template and arguments, so
// the VS Code adapter can show it in the display language (src/vscode/workspace/toolset.ts) while the CLI prints English.
// The English template is also the key of its translation in l10n/bundle.l10n.*.json. What the MODEL is told
// (results, errors, descriptions) stays English and is not here.

export const toolPhrases = {
	read: 'Read {0}',
	readFrom: 'Read {0} from line {1}',
	readLines: 'Read {0} lines {1}–{2}',
	list: 'List {0}',
	search: 'Search for {0}',
	searchIn: 'Search for {0} in {1}',
	findFiles: 'Find files matching {0}',
	diagnosticsWorkspace: 'Diagnostics for the workspace',
	diagnosticsFor: 'Diagnostics for {0}',
	listTasks: 'List tasks',
	runTask: 'Run task \'{0}\'',
	taskNotFound: 'No task has this label: nothing will run.',
	taskNoCommandLine: 'A {0} task without a command line: its extension runs it.',
	mcpTool: 'MCP {0}: {1}',
	vscodeTool: 'VS Code tool {0}',
	edit: 'Edit {0} ({1}, {2})',
	oneBlock: '1 block',
	blocks: '{0} blocks',
	lineDelta: '+{0} −{1} lines',
	create: 'Create {0} ({1})',
	overwrite: 'Overwrite {0} ({1})',
	outside: '{0} is outside the workspace folders',
	insideGit: '{0}: it is inside .git/',
	vscodeSettings: '{0}: it is a .vscode/*.json settings file',
	codeWorkspace: '{0}: it is a *.code-workspace file',
	protectedPattern: '{0}: it is a protected path ({1}); writing it can make code run',
	shortName: '{0}: a Windows short name (~N) may stand for a protected path',
} as const;

export type PhraseKey = keyof typeof toolPhrases;

/** A user-facing text: `toolPhrases[key]` with {0}, {1}, … filled by `args` (themselves phrases when translatable). */
export interface Phrase {
	key: PhraseKey;
	args: ReadonlyArray<string | number | Phrase>;
}

/** English template → the template to use (a translation keeps the placeholders). */
export type TemplateLookup = (englishTemplate: string) => string | undefined;

export function phrase(key: PhraseKey, ...args: Array<string | number | Phrase>): Phrase {
	return { key, args };
}

/** The phrase as text: in English, or through `lookup` (falling back to English for a template it lacks). */
export function formatPhrase(value: Phrase, lookup?: TemplateLookup): string {
	const english = toolPhrases[value.key];
	const template = lookup?.(english) ?? english;
	return template.replace(/\{(\d+)\}/g, (match, index: string) => {
		const arg = value.args[Number(index)];
		if (arg === undefined) return match;
		return typeof arg === 'object' ? formatPhrase(arg, lookup) : String(arg);
	});
}
