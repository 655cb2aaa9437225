// Context-window management in VS Code: the settings (window sizes per model pattern, tokens kept for the answer),
// one token calibration per conversation, and what the panel's meter shows, kept so a reopened panel gets it too.
import * as vscode from 'vscode';
import type { ContextOptions } from '../chat/context/contextManager';
import { resolveContextWindow } from '../chat/context/contextWindows';
import { TokenCalibration } from '../chat/context/tokenEstimate';
import type { LoopEvent } from '../chat/loopEvents';
import type { ContextView } from '../shared/protocol';

export const defaultReserveOutputTokens = 4096;

/** `switchboard.contextWindows`: model-id pattern → tokens; entries that are not positive numbers are skipped. */
export function readContextWindows(): Record<string, number> {
	const raw = vscode.workspace.getConfiguration('switchboard').get<unknown>('contextWindows');
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
	return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0));
}

export function readReserveOutputTokens(): number {
	const value = vscode.workspace.getConfiguration('switchboard').get<unknown>('reserveOutputTokens');
	return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : defaultReserveOutputTokens;
}

/**
 * The loop's context options for `model`. The reserve is capped at half the window: a small window (a local
 * model, or a test) with the default reserve would leave no room for the conversation at all.
 */
export function contextOptionsFor(model: string, calibration: TokenCalibration): ContextOptions {
	const window = resolveContextWindow(model, readContextWindows()).tokens;
	const reserveOutput = Math.min(readReserveOutputTokens(), Math.floor(window / 2));
	return { window, reserveOutput, summarize: true, calibration };
}

type ContextEvent = Extract<LoopEvent, { type: 'context' }>;

/** Per conversation: the calibration carried from turn to turn, and the meter's last reading. */
export class ContextTracker {
	private readonly calibrations = new Map<string, TokenCalibration>();
	private readonly views = new Map<string, ContextView>();

	calibration(conversationId: string): TokenCalibration {
		let calibration = this.calibrations.get(conversationId);
		if (!calibration) {
			calibration = new TokenCalibration();
			this.calibrations.set(conversationId, calibration);
		}
		return calibration;
	}

	/** The meter's reading after `event`; the latest summary stays until a later compaction replaces it. */
	update(conversationId: string, event: ContextEvent): ContextView {
		const previous = this.views.get(conversationId);
		const summary = event.compaction?.summary;
		const view: ContextView = { usedTokens: event.usedTokens, windowTokens: event.windowTokens };
		if (summary) view.summary = { text: summary.text, replacedCount: summary.replacedCount, byModel: summary.byModel };
		else if (previous?.summary) view.summary = previous.summary;
		if (event.compaction?.elidedToolResults) view.elidedToolResults = event.compaction.elidedToolResults;
		this.views.set(conversationId, view);
		return view;
	}

	view(conversationId: string): ContextView | undefined {
		return this.views.get(conversationId);
	}

	forget(conversationId: string): void {
		this.calibrations.delete(conversationId);
		this.views.delete(conversationId);
	}
}
