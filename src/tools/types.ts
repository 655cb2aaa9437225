// A tool is one object: model-facing schema, validation, approval and handler. No 'vscode' here: the editor is
// reached through the Workspace port (src/vscode/ implements it; src/tools/nodeWorkspace.ts does for the CLI).
import type { ToolOutput } from '../shared/chat';
import type { Risk, ToolProgress } from '../shared/toolCall';
import type { Phrase } from './phrases';

// Defined with the call record they describe; re-exported because every tool names them.
export type { Risk, ToolProgress };

/** A path resolved against the workspace folders. */
export interface ResolvedPath {
	/** Absolute file-system path after resolving `..` and symlinks (as far as they exist). */
	absolute: string;
	/** Relative to its workspace folder, '/'-separated; the absolute path when outside. */
	display: string;
	inside: boolean;
	/** Why this path always asks, whatever the policy: it (or a spelling or link of it) is a protected path. */
	protectedReason?: string;
	/** The same reason as a kind, for the user's language. */
	protectedKind?: ProtectedKind;
	/** The protected-path pattern that matched (src/tools/protectedPaths.ts). */
	protectedPattern?: string;
}

export type ProtectedKind = 'git' | 'vscode-settings' | 'code-workspace' | 'pattern' | 'short-name' | 'hard-link';

export interface DirectoryEntry {
	name: string;
	type: 'file' | 'directory' | 'symlink' | 'other';
}

export interface SearchMatch {
	path: string;
	line: number;
	text: string;
}

export interface SearchOptions {
	query: string;
	isRegex: boolean;
	caseSensitive: boolean;
	include?: string;
	exclude?: string;
	maxResults: number;
}

export interface ReadResult {
	text: string;
	/** True when the file was longer than the cap. */
	truncated: boolean;
	/** Total size in bytes, when known. */
	size?: number;
	/** True when the text came from an editor's unsaved buffer. */
	fromEditor?: boolean;
	/** The encoding to write the text back in (src/tools/textEncoding.ts); absent: UTF-8. */
	encoding?: string;
	/** Set when the text is not exactly the file's bytes (not valid in its encoding): why. Rewriting it would damage it. */
	inexact?: string;
}

/** The workspace as the tools see it. */
export interface Workspace {
	readonly folders: readonly string[];
	resolve(path: string): Promise<ResolvedPath>;
	/** Throws ToolError('binary') for binary files; reads at most maxBytes (never the whole of a huge file). */
	readText(path: ResolvedPath, maxBytes: number, signal: AbortSignal): Promise<ReadResult>;
	listDirectory(path: ResolvedPath, signal: AbortSignal): Promise<DirectoryEntry[]>;
	findFiles(glob: string, maxResults: number, signal: AbortSignal): Promise<string[]>;
	searchText(options: SearchOptions, signal: AbortSignal): Promise<{ matches: SearchMatch[]; limitHit: boolean }>;
}

export type ToolErrorReason = 'invalid-arguments' | 'not-found' | 'binary' | 'outside-workspace' | 'too-large' | 'failed' | 'cancelled';

/** Thrown by handlers; its message goes back to the model as an error result it can act on. */
export class ToolError extends Error {
	override readonly name = 'ToolError';
	constructor(readonly reason: ToolErrorReason, message: string) {
		super(message);
	}
}

/** What a call needs decided before it runs. `forced` asks even when the policy auto-approves. */
export interface ApprovalInfo {
	risk: Risk;
	/** One line for the card: "Read src/app.ts lines 1–80". */
	summary: string;
	/** Set when the call must ask whatever the policy (outside the workspace, protected paths). */
	forcedReason?: string;
	/** `summary` and `forcedReason` as phrases a UI can translate (src/tools/phrases.ts); the strings are English. */
	summaryPhrase?: Phrase;
	forcedPhrase?: Phrase;
	/** What exactly will run when the summary cannot say it all: the command line of a task. */
	detail?: string;
	/** `detail` as a phrase, when it is a sentence rather than a command line. */
	detailPhrase?: Phrase;
}

export interface ToolContext {
	readonly workspace: Workspace;
	readonly signal: AbortSignal;
	/** Set while a call runs, so a UI can show the tool's own progress. */
	readonly onProgress?: (progress: ToolProgress) => void;
}

export interface Tool<I = unknown> {
	/** Model-facing verb_noun name. */
	readonly name: string;
	readonly description: string;
	/** The single source of truth for the arguments; validated before parse(). */
	readonly inputSchema: Record<string, unknown>;
	readonly risk: Risk;
	/** Turns schema-valid arguments into the handler's input; throws ToolError('invalid-arguments'). */
	parse(raw: unknown): I;
	/** What the call needs decided: its risk, its summary, whether it must ask. No side effects: nothing is shown. */
	approval(input: I, context: ToolContext): Promise<ApprovalInfo>;
	/**
	 * Shows what the call would do while the user decides (edit_file: a diff editor). Called by a front end only
	 * for a call that asks, and only if it can show it; the returned preview is closed once the call is decided.
	 */
	preview?(input: I, context: ToolContext): Promise<Preview | undefined>;
	invoke(input: I, context: ToolContext): Promise<ToolOutput>;
	/** Where the tool comes from: 'mcp' tools (a server the user configured) may be always allowed whatever their risk. */
	readonly origin?: 'mcp' | 'vscode';
}

/** Something a tool opened to show a proposed call, closed when the call is decided. */
export interface Preview {
	close(): Promise<void>;
}

/** A tool with its input type erased, for registries. Safe because parse() produces the input invoke() takes. */
export type AnyTool = Tool<unknown>;

export function defineTool<I>(tool: Tool<I>): AnyTool {
	return tool as unknown as AnyTool;
}
