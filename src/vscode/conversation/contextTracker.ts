// Per conversation, what context management carries from turn to turn: the token calibration, the summaries
// already written (so the next turn does not ask the model again) and the meter's last reading. Pure: no 'vscode'.
import type { CompactionSummary } from '../../chat/context/compaction';
import { SummaryCache } from '../../chat/context/summaryCache';
import { TokenCalibration } from '../../chat/context/tokenEstimate';
import type { LoopEvent } from '../../chat/loopEvents';
import type { ContextSummaryView, ContextView, TurnView } from '../../shared/protocol';

type ContextEvent = Extract<LoopEvent, { type: 'context' }>;

export class ContextTracker {
	private readonly calibrations = new Map<string, TokenCalibration>();
	private readonly caches = new Map<string, SummaryCache>();
	private readonly views = new Map<string, ContextView>();
	/** The text of the last summary newSummary() reported, per conversation. */
	private readonly shown = new Map<string, string>();

	calibration(conversationId: string): TokenCalibration {
		let calibration = this.calibrations.get(conversationId);
		if (!calibration) {
			calibration = new TokenCalibration();
			this.calibrations.set(conversationId, calibration);
		}
		return calibration;
	}

	summaries(conversationId: string): SummaryCache {
		let cache = this.caches.get(conversationId);
		if (!cache) {
			cache = new SummaryCache();
			this.caches.set(conversationId, cache);
		}
		return cache;
	}

	/** The meter's reading after `event`; the latest summary stays until a later compaction replaces it. */
	update(conversationId: string, event: ContextEvent): ContextView {
		const previous = this.views.get(conversationId);
		const summary = event.compaction?.summary;
		const view: ContextView = { usedTokens: event.usedTokens, windowTokens: event.windowTokens };
		if (summary) view.summary = summaryView(summary);
		else if (previous?.summary) view.summary = previous.summary;
		if (event.compaction?.elidedToolResults) view.elidedToolResults = event.compaction.elidedToolResults;
		this.views.set(conversationId, view);
		return view;
	}

	/**
	 * The summary `event` brought that the conversation has not shown before: the transcript shows it where the
	 * compaction happened. A summary reused from the cache on a later turn is not new.
	 */
	newSummary(conversationId: string, event: ContextEvent): ContextSummaryView | undefined {
		const summary = event.compaction?.summary;
		if (!summary || this.shown.get(conversationId) === summary.text) return undefined;
		this.shown.set(conversationId, summary.text);
		return summaryView(summary);
	}

	view(conversationId: string): ContextView | undefined {
		return this.views.get(conversationId);
	}

	forget(conversationId: string): void {
		this.calibrations.delete(conversationId);
		this.caches.delete(conversationId);
		this.views.delete(conversationId);
		this.shown.delete(conversationId);
	}
}

function summaryView(summary: CompactionSummary): ContextSummaryView {
	return { text: summary.text, replacedCount: summary.replacedCount, byModel: summary.byModel };
}

/** Marks where the conversation was compacted in the host's copy of the turn, as the webview does on screen. */
export function appendCompaction(turn: Extract<TurnView, { role: 'assistant' }>, summary: ContextSummaryView): void {
	turn.segments.push({ kind: 'compaction', summary });
}
