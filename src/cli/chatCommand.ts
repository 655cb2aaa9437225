// `switchboard chat`: one conversation through the agent loop, printed for a person or as JSON.
import * as path from 'node:path';
import { runAgentLoop } from '../chat/agentLoop';
import type { ChatProvider } from '../providers/types';
import type { ChatOptions } from './args';
import { cliApproval, type Terminal } from './cliApproval';
import { describeError, escapeJsonControls, humanRenderer, redactAll, scrubbing, toJsonDocument, type ScrubbingSink, type Sink } from './output';
import { readMcpFile, startMcp, type CliMcp } from './mcpSetup';
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
	const { provider, model, apiKeyEnv, secretEnv, secrets, config } = buildProvider(options, io.env);
	// --mcp-config wins over the config file's mcpServers, as a flag wins over the file everywhere else.
	const mcpConfig = options.mcpConfig ? await readMcpFile(options.mcpConfig, path.resolve(options.workspace ?? '.')) : config?.mcp;
	const held = (): readonly string[] => [...secrets(), ...(mcpConfig?.secrets ?? [])];
	const stdout = scrubbing(io.stdout, held);
	const stderr = scrubbing(io.stderr, held);
	let prompt;
	try {
		prompt = await readPrompt(options.prompt, io.stdin, io.signal);
	} catch (error) {
		if (error instanceof PromptCancelled) return 130;
		throw error;
	}
	const mcp = mcpConfig && await startMcp(mcpConfig.config, (line) => stderr.write(`[mcp] ${line}\n`), io.signal);
	try {
		// Standard input held the prompt, so it cannot also answer approval questions.
		const terminal = prompt.usedStdin ? { ...io.terminal, interactive: false } : io.terminal;
		return await converse({ options, io, terminal, provider, model, prompt: prompt.text, apiKeyEnv, secretEnv, held, stdout, stderr, mcp });
	} finally {
		// The servers stop with the conversation: a stdio server's process ends, an HTTP session is closed.
		await mcp?.close();
		// The scrubbers hold back text that could begin a key split across writes; what is left is not one.
		stdout.flush();
		stderr.flush();
	}
}

interface Conversation {
	options: ChatOptions;
	io: CliIo;
	terminal: Terminal;
	provider: ChatProvider;
	model: string;
	prompt: string;
	apiKeyEnv: string;
	secretEnv: readonly string[];
	held: () => readonly string[];
	stdout: ScrubbingSink;
	stderr: ScrubbingSink;
	mcp: CliMcp | undefined;
}

async function converse({ options, io, terminal, provider, model, prompt, apiKeyEnv, secretEnv, held, stdout, stderr, mcp }: Conversation): Promise<number> {
	const { registry, workspace } = buildTools(options, io.env, secretEnv, { tools: mcp?.tools ?? [], warn: (message) => stderr.write(`[mcp] ${message}\n`) });
	const renderer = options.json ? undefined : humanRenderer(stdout, stderr);
	const result = await runAgentLoop({
		provider,
		model,
		system: options.system,
		messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
		registry,
		workspace,
		...cliApproval(options.approve, terminal, (line) => stderr.write(`${line}\n`), (text) => redactAll(text, held())),
		onEvent: renderer?.onEvent,
		signal: io.signal,
		maxSteps: options.maxSteps,
		toolChoice: options.toolChoice,
	});
	renderer?.finish();
	if (options.json) stdout.write(`${escapeJsonControls(JSON.stringify(toJsonDocument(result), null, 2))}\n`);
	if (result.error) {
		stderr.write(`${describeError(result.error)}\n`);
		if (result.error.kind === 'auth' && !io.env[apiKeyEnv]?.trim() && !options.authCommand) {
			stderr.write(`No key was sent: set ${apiKeyEnv} (or pass --api-key-env VAR / --auth-command CMD).\n`);
		}
	}
	return result.error === null ? 0 : result.error.kind === 'aborted' ? 130 : 1;
}
