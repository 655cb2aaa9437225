// Runs one step's tool calls: validate the arguments against the tool's schema, ask the approval hook, invoke the
// approved ones concurrently. Every call ends with an output the model can act on, in call order.
import type { ToolOutput } from '../shared/chat';
import type { ToolRegistry } from '../tools/registry';
import { formatIssues, validateSchema } from '../tools/schema';
import { ToolError, type AnyTool, type ToolContext, type ToolProgress } from '../tools/types';
import type { ApprovalHook } from './approvals';
import type { CallStatus, CallView, ToolCallRecord } from './loopEvents';
import type { DraftCall } from './stepStream';

export interface ToolRunnerOptions {
	registry: ToolRegistry;
	context: ToolContext;
	approve: ApprovalHook;
	emit: (call: CallView) => void;
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

async function settle(call: DraftCall, options: ToolRunnerOptions, refusal: string | undefined): Promise<CallOutcome> {
	const identity = { callId: call.callId, providerId: call.providerId, toolName: call.toolName };
	const finish = (status: CallStatus, input: unknown, output: ToolOutput, view: CallView): CallOutcome => {
		options.emit(view);
		return { record: { callId: call.callId, id: call.providerId, name: call.toolName, arguments: input, status, result: resultOf(output) }, output };
	};
	switch (call.state) {
		case 'streaming':
		case 'incomplete': {
			const message = call.state === 'incomplete' ? call.message : `The call to ${call.toolName} never completed, so it was not run.`;
			return finish('incomplete', call.rawInput, { type: 'error-text', value: message }, { ...identity, state: 'incomplete', rawInput: call.rawInput, message });
		}
		case 'invalid-json':
			return finish('invalid', call.rawInput, { type: 'error-text', value: call.message }, { ...identity, state: 'invalid', input: call.rawInput, message: call.message });
		case 'complete':
			break;
	}
	const input = call.input;
	const invalid = (message: string): CallOutcome =>
		finish('invalid', input, { type: 'error-text', value: message }, { ...identity, state: 'invalid', input, message });
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
		return finish('denied', input, { type: 'denied', reason: refusal }, { ...identity, state: 'denied', input, reason: refusal });
	}
	return approveAndRun(tool, parsed, call, options, finish);
}

async function approveAndRun(
	tool: AnyTool,
	parsed: unknown,
	call: DraftCall & { state: 'complete' },
	options: ToolRunnerOptions,
	finish: (status: CallStatus, input: unknown, output: ToolOutput, view: CallView) => CallOutcome,
): Promise<CallOutcome> {
	const identity = { callId: call.callId, providerId: call.providerId, toolName: call.toolName };
	const { input } = call;
	const failed = (message: string, summary?: string): CallOutcome =>
		finish('error', input, { type: 'error-text', value: message }, { ...identity, state: 'error', input, summary, message });
	let info;
	try {
		info = await tool.approval(parsed, options.context);
	} catch (error) {
		return failed(`${tool.name} failed before running: ${messageOf(error)}`);
	}
	options.emit({ ...identity, state: 'awaiting-approval', input, approval: info });
	const decision = await options.approve({ ...identity, input, info }, options.context.signal);
	if (!decision.approved) {
		return finish('denied', input, { type: 'denied', reason: decision.reason }, { ...identity, state: 'denied', input, summary: info.summary, reason: decision.reason });
	}
	options.emit({ ...identity, state: 'running', input, summary: info.summary });
	let running = true;
	// A progress report arriving after the result must not turn the card back to running.
	const onProgress = (progress: ToolProgress): void => {
		if (running) options.emit({ ...identity, state: 'running', input, summary: info.summary, progress });
	};
	try {
		const output = await tool.invoke(parsed, { ...options.context, onProgress }).finally(() => (running = false));
		if (output.type === 'error-text') return failed(output.value, info.summary);
		return finish('done', input, output, { ...identity, state: 'done', input, summary: info.summary, output });
	} catch (error) {
		return failed(error instanceof ToolError ? error.message : `${tool.name} failed: ${messageOf(error)}`, info.summary);
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
