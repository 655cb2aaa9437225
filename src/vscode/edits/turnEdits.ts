// Wires the write tools into a chat turn: edit_file and create_file over the VS Code EditPort (a diff editor while a
// call asks, a WorkspaceEdit when it runs) and the turn's checkpoint before each write.
import * as vscode from 'vscode';
import { createCreateFileTool } from '../../tools/createFile';
import { createEditFileTool } from '../../tools/editFile';
import type { AnyTool } from '../../tools/types';
import { Checkpoints, type CheckpointHost } from '../conversation/checkpoints';
import { acquireProposedDocuments, VscodeEditPort } from './editApproval';

export class TurnEdits implements vscode.Disposable {
	readonly checkpoints: Checkpoints;
	private readonly proposed = acquireProposedDocuments();

	constructor(host: CheckpointHost) {
		this.checkpoints = new Checkpoints(host);
	}

	/** The write tools of one turn; Restricted Mode offers read-only tools only (the manifest's untrustedWorkspaces says so). */
	forTurn(turnId: string): AnyTool[] {
		if (!vscode.workspace.isTrusted) return [];
		const port = new VscodeEditPort({ beforeWrite: (change) => this.checkpoints.record(turnId, change) }, this.proposed.documents);
		return [createEditFileTool(port), createCreateFileTool(port)];
	}

	dispose(): void {
		this.proposed.release.dispose();
	}

	async undoTurn(turnId: string): Promise<void> {
		const problems = await this.checkpoints.undo(turnId);
		if (problems.length > 0) void vscode.window.showWarningMessage(vscode.l10n.t('Some files could not be restored: {0}', problems.join('; ')));
	}
}
