// Context-window management in VS Code: the settings (window sizes per model pattern, tokens kept for the answer),
// and the loop's options per model. What is kept per conversation (calibration, summaries, the meter): contextTracker.ts.
import * as vscode from 'vscode';
import type { ContextOptions } from '../../chat/context/contextManager';
import { resolveContextWindow } from '../../chat/context/contextWindows';
import type { SummaryCache } from '../../chat/context/summaryCache';
import type { TokenCalibration } from '../../chat/context/tokenEstimate';

export { ContextTracker } from './contextTracker';

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
 * model, or a test) with the default reserve would leave no room for the conversation at all. `summaries` (the
 * conversation's, from ContextTracker) lets the next turn reuse a summary instead of asking the model again.
 */
export function contextOptionsFor(model: string, calibration: TokenCalibration, summaries?: SummaryCache): ContextOptions {
	const window = resolveContextWindow(model, readContextWindows()).tokens;
	const reserveOutput = Math.min(readReserveOutputTokens(), Math.floor(window / 2));
	return { window, reserveOutput, summarize: true, calibration, summaries };
}
