// Runs one step's tool calls: validate the arguments against the tool's schema, decide each call's approval (once,
// here: decideApproval), ask the hook for the calls that ask, invoke the approved ones concurrently. Every call ends
// with an output the model can act on, in call order, and each change of a call is emitted as its ToolCall record.
import type { ToolOutput } from '../shared/chat';
import { argumentsText, outputText, resultView, type ToolCall, type ToolCallEnd } from '../shared/toolCall';
import type { ToolRegistry } from '../tools/registry';
import { formatIssues, validateSchema } from '../tools/schema';
import { ToolError, type AnyTool, type ApprovalInfo, type ToolContext, type ToolProgress } from '../tools/types';
import { decideApproval, defaultApprovalPolicy, type ApprovalHook, type ApprovalPolicy } from './approvals';
import type { ToolCallRecord } from './loopEvents';
import type { DraftCall } from './stepStream';

export interface ToolRunnerOptions {
	registry: ToolRegistry;
	context: ToolContext;
	/** Read for each call, so a change ("Always allow") applies to the next one. Absent: every call asks. */
	policy?: () => ApprovalPolicy;
	/** Answers the calls that ask (the policy's decision is 'ask'). */
	approve: ApprovalHook;
	emit: (call: ToolCall) => void;
}

export interface CallOutcome {
	record: ToolCallRecord;
	/** What goes back to the model in the tool message. */
	output: ToolOutput;
}

/**
 * Settles every call of a step concurrently; the outcomes keep the calls' order. With `refusal` set (the loop is
 * stopping) valid calls are not run but answered with it.
 */
export function runCalls(calls: readonly DraftCall[], options: ToolRunnerOptions, refusal?: string): Promise<CallOutcome[]> {
	return Promise.all(calls.map((call) => settle(call, options, refusal)));
}

type Ending = Extract<ToolCall, { state: ToolCallEnd }>;
type Finish = (input: unknown, output: ToolOutput, card: Ending) => CallOutcome;

/** The card's fields known so far: the tool's own summary, detail and risk once it has looked at the arguments. */
function cardBase(call: DraftCall, args: string, info?: ApprovalInfo): Pick<ToolCall, 'callId' | 'toolName' | 'summary' | 'detail' | 'risk' | 'argumentsText'> {
	return {
		callId: call.callId,
		toolName: call.toolName,
		summary: info?.summary ?? call.toolName,
		...(info?.detail ? { detail: info.detail } : {}),
		...(info ? { risk: info.risk } : {}),
		argumentsText: args,
	};
}

async function settle(call: DraftCall, options: ToolRunnerOptions, refusal: string | undefined): Promise<CallOutcome> {
	const finish: Finish = (input, output, card) => {
		options.emit(card);
		return { record: { callId: call.callId, id: call.providerId, name: call.toolName, arguments: input, status: card.state, result: resultOf(output) }, output };
	};
	switch (call.state) {
		case 'streaming':
		case 'incomplete': {
			const message = call.state === 'incomplete' ? call.message : `The call to ${call.toolName} never completed, so it was not run.`;
			return finish(call.rawInput, { type: 'error-text', value: message }, { ...cardBase(call, call.rawInput), state: 'incomplete', message });
		}
		case 'invalid':
			return finish(call.rawInput, { type: 'error-text', value: call.message }, { ...cardBase(call, call.rawInput), state: 'invalid', message: call.message });
		case 'parsed':
			break;
	}
	const input = call.input;
	const invalid = (message: string): CallOutcome =>
		finish(input, { type: 'error-text', value: message }, { ...cardBase(call, argumentsText(input)), state: 'invalid', message });
	const tool = options.registry.get(call.toolName);
	if (!tool) {
		const names = options.registry.list().map((t) => t.name).join(', ') || 'none';
		return invalid(`There is no tool named '${call.toolName}'. Available tools: ${names}.`);
	}
	const issues = validateSchema(tool.inputSchema, input);
	if (issues.length > 0) {
		return invalid(`Invalid arguments for ${tool.name}, so it was not run:\n${formatIssues(issues)}\nFix the arguments and call it again.`);
	}
	let parsed: unknown;
	try {
		parsed = tool.parse(input);
	} catch (error) {
		return invalid(`Invalid arguments for ${tool.name}, so it was not run: ${messageOf(error)}`);
	}
	if (refusal) {
		return finish(input, { type: 'denied', reason: refusal }, { ...cardBase(call, argumentsText(input)), state: 'denied', reason: refusal });
	}
	return approveAndRun(tool, parsed, call, options, finish);
}

async function approveAndRun(tool: AnyTool, parsed: unknown, call: DraftCall & { state: 'parsed' }, options: ToolRunnerOptions, finish: Finish): Promise<CallOutcome> {
	const { input } = call;
	const args = argumentsText(input);
	let info: ApprovalInfo;
	try {
		info = await tool.approval(parsed, options.context);
	} catch (error) {
		const message = `${tool.name} failed before running: ${messageOf(error)}`;
		return finish(input, { type: 'error-text', value: message }, { ...cardBase(call, args), state: 'error', result: resultView(message) });
	}
	const base = cardBase(call, args, info);
	const failed = (message: string): CallOutcome => finish(input, { type: 'error-text', value: message }, { ...base, state: 'error', result: resultView(message) });
	// The one place a call's approval is decided; an auto-approved call goes straight to running (no button flashes).
	const approval = decideApproval(options.policy?.() ?? defaultApprovalPolicy, tool, info);
	if (approval.mode === 'ask') {
		options.emit({ ...base, state: 'awaiting-approval', approval });
		const preview = tool.preview && (() => tool.preview?.(parsed, options.context) ?? Promise.resolve(undefined));
		const decision = await options.approve({ callId: call.callId, providerId: call.providerId, toolName: call.toolName, input, info, approval, ...(preview ? { preview } : {}) }, options.context.signal);
		if (!decision.approved) return finish(input, { type: 'denied', reason: decision.reason }, { ...base, state: 'denied', reason: decision.reason });
	}
	options.emit({ ...base, state: 'running' });
	let running = true;
	// A progress report arriving after the result must not turn the card back to running.
	const onProgress = (progress: ToolProgress): void => {
		if (running) options.emit({ ...base, state: 'running', progress });
	};
	try {
		const output = await tool.invoke(parsed, { ...options.context, onProgress }).finally(() => (running = false));
		if (output.type === 'error-text') return failed(output.value);
		return finish(input, output, { ...base, state: 'done', result: resultView(outputText(output)) });
	} catch (error) {
		return failed(error instanceof ToolError ? error.message : `${tool.name} failed: ${messageOf(error)}`);
	}
}

/** The CLI's `result`: the text or JSON the tool returned, or the message the model was given instead. */
function resultOf(output: ToolOutput): unknown {
	switch (output.type) {
		case 'text':
		case 'json':
		case 'error-text':
			return output.value;
		case 'denied':
			return output.reason ? `Denied: ${output.reason}` : 'Denied.';
	}
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
