// Export Chat: the conversation as Markdown, saved where the user can find it again (never into the workspace,
// which may be a scratch folder deleted on close), confirmed with an action that opens the file.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatSurface } from '../chat/chatSurface';
import type { Log } from '../log';

/** globalState key: the folder of the last export, proposed again next time. */
export const LAST_EXPORT_FOLDER = 'switchboard.lastExportFolder';

async function isFolder(uri: vscode.Uri): Promise<boolean> {
	try {
		return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
	} catch {
		return false;
	}
}

/** The last export's folder while it still exists, else ~/Documents when there is one, else the home folder. */
async function defaultFolder(state: vscode.Memento): Promise<vscode.Uri> {
	const last = state.get<string>(LAST_EXPORT_FOLDER);
	if (last) {
		const uri = vscode.Uri.parse(last);
		if (await isFolder(uri)) return uri;
	}
	const documents = vscode.Uri.file(path.join(os.homedir(), 'Documents'));
	return (await isFolder(documents)) ? documents : vscode.Uri.file(os.homedir());
}

/** "switchboard-chat-2026-12-07.md": a name that says what and when, so exports of different days do not collide. */
export function exportFileName(now = new Date()): string {
	const pad = (value: number): string => String(value).padStart(2, '0');
	return `switchboard-chat-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.md`;
}

export async function exportChat(chat: ChatSurface, state: vscode.Memento, log: Log): Promise<void> {
	const markdown = chat.exportMarkdown();
	if (markdown === undefined) {
		void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard: there is no chat to export yet.'));
		return;
	}
	const folder = await defaultFolder(state);
	const target = await vscode.window.showSaveDialog({
		defaultUri: vscode.Uri.joinPath(folder, exportFileName()),
		filters: { Markdown: ['md'] },
		title: vscode.l10n.t('Export Chat as Markdown'),
	});
	if (!target) return;
	await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(markdown));
	await state.update(LAST_EXPORT_FOLDER, vscode.Uri.joinPath(target, '..').toString());
	log.info(`Chat exported to ${target.toString(true)}`);
	const open = vscode.l10n.t('Open');
	const where = target.scheme === 'file' ? target.fsPath : target.toString(true);
	// Not awaited: the command is done once the file is written; the notification may wait in the list for long.
	void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard: chat exported to {0}.', where), open).then(async (answer) => {
		if (answer === open) await vscode.window.showTextDocument(target, { preview: false });
	}, (error: unknown) => log.error('Opening the exported chat failed', error));
}
