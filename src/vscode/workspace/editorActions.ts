// What the panel asks of the editor itself: open the settings, copy a code block, insert one where the cursor is.
import * as vscode from 'vscode';

export async function openSettings(setting: string | undefined): Promise<void> {
	await vscode.commands.executeCommand('workbench.action.openSettings', setting ?? 'switchboard');
}

export async function copyCode(code: string): Promise<void> {
	await vscode.env.clipboard.writeText(code);
}

/** A code block's Insert button: at every cursor of the active editor, else into a new untitled editor. */
export async function insertCode(code: string): Promise<void> {
	const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
	if (!editor) {
		// No editor to insert into: open the code in a new one rather than drop it.
		const document = await vscode.workspace.openTextDocument({ content: code });
		await vscode.window.showTextDocument(document);
		return;
	}
	await editor.edit((edit) => {
		for (const selection of editor.selections) edit.replace(selection, code);
	});
}
