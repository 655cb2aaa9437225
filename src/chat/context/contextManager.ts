// The agent loop's side of context management: before each request compact what is sent when it would not fit,
// learn from the provider's reported usage, and after a "context length exceeded" make the one retry smaller.
import type { ChatProvider, ProviderError, ToolSpec } from '../../providers/types';
import type { ChatMessage, Usage } from '../../shared/chat';
import type { LoopEvent } from '../loopEvents';
import { compactToFit } from './compaction';
import { parseOverflow } from './contextWindows';
import { createModelSummarizer } from './summarizer';
import type { SummaryCache } from './summaryCache';
import { estimatePromptTokens, TokenCalibration } from './tokenEstimate';

export interface ContextOptions {
	/** The model's context window in tokens (see contextWindows.ts). */
	window: number;
	/** Tokens kept free for the response. */
	reserveOutput: number;
	/** Let the model summarize the oldest turns; otherwise they are left out with a note. */
	summarize: boolean;
	/** Recent turns that always stay whole (default 2). */
	keepTurns?: number;
	/** One per conversation, so what one turn learned about the tokenizer carries to the next. */
	calibration?: TokenCalibration;
	/** One per conversation, so the next turn reuses the summary instead of asking the model again. */
	summaries?: SummaryCache;
}

export interface ContextDeps {
	provider: ChatProvider;
	model: string;
	system?: string;
	tools: readonly ToolSpec[];
	signal: AbortSignal;
}

export class ContextManager {
	private readonly calibration: TokenCalibration;
	private window: number;
	/** Our raw estimate of the request last sent, to calibrate against the provider's count. */
	private lastRaw = 0;
	/** The context-length error the next `fit` must answer by making the request smaller. */
	private refused: ProviderError | undefined;

	constructor(private readonly options: ContextOptions, private readonly deps: ContextDeps) {
		this.calibration = options.calibration ?? new TokenCalibration();
		this.window = options.window;
	}

	/**
	 * Compacts `history` in place when the next request would not fit, then emits the `context` event with the
	 * prompt's estimated size. Replacing the history keeps a summary for the later steps of the turn. After
	 * `overflowed`, throws that error when nothing could be compacted.
	 */
	async fit(history: ChatMessage[], step: number, emit: (event: LoopEvent) => void): Promise<void> {
		const summarize = this.options.summarize
			? createModelSummarizer({ provider: this.deps.provider, model: this.deps.model, signal: this.deps.signal, window: this.window })
			: undefined;
		const result = await compactToFit({
			system: this.deps.system,
			tools: this.deps.tools,
			messages: history,
			window: this.window,
			reserveOutput: this.options.reserveOutput,
			keepTurns: this.options.keepTurns,
			calibration: this.calibration,
			summarize,
			signal: this.deps.signal,
			summaries: this.options.summaries,
		});
		const compacted = result.summary !== undefined || result.elidedToolResults > 0;
		const refused = this.refused;
		this.refused = undefined;
		// Resending the same request would only be refused again.
		if (refused && !compacted) throw refused;
		if (compacted) history.splice(0, history.length, ...result.messages);
		if (result.warning) emit({ type: 'warning', step, message: result.warning });
		this.lastRaw = estimatePromptTokens({ system: this.deps.system, tools: this.deps.tools, messages: history });
		emit({
			type: 'context', step, usedTokens: result.usedTokens, windowTokens: this.window,
			...compacted ? { compaction: { elidedToolResults: result.elidedToolResults, summary: result.summary } } : {},
		});
	}

	/** Calibrates the estimate with the provider's count for the request just sent. */
	observe(usage: Usage | null): void {
		if (usage) this.calibration.observe(usage.inputTokens, this.lastRaw);
	}

	/**
	 * The provider refused the last request as too long. Returns true when a compacting retry makes sense (the
	 * error is a context-length one); adjusts the estimate (and the window, when the provider named its limit) so
	 * the next `fit` compacts.
	 */
	overflowed(error: ProviderError): boolean {
		if (error.kind !== 'context-length') return false;
		const stated = parseOverflow(error.details.providerMessage ?? error.message);
		const reserve = this.options.reserveOutput;
		if (stated.limit !== undefined && stated.limit > reserve && stated.limit < this.window) this.window = stated.limit;
		// It counted a prompt our window says fits: the window setting is too large for this deployment.
		else if (stated.limit === undefined && stated.actual !== undefined && stated.actual + reserve <= this.window) {
			this.window = Math.max(reserve + 1, Math.floor(stated.actual * 0.9));
		}
		this.calibration.observeOverflow(this.lastRaw, this.window - this.options.reserveOutput, stated.actual);
		this.refused = error;
		return true;
	}
}
