// The five-step loop of the seeds over any ChatProvider: send → stream → collect tool calls → validate and
// approve → run concurrently → send the results back → repeat until the model stops (or a limit is hit).
import { toProviderError } from '../providers/errors';
import type { ChatProvider, ToolChoice } from '../providers/types';
import type { AssistantMessage, ChatMessage, FinishReason, ToolMessage } from '../shared/chat';
import type { ToolCall } from '../shared/toolCall';
import { noWorkspace } from '../tools/noWorkspace';
import type { ToolRegistry } from '../tools/registry';
import type { Workspace } from '../tools/types';
import type { ApprovalHook, ApprovalPolicy } from './approvals';
import { ContextManager, type ContextOptions } from './context/contextManager';
import type { LoopErrorInfo, LoopEvent, StepRecord } from './loopEvents';
import { RepeatDetector } from './repeatDetector';
import { StepDraft } from './stepStream';
import { runCalls, type CallOutcome } from './toolRunner';

export interface AgentLoopOptions {
	provider: ChatProvider;
	model: string;
	system?: string;
	/** The conversation so far, ending with the new user message. Not modified. */
	messages: readonly ChatMessage[];
	registry: ToolRegistry;
	workspace?: Workspace;
	/** Read for each call (src/chat/approvals.ts decides from it); absent: every call asks. */
	policy?: () => ApprovalPolicy;
	/** Answers the calls that ask. */
	approve: ApprovalHook;
	onEvent?: (event: LoopEvent) => void;
	/** Cancels the stream, pending approvals (as denials) and running tools. */
	signal: AbortSignal;
	/** Model requests per turn (default 25). */
	maxSteps?: number;
	/** The same call this many steps in a row stops the loop (default 3). */
	repeatLimit?: number;
	/** 'required' and a named tool apply to the first step only, or the model could never stop. */
	toolChoice?: ToolChoice;
	maxOutputTokens?: number;
	temperature?: number;
	/** Context-window management: compact before a request that would not fit; one compacting retry on 'context-length'. */
	context?: ContextOptions;
	/** Each message as the turn adds it, so a caller can save completed steps before the turn ends. */
	onMessage?: (message: ChatMessage) => void;
}

export interface AgentLoopResult {
	steps: StepRecord[];
	/** The messages this turn added (assistant and tool messages), to append to the history. */
	messages: ChatMessage[];
	/** null when the model finished; otherwise why the turn stopped. */
	error: LoopErrorInfo | null;
}

export const defaultMaxSteps = 25;
/** pause_turn continuations in a row before the loop stops and leaves it to the user. */
export const maxPauses = 5;

export async function runAgentLoop(options: AgentLoopOptions): Promise<AgentLoopResult> {
	const emit = options.onEvent ?? (() => undefined);
	const maxSteps = options.maxSteps ?? defaultMaxSteps;
	const repeatLimit = options.repeatLimit ?? 3;
	const detector = new RepeatDetector(repeatLimit);
	const history: ChatMessage[] = [...options.messages];
	const added: ChatMessage[] = [];
	const steps: StepRecord[] = [];
	const append = (message: ChatMessage): void => {
		history.push(message);
		added.push(message);
		options.onMessage?.(message);
	};
	const end = (error: LoopErrorInfo | null): AgentLoopResult => ({ steps, messages: added, error });
	const runnerOptions = (step: number) => ({
		registry: options.registry,
		context: { workspace: options.workspace ?? noWorkspace, signal: options.signal },
		policy: options.policy,
		approve: options.approve,
		emit: (call: ToolCall) => emit({ type: 'call-update', step, call }),
	});
	const context = options.context
		? new ContextManager(options.context, { provider: options.provider, model: options.model, system: options.system, tools: options.registry.specs(), signal: options.signal })
		: undefined;

	let pauses = 0;
	for (let step = 1; ; step++) {
		emit({ type: 'step-start', step });
		const draft = new StepDraft(step, emit);
		const record = (finish: FinishReason, outcomes: CallOutcome[]): void => {
			const stepRecord: StepRecord = { text: draft.text, reasoning: draft.reasoning, toolCalls: outcomes.map((o) => o.record), finish, usage: draft.usage, warnings: [...draft.warnings] };
			steps.push(stepRecord);
			emit({ type: 'step-end', step, record: stepRecord });
		};
		try {
			for (let attempt = 1; ; attempt++) {
				await context?.fit(history, step, emit);
				const request = {
					model: options.model,
					system: options.system,
					messages: [...history],
					tools: options.registry.specs(),
					toolChoice: step === 1 ? options.toolChoice : laterToolChoice(options.toolChoice),
					maxOutputTokens: options.maxOutputTokens,
					temperature: options.temperature,
				};
				try {
					for await (const event of options.provider.stream(request, options.signal)) draft.apply(event);
					break;
				} catch (thrown) {
					// Too long for the model: compact and retry once; nothing of the refused response arrived.
					const retry = context !== undefined && attempt === 1 && !draft.receivedContent && context.overflowed(toProviderError(thrown, options.signal));
					if (!retry) throw thrown;
				}
			}
			context?.observe(draft.usage);
		} catch (thrown) {
			// Keep what arrived (the UI shows it marked interrupted); calls of a failed response never run.
			const error = toProviderError(thrown, options.signal);
			draft.closeCalls('the response was interrupted', true);
			record(draft.receivedContent ? 'interrupted' : 'error', await runCalls(draft.calls, runnerOptions(step)));
			if (draft.text || draft.reasoning) append(assistantMessage(draft, false));
			return end(error.toInfo());
		}
		if (draft.finish === undefined) {
			draft.closeCalls('the response ended without a finish reason', true);
			record('interrupted', await runCalls(draft.calls, runnerOptions(step)));
			if (draft.text || draft.reasoning) append(assistantMessage(draft, false));
			return end({ kind: 'interrupted', message: 'The response ended without a finish reason.', retryable: true });
		}
		draft.closeCalls('the response ended before the call was complete', false);

		if (draft.finish === 'refusal') {
			// The model declined: nothing it asked for in that message runs; what it wrote stays, marked declined.
			record('refusal', await runCalls(draft.calls, runnerOptions(step), 'not run, because the model declined to continue (refusal) in the same message.'));
			const message = assistantMessage(draft, false);
			if (message.content.length > 0) append(message);
			return end({ kind: 'refusal', message: 'The model declined to answer (stop reason "refusal"); none of its tool calls were run.', retryable: false });
		}

		if (draft.finish === 'pause_turn') {
			// A long server-tool turn paused: send it back as it is so the provider continues it, a bounded number of times.
			pauses++;
			if (pauses <= maxPauses) draft.apply({ type: 'warning', message: `The provider paused its turn (pause_turn); sent it back to continue (${pauses} of at most ${maxPauses}).` });
			record('pause_turn', []);
			const message = assistantMessage(draft, false);
			if (message.content.length > 0) append(message);
			if (pauses > maxPauses) return end({ kind: 'paused', message: `The provider paused its turn ${pauses} times in a row (pause_turn); stopped. Send a message to let it continue.`, retryable: true });
			if (options.signal.aborted) return end(toProviderError(new Error('aborted'), options.signal).toInfo());
			if (step >= maxSteps) return end({ kind: 'step-cap', message: `Stopped after ${maxSteps} steps (the step cap); the provider had paused its turn.`, retryable: false });
			continue;
		}
		pauses = 0;

		if (draft.calls.length === 0) {
			record(draft.finish, []);
			const message = assistantMessage(draft, false);
			if (message.content.length > 0) append(message);
			return end(stopError(draft.finish));
		}

		const complete = draft.calls.flatMap((call) => call.state === 'parsed' ? [{ toolName: call.toolName, input: call.input }] : []);
		const repeated = detector.record(complete);
		const refusal = repeated
			? `not run, because ${repeated} was called with the same arguments ${repeatLimit} times in a row and the conversation was stopped.`
			: undefined;
		const outcomes = await runCalls(draft.calls, runnerOptions(step), refusal);
		append(assistantMessage(draft, true));
		append(toolMessage(outcomes));
		record(draft.finish, outcomes);

		if (repeated) return end({ kind: 'repeated-call', message: `Stopped: the model called ${repeated} with the same arguments ${repeatLimit} times in a row.`, retryable: false });
		if (options.signal.aborted) return end(toProviderError(new Error('aborted'), options.signal).toInfo());
		if (step >= maxSteps) return end({ kind: 'step-cap', message: `Stopped after ${maxSteps} steps (the step cap); the model was still calling tools.`, retryable: false });
	}
}

function laterToolChoice(choice: ToolChoice | undefined): ToolChoice | undefined {
	return choice === 'auto' || choice === 'none' ? choice : undefined;
}

/** A step without tool calls ends the turn: fine when the model stopped, an error when it was cut off. */
function stopError(finish: FinishReason): LoopErrorInfo | null {
	switch (finish) {
		case 'length':
			return { kind: 'truncated', message: 'The response was cut off at the output token limit.', retryable: false };
		case 'content_filter':
			return { kind: 'content-filter', message: 'The provider stopped the response with its content filter.', retryable: false };
		case 'error':
		case 'interrupted':
			return { kind: 'interrupted', message: `The response ended with finish reason '${finish}'.`, retryable: true };
		default:
			return null;
	}
}

function assistantMessage(draft: StepDraft, withCalls: boolean): AssistantMessage {
	const content: AssistantMessage['content'] = [...draft.allReasoningParts()];
	// The provider's own blocks (server tools) sit where they came, between pieces of the text.
	let from = 0;
	for (const { at, block } of draft.providerBlocks) {
		if (at > from) content.push({ type: 'text', text: draft.text.slice(from, at) });
		content.push({ type: 'provider-block', protocol: 'anthropic', block });
		from = at;
	}
	if (draft.text.length > from) content.push({ type: 'text', text: draft.text.slice(from) });
	if (withCalls) {
		for (const call of draft.calls) {
			// Unparseable or cut-off arguments are replayed as {} so the provider accepts the history.
			const input = call.state === 'parsed' ? call.input : {};
			content.push({ type: 'tool-call', id: call.callId, providerId: call.providerId, toolName: call.toolName, input, ...(call.extra && { extra: call.extra }) });
		}
	}
	return { role: 'assistant', content };
}

function toolMessage(outcomes: readonly CallOutcome[]): ToolMessage {
	return {
		role: 'tool',
		content: outcomes.map((o) => ({ type: 'tool-result', callId: o.record.callId, toolName: o.record.name, output: o.output })),
	};
}
