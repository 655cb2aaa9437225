// Turns parsed options into the engine's parts: provider settings and credentials, the tool registry, the
// workspace and the approval hook. Every failure is a UsageError naming its fix.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { authOf, ProviderConfigError, type ProviderAuthSetting } from '../providers/providerConfig';
import { setUpProvider } from '../providers/providerSetup';
import type { AuthConfig, ChatProvider, ProviderSettings } from '../providers/types';
import { createCreateFileTool } from '../tools/createFile';
import { createEditFileTool } from '../tools/editFile';
import { NodeEditPort } from '../tools/nodeEditPort';
import { createCommandTool, parseToolDefinitions, ToolDefinitionError } from '../tools/commandTool';
import { NodeWorkspace } from '../tools/nodeWorkspace';
import { ProtectedPaths } from '../tools/protectedPaths';
import { ToolRegistry, workspaceTools } from '../tools/registry';
import type { AnyTool } from '../tools/types';
import { joinTools } from '../mcp/joinTools';
import type { ChatOptions } from './args';
import { defaultApiKeyEnv, UsageError } from './args';
import { envNames, expandEnv, type CliConfig } from './configFile';
import { chooseProvider } from './providerChoice';

export interface ProviderSetup {
	provider: ChatProvider;
	settings: ProviderSettings;
	model: string;
	/** The variable the key is read from. */
	apiKeyEnv: string;
	/** Variables holding secrets (the key's and those `${env:NAME}` headers read), kept from command tools. */
	secretEnv: string[];
	/**
	 * Every credential the process holds so far, so output can be scrubbed of it: the key, header values taken from
	 * the environment, credential-looking --header values, and each token a token command printed (known only once
	 * it has run).
	 */
	secrets: () => readonly string[];
	/** The config file, when there is one. */
	config?: CliConfig;
}

/** Header names whose values are credentials (Authorization, x-api-key, api-key, x-goog-api-key, *-token, …). */
const credentialHeader = /auth|key|token|secret|cookie|signature/i;

export function buildProvider(options: ChatOptions, env: NodeJS.ProcessEnv): ProviderSetup {
	const { entry: chosen, model, file, config } = chooseProvider(options, env);
	const where = file ? ` (in ${file})` : '';
	const secrets: string[] = [];
	const secretEnv: string[] = [];
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(chosen.headers)) {
		try {
			headers[name] = expandEnv(value, env);
		} catch (error) {
			throw new UsageError(`Provider "${chosen.id}" header "${name}"${where}: ${(error as Error).message}.`);
		}
		if (headers[name] !== value) {
			secrets.push(headers[name]);
			secretEnv.push(...envNames(value));
		}
	}
	const entry = {
		...chosen,
		baseUrl: options.baseUrl ?? chosen.baseUrl,
		headers: { ...headers, ...options.headers },
		extraBody: { ...chosen.extraBody, ...options.extraBody },
	};
	if (!entry.preset && entry.baseUrl !== undefined) {
		if (!/^https?:\/\//i.test(entry.baseUrl)) throw new UsageError(`${file ? `Provider "${entry.id}": "baseUrl"` : '--base-url'} must be an http(s) URL, got '${entry.baseUrl}'${where}.`);
		entry.baseUrl = entry.baseUrl.replace(/\/+$/, '');
	}
	const apiKeyEnv = options.apiKeyEnv ?? chosen.apiKeyEnv ?? defaultApiKeyEnv;
	const key = env[apiKeyEnv]?.trim() || undefined;
	const auth = chooseAuth(entry.auth, authOf(entry), options.authCommand, key);
	const held = new Set<string>(secrets);
	let ready: { provider: ChatProvider; settings: ProviderSettings };
	try {
		ready = setUpProvider(entry, model, { auth, apiKey: async () => key, onCredential: (value) => held.add(value) }, { maxRetries: options.maxRetries, stream: options.stream });
	} catch (error) {
		if (!(error instanceof ProviderConfigError)) throw error;
		throw new UsageError(`${error.message}${file ? where : ' Pass --base-url URL to set it.'}`);
	}
	const { provider, settings } = ready;
	if (options.preset && options.protocol && options.protocol !== settings.protocol) {
		throw new UsageError(`The preset '${options.preset}' speaks the ${settings.protocol} protocol for this model; drop --protocol or use --protocol ${options.protocol} --base-url URL without --preset.`);
	}
	if (auth.type === 'none' && entry.auth !== 'none' && chosen.apiKeyEnv && !options.apiKeyEnv) {
		throw new UsageError(`Provider "${entry.id}" takes its key from the environment variable ${chosen.apiKeyEnv}, which is not set${where}. Set it (export ${chosen.apiKeyEnv}=…) and run again.`);
	}
	if (key) held.add(key);
	for (const [name, value] of Object.entries(options.headers)) {
		if (!credentialHeader.test(name)) continue;
		held.add(value.trim());
		// 'Bearer abc…': the token alone may be echoed without its scheme.
		const parts = value.trim().split(/\s+/);
		if (parts.length === 2) held.add(parts[1]);
	}
	return { provider, settings, model, apiKeyEnv, secretEnv: [apiKeyEnv, ...secretEnv], secrets: () => [...held], config };
}

/**
 * --auth-command wins; then an entry's own "none" or command; then a key from the environment; then a preset's
 * token command. With none of these nothing is sent: local servers need no key, and a remote one answers 401,
 * after which the error says which variable to set.
 */
function chooseAuth(own: ProviderAuthSetting | undefined, resolved: AuthConfig, authCommand: string | undefined, key: string | undefined): AuthConfig {
	if (authCommand) return { type: 'command', command: authCommand };
	if (own === 'none') return { type: 'none' };
	if (typeof own === 'object') return { type: 'command', command: own.command };
	if (key) return { type: 'apiKey' };
	if (resolved.type === 'command') return resolved;
	return { type: 'none' };
}

/** `env` is what command tools start from; the key variables are taken out of it (commandEnv). */
export function buildTools(
	options: ChatOptions,
	env: NodeJS.ProcessEnv,
	secretEnv: readonly string[],
	mcp: { tools: readonly AnyTool[]; warn(message: string): void } = { tools: [], warn: () => undefined },
): { registry: ToolRegistry; workspace?: NodeWorkspace } {
	const registry = new ToolRegistry();
	let workspace: NodeWorkspace | undefined;
	if (options.workspace) {
		const dir = path.resolve(options.workspace);
		if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--workspace ${options.workspace} is not a directory.`);
		const protectedPaths = new ProtectedPaths({ extra: options.protect, removed: options.unprotect });
		workspace = new NodeWorkspace([dir], { protectedPaths: () => protectedPaths });
		for (const tool of workspaceTools) registry.register(tool);
		// Write tools only when writes are allowed: a terminal prompt shows no diff to decide on.
		if (options.approve === 'all') for (const tool of [createEditFileTool, createCreateFileTool]) registry.register(tool(new NodeEditPort(workspace)));
	}
	if (options.toolsFile) {
		let json: unknown;
		try {
			json = JSON.parse(fs.readFileSync(options.toolsFile, 'utf8'));
		} catch (error) {
			throw new UsageError(`--tools ${options.toolsFile}: ${(error as Error).message}. It must be a JSON array of function definitions.`);
		}
		try {
			for (const definition of parseToolDefinitions(json)) {
				registry.register(createCommandTool(definition, { cwd: workspace?.folders[0], env, hiddenEnv: [...secretEnv] }));
			}
		} catch (error) {
			if (error instanceof ToolDefinitionError || error instanceof Error) throw new UsageError(`--tools ${options.toolsFile}: ${error.message}`);
			throw error;
		}
	}
	// MCP tools come after the built-in ones; one whose name is taken is left out with a warning.
	for (const tool of joinTools(registry.list(), mcp.tools, mcp).slice(registry.size)) registry.register(tool);
	const choice = options.toolChoice;
	if (typeof choice === 'object' && !registry.get(choice.name)) {
		throw new UsageError(`--tool-choice ${choice.name}: there is no such tool. Tools: ${registry.list().map((t) => t.name).join(', ') || 'none (add --tools FILE, --mcp-config FILE or --workspace DIR)'}.`);
	}
	if ((choice === 'required' || typeof choice === 'object') && registry.size === 0) {
		throw new UsageError('--tool-choice required needs tools: add --tools FILE, --mcp-config FILE or --workspace DIR.');
	}
	return { registry, workspace };
}
