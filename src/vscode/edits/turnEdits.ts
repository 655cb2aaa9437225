// Wires the write tools into a chat turn: edit_file and create_file over the VS Code EditPort, the turn's checkpoint
// before each write, and an approval hook that closes a proposal's diff editor once the user has decided.
import * as vscode from 'vscode';
import { approvalMode, type ApprovalHook, type ApprovalPolicy } from '../../chat/approvals';
import { createCreateFileTool } from '../../tools/createFile';
import { createEditFileTool } from '../../tools/editFile';
import type { AnyTool, Workspace } from '../../tools/types';
import { Checkpoints, type CheckpointHost } from '../conversation/checkpoints';
import { acquireProposedDocuments, VscodeEditPort } from './editApproval';

export interface TurnEditsHost extends CheckpointHost {
	workspace: Workspace;
	/** Read at each call, so a settings change applies at once. */
	policy(): ApprovalPolicy;
	error(message: string, error: unknown): void;
}

export interface TurnEditSession {
	tools: AnyTool[];
	/** The turn's approval hook, closing the diff of a write call once it is decided. */
	approve: ApprovalHook;
}

const writeTools = new Set(['edit_file', 'create_file']);

export class TurnEdits implements vscode.Disposable {
	readonly checkpoints: Checkpoints;
	private readonly proposed = acquireProposedDocuments();

	constructor(private readonly host: TurnEditsHost) {
		this.checkpoints = new Checkpoints(host);
	}

	forTurn(turnId: string, approve: ApprovalHook): TurnEditSession {
		const port = new VscodeEditPort({
			asks: (change) => approvalMode(this.host.policy(), change.toolName, { risk: 'write', summary: '', forcedReason: change.forcedReason }) === 'ask',
			beforeWrite: (change) => this.checkpoints.record(turnId, change),
		}, this.proposed.documents);
		const closePreview = async (input: unknown): Promise<void> => {
			const raw = (input as { path?: unknown } | null)?.path;
			if (typeof raw === 'string') await port.discard((await this.host.workspace.resolve(raw)).absolute);
		};
		return {
			// Restricted Mode offers read-only tools only (the manifest's untrustedWorkspaces says so).
			tools: vscode.workspace.isTrusted ? [createEditFileTool(port), createCreateFileTool(port)] : [],
			approve: async (request, signal) => {
				const decision = await approve(request, signal);
				// Approved or not, the question is answered: the change is applied (or not) in the file itself.
				if (writeTools.has(request.toolName)) await closePreview(request.input).catch((error: unknown) => this.host.error('Could not close the proposed change', error));
				return decision;
			},
		};
	}

	dispose(): void {
		this.proposed.release.dispose();
	}

	async undoTurn(turnId: string): Promise<void> {
		const problems = await this.checkpoints.undo(turnId);
		if (problems.length > 0) void vscode.window.showWarningMessage(vscode.l10n.t('Some files could not be restored: {0}', problems.join('; ')));
	}
}
