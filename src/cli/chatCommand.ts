// `switchboard chat`: one conversation through the agent loop, printed for a person or as JSON.
import { runAgentLoop } from '../chat/agentLoop';
import type { ChatOptions } from './args';
import { cliApprovalHook, type Terminal } from './cliApproval';
import { describeError, escapeJsonControls, humanRenderer, redactAll, scrubbing, toJsonDocument, type Sink } from './output';
import { buildProvider, buildTools } from './setup';

export interface CliIo {
	stdout: Sink;
	stderr: Sink;
	env: NodeJS.ProcessEnv;
	terminal: Terminal;
	signal: AbortSignal;
}

/** Runs the conversation; returns the exit code (0 when the model finished). */
export async function runChat(options: ChatOptions, io: CliIo): Promise<number> {
	const { provider, secret, secrets } = buildProvider(options, io.env);
	const stdout = scrubbing(io.stdout, secrets);
	const stderr = scrubbing(io.stderr, secrets);
	const { registry, workspace } = buildTools(options, io.env);
	const renderer = options.json ? undefined : humanRenderer(stdout, stderr);
	const result = await runAgentLoop({
		provider,
		model: options.model,
		system: options.system,
		messages: [{ role: 'user', content: [{ type: 'text', text: options.prompt }] }],
		registry,
		workspace,
		approve: cliApprovalHook(options.approve, io.terminal, (line) => stderr.write(`${line}\n`), (text) => redactAll(text, secrets())),
		onEvent: renderer?.onEvent,
		signal: io.signal,
		maxSteps: options.maxSteps,
		toolChoice: options.toolChoice,
	});
	renderer?.finish();
	if (options.json) stdout.write(`${escapeJsonControls(JSON.stringify(toJsonDocument(result), null, 2))}\n`);
	if (result.error) {
		stderr.write(`${describeError(result.error)}\n`);
		if (result.error.kind === 'auth' && !secret && !options.authCommand) {
			stderr.write(`No key was sent: set ${options.apiKeyEnv} (or pass --api-key-env VAR / --auth-command CMD).\n`);
		}
	}
	// The scrubbers hold back text that could begin a key split across writes; what is left is not one.
	stdout.flush();
	stderr.flush();
	return result.error === null ? 0 : result.error.kind === 'aborted' ? 130 : 1;
}
