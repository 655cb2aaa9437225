// The project rule files in VS Code: which exist (src/chat/projectRules.ts reads them), which are on for each chat,
// and the chips that say so. `switchboard.rules.files` is read from user settings only: a workspace's own settings
// must not be able to put any file of the machine (a key, a token) into the prompt sent to a provider. In
// Restricted Mode the workspace's rules are listed but off until the user switches one on for the chat.
import * as vscode from 'vscode';
import { loadRuleFiles, rulesPrompt, type RuleFile } from '../../chat/projectRules';
import type { HostToWebview, RuleFileView } from '../../shared/protocol';
import type { Workspace } from '../../tools/types';
import type { Log } from '../log';

export interface ProjectRulesDeps {
	workspace: Workspace;
	log: Log;
	post(message: HostToWebview): void;
	conversationId(): string;
	/** Workspace trust (default: vscode.workspace.isTrusted, asked each time: trust can be granted later). */
	isTrusted?: () => boolean;
}

/** The user's extra rule files: user (global) settings only, whatever a workspace's settings say. */
export function userRuleFiles(): string[] {
	const value = vscode.workspace.getConfiguration('switchboard').inspect<unknown>('rules.files')?.globalValue;
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : [];
}

export class ProjectRulesHost implements vscode.Disposable {
	/** Per chat: the files the user switched on or off. */
	private readonly choices = new Map<string, Map<string, boolean>>();
	private files: RuleFile[] = [];
	private readonly subscriptions: vscode.Disposable[] = [];

	constructor(private readonly deps: ProjectRulesDeps) {
		const watcher = vscode.workspace.createFileSystemWatcher('**/{AGENTS.md,copilot-instructions.md}');
		const refresh = (): void => void this.post();
		this.subscriptions.push(
			watcher,
			watcher.onDidCreate(refresh),
			watcher.onDidChange(refresh),
			watcher.onDidDelete(refresh),
			vscode.workspace.onDidGrantWorkspaceTrust(refresh),
			vscode.workspace.onDidChangeWorkspaceFolders(refresh),
			vscode.workspace.onDidChangeConfiguration((event) => {
				if (event.affectsConfiguration('switchboard.rules.files')) refresh();
			}),
		);
	}

	/** Reads the rule files again and shows them in the panels. */
	async post(): Promise<void> {
		this.files = await this.load();
		this.deps.post({ type: 'rules', rules: this.views(this.deps.conversationId()) });
	}

	/** A chip's switch: for this chat only. */
	async toggle(path: string, active: boolean): Promise<void> {
		const id = this.deps.conversationId();
		const choices = this.choices.get(id) ?? new Map<string, boolean>();
		choices.set(path, active);
		this.choices.set(id, choices);
		this.deps.log.info(`Rule file ${path} switched ${active ? 'on' : 'off'} for this chat.`);
		await this.post();
	}

	/** The system prompt's rules section for this chat (read afresh: the file may have changed since). */
	async prompt(conversationId: string, signal: AbortSignal): Promise<string> {
		this.files = await this.load(signal);
		return rulesPrompt(this.files.filter((file) => this.isActive(conversationId, file.path)));
	}

	/** The absolute path of a listed rule file, so its chip can open it even outside the workspace. */
	absoluteOf(path: string): string | undefined {
		return this.files.find((file) => file.path === path)?.absolute;
	}

	views(conversationId: string): RuleFileView[] {
		return this.files.map((file) => {
			const active = this.isActive(conversationId, file.path);
			const view: RuleFileView = { path: file.path, active };
			if (!active && !this.trusted() && this.choices.get(conversationId)?.get(file.path) === undefined) view.restricted = true;
			if (file.omitted > 0) view.omitted = file.omitted;
			return view;
		});
	}

	dispose(): void {
		for (const subscription of this.subscriptions) subscription.dispose();
	}

	private isActive(conversationId: string, path: string): boolean {
		return this.choices.get(conversationId)?.get(path) ?? this.trusted();
	}

	private trusted(): boolean {
		return this.deps.isTrusted?.() ?? vscode.workspace.isTrusted;
	}

	private async load(signal = new AbortController().signal): Promise<RuleFile[]> {
		try {
			return await loadRuleFiles(this.deps.workspace, userRuleFiles(), signal);
		} catch (error) {
			this.deps.log.error('Reading the project rule files failed', error);
			return [];
		}
	}
}
