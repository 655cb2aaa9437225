// `switchboard chat`: one conversation through the agent loop, printed for a person or as JSON.
import { runAgentLoop } from '../chat/agentLoop';
import type { ChatOptions } from './args';
import { cliApprovalHook, type Terminal } from './cliApproval';
import { describeError, humanRenderer, scrubbing, toJsonDocument, type Sink } from './output';
import { PromptCancelled, readPrompt, type PromptInput } from './prompt';
import { buildProvider, buildTools } from './setup';

export interface CliIo {
	stdout: Sink;
	stderr: Sink;
	env: NodeJS.ProcessEnv;
	terminal: Terminal;
	stdin: PromptInput;
	signal: AbortSignal;
}

/** Runs the conversation; returns the exit code (see `usage`: 0 finished, 1 error, 2 usage, 130 interrupted). */
export async function runChat(options: ChatOptions, io: CliIo): Promise<number> {
	const { provider, model, apiKeyEnv, secretEnv, secrets } = buildProvider(options, io.env);
	const stdout = scrubbing(io.stdout, secrets);
	const stderr = scrubbing(io.stderr, secrets);
	const { registry, workspace } = buildTools(options, io.env, secretEnv);
	let prompt;
	try {
		prompt = await readPrompt(options.prompt, io.stdin, io.signal);
	} catch (error) {
		if (error instanceof PromptCancelled) return 130;
		throw error;
	}
	// Standard input held the prompt, so it cannot also answer approval questions.
	const terminal = prompt.usedStdin ? { ...io.terminal, interactive: false } : io.terminal;
	const renderer = options.json ? undefined : humanRenderer(stdout, stderr);
	const result = await runAgentLoop({
		provider,
		model,
		system: options.system,
		messages: [{ role: 'user', content: [{ type: 'text', text: prompt.text }] }],
		registry,
		workspace,
		approve: cliApprovalHook(options.approve, terminal, (line) => stderr.write(`${line}\n`)),
		onEvent: renderer?.onEvent,
		signal: io.signal,
		maxSteps: options.maxSteps,
		toolChoice: options.toolChoice,
	});
	renderer?.finish();
	if (options.json) stdout.write(`${JSON.stringify(toJsonDocument(result), null, 2)}\n`);
	if (result.error) {
		stderr.write(`${describeError(result.error)}\n`);
		if (result.error.kind === 'auth' && !io.env[apiKeyEnv]?.trim() && !options.authCommand) {
			stderr.write(`No key was sent: set ${apiKeyEnv} (or pass --api-key-env VAR / --auth-command CMD).\n`);
		}
	}
	// The scrubbers hold back text that could begin a key split across writes; what is left is not one.
	stdout.flush();
	stderr.flush();
	return result.error === null ? 0 : result.error.kind === 'aborted' ? 130 : 1;
}
