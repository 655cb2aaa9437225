// `switchboard chat`: one conversation through the agent loop, printed for a person or as JSON.
import * as path from 'node:path';
import { runAgentLoop } from '../chat/agentLoop';
import type { ChatProvider } from '../providers/types';
import type { ChatOptions } from './args';
import { cliApprovalHook, type Terminal } from './cliApproval';
import { describeError, humanRenderer, scrubbing, toJsonDocument, type ScrubbingSink, type Sink } from './output';
import { readMcpFile, startMcp, type CliMcp } from './mcpSetup';
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
	const { provider, secret } = buildProvider(options, io.env);
	const mcpConfig = options.mcpConfig ? await readMcpFile(options.mcpConfig, path.resolve(options.workspace ?? '.')) : undefined;
	const secrets = [secret, ...(mcpConfig?.secrets ?? [])];
	const stdout = scrubbing(io.stdout, secrets);
	const stderr = scrubbing(io.stderr, secrets);
	const mcp = mcpConfig && await startMcp(mcpConfig.config, (line) => stderr.write(`[mcp] ${line}\n`), io.signal);
	try {
		return await converse(options, io, provider, secret, stdout, stderr, mcp);
	} finally {
		// The servers stop with the conversation: a stdio server's process ends, an HTTP session is closed.
		await mcp?.close();
		stdout.flush();
		stderr.flush();
	}
}

async function converse(options: ChatOptions, io: CliIo, provider: ChatProvider, secret: string | undefined, stdout: ScrubbingSink, stderr: ScrubbingSink, mcp: CliMcp | undefined): Promise<number> {
	const { registry, workspace } = buildTools(options, io.env, { tools: mcp?.tools ?? [], warn: (message) => stderr.write(`[mcp] ${message}\n`) });
	const renderer = options.json ? undefined : humanRenderer(stdout, stderr);
	const result = await runAgentLoop({
		provider,
		model: options.model,
		system: options.system,
		messages: [{ role: 'user', content: [{ type: 'text', text: options.prompt }] }],
		registry,
		workspace,
		approve: cliApprovalHook(options.approve, io.terminal, (line) => stderr.write(`${line}\n`)),
		onEvent: renderer?.onEvent,
		signal: io.signal,
		maxSteps: options.maxSteps,
		toolChoice: options.toolChoice,
	});
	renderer?.finish();
	if (options.json) stdout.write(`${JSON.stringify(toJsonDocument(result), null, 2)}\n`);
	if (result.error) {
		stderr.write(`${describeError(result.error)}\n`);
		if (result.error.kind === 'auth' && !secret && !options.authCommand) {
			stderr.write(`No key was sent: set ${options.apiKeyEnv} (or pass --api-key-env VAR / --auth-command CMD).\n`);
		}
	}
	return result.error === null ? 0 : result.error.kind === 'aborted' ? 130 : 1;
}
