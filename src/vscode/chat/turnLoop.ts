// What one chat turn sends the model: the system prompt, the history, the built-in, edit and MCP tools, and the
// context-window options of the conversation. Kept apart from the controller, which only routes and saves.
import * as vscode from 'vscode';
import { runAgentLoop, type AgentLoopResult } from '../../chat/agentLoop';
import type { ChatProvider } from '../../providers/types';
import type { ChatMessage } from '../../shared/chat';
import type { ModelRef } from '../../shared/protocol';
import { ToolRegistry } from '../../tools/registry';
import type { AnyTool, Workspace } from '../../tools/types';
import type { ChatTurn } from './chatTurn';
import { contextOptionsFor } from '../conversation/contextSettings';
import { appendCompaction, type ContextTracker } from '../conversation/contextTracker';
import type { Log } from '../log';
import { joinTools, type McpHost } from '../workspace/mcpHost';
import { readMaxSteps } from '../providers/settings';
import { buildToolset, localizeTools } from '../workspace/toolset';
import { vscodeLmTools } from '../lm/vscodeLmTools';
import type { TurnEdits } from '../edits/turnEdits';

export const SYSTEM_PROMPT = [
	'You are Switchboard, a coding assistant inside the user\'s editor (VS Code).',
	'Use the tools to look at the workspace before answering questions about it; paths are relative to the workspace folder.',
	'Each tool call may need the user\'s approval. If a call is denied, respect the reason and do not retry it unchanged.',
	'Answer in Markdown.',
].join(' ');

export interface TurnLoopDeps {
	log: Log;
	workspace: Workspace;
	tools?: () => AnyTool[];
	mcp: McpHost;
	edits: TurnEdits;
	contextTracker: ContextTracker;
}

export interface TurnLoopRun {
	provider: ChatProvider;
	ref: ModelRef;
	turn: ChatTurn;
	conversationId: string;
	/** The history up to and including the new user message; not modified. */
	messages: readonly ChatMessage[];
	/** Each message of the turn as it is added (completed steps are saved before the turn ends). */
	onMessage(message: ChatMessage): void;
	/** The context meter's new reading, for the panels. */
	onContext(view: ReturnType<ContextTracker['update']>): void;
}

export async function runTurnLoop(deps: TurnLoopDeps, run: TurnLoopRun): Promise<AgentLoopResult> {
	const { turn, conversationId } = run;
	// Other extensions' tools the user opted in join the MCP tools: a built-in tool keeps its name.
	const mcpTools = [...await deps.mcp.tools(turn.abort.signal), ...vscodeLmTools(deps.log)];
	const edits = deps.edits.forTurn(turn.turnId, turn.approve);
	return runAgentLoop({
		provider: run.provider,
		model: run.ref.model,
		system: SYSTEM_PROMPT,
		messages: run.messages,
		// Localized for the cards only: the model's texts stay English.
		registry: new ToolRegistry(localizeTools(joinTools([...(deps.tools?.() ?? buildToolset()), ...edits.tools], mcpTools, deps.log))),
		workspace: deps.workspace,
		approve: edits.approve,
		context: contextOptionsFor(run.ref.model, deps.contextTracker.calibration(conversationId), deps.contextTracker.summaries(conversationId)),
		onEvent: (event) => {
			if (event.type === 'context') {
				// The summary goes into the turn where it happened, so it is saved and survives a reload.
				const summary = deps.contextTracker.newSummary(conversationId, event);
				if (summary) {
					turn.flush();
					appendCompaction(turn.view, summary);
				}
				run.onContext(deps.contextTracker.update(conversationId, event));
			}
			turn.onEvent(event);
		},
		onMessage: run.onMessage,
		signal: turn.abort.signal,
		maxSteps: readMaxSteps(),
	});
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
