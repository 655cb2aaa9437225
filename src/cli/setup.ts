// Turns parsed options into the engine's parts: provider settings and credentials, the tool registry, the
// workspace and the approval hook. Every failure is a UsageError naming its fix.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commandToken, noAuth, staticKey } from '../providers/auth';
import { getPreset, PresetError, settingsFromPreset } from '../providers/presets';
import { createProvider } from '../providers/registry';
import type { AuthConfig, ChatProvider, CredentialSource, ProviderSettings } from '../providers/types';
import { createCreateFileTool } from '../tools/createFile';
import { createEditFileTool } from '../tools/editFile';
import { NodeEditPort } from '../tools/nodeEditPort';
import { createCommandTool, parseToolDefinitions, ToolDefinitionError } from '../tools/commandTool';
import { NodeWorkspace } from '../tools/nodeWorkspace';
import { ToolRegistry, workspaceTools } from '../tools/registry';
import type { ChatOptions } from './args';
import { UsageError } from './args';

export interface ProviderSetup {
	provider: ChatProvider;
	settings: ProviderSettings;
	/** The key, when one was read from the environment. */
	secret?: string;
	/**
	 * Every credential the process holds so far, so output can be scrubbed of it: the key, credential-looking
	 * --header values, and each token a token command printed (known only once it has run).
	 */
	secrets: () => readonly string[];
}

/** Header names whose values are credentials (Authorization, x-api-key, api-key, x-goog-api-key, *-token, …). */
const credentialHeader = /auth|key|token|secret|cookie|signature/i;

export function buildProvider(options: ChatOptions, env: NodeJS.ProcessEnv): ProviderSetup {
	const shared: Partial<ProviderSettings> = {
		headers: Object.keys(options.headers).length > 0 ? options.headers : undefined,
		extraBody: options.extraBody,
		maxRetries: options.maxRetries,
		stream: options.stream,
	};
	let settings: ProviderSettings;
	let presetAuth: AuthConfig = { type: 'apiKey' };
	try {
		if (options.preset) {
			const preset = getPreset(options.preset);
			presetAuth = preset.auth;
			settings = settingsFromPreset(preset.name, { ...shared, baseUrl: options.baseUrl, model: options.model });
			if (options.protocol && options.protocol !== settings.protocol) {
				throw new UsageError(`The preset '${preset.name}' speaks the ${settings.protocol} protocol for this model; drop --protocol or use --protocol ${options.protocol} --base-url URL without --preset.`);
			}
		} else {
			settings = { ...shared, id: 'cli', protocol: options.protocol ?? 'openai', baseUrl: (options.baseUrl ?? '').replace(/\/+$/, '') };
			if (!/^https?:\/\//i.test(settings.baseUrl)) throw new UsageError(`--base-url must be an http(s) URL, got '${options.baseUrl}'.`);
		}
	} catch (error) {
		if (error instanceof PresetError) throw new UsageError(`${error.message} Pass --base-url URL to set it.`);
		throw error;
	}
	const key = env[options.apiKeyEnv]?.trim() || undefined;
	let auth: AuthConfig;
	let credentials: CredentialSource;
	if (options.authCommand) {
		auth = { type: 'command', command: options.authCommand };
		credentials = commandToken(options.authCommand);
	} else if (key) {
		auth = { type: 'apiKey' };
		credentials = staticKey(async () => key);
	} else if (presetAuth.type === 'command') {
		auth = presetAuth;
		credentials = commandToken(presetAuth.command);
	} else {
		// No key: local servers need none; a remote one answers 401 and the error says which variable to set.
		auth = { type: 'none' };
		credentials = noAuth();
	}
	const held = new Set<string>();
	if (key) held.add(key);
	for (const [name, value] of Object.entries(options.headers)) {
		if (!credentialHeader.test(name)) continue;
		held.add(value.trim());
		// 'Bearer abc…': the token alone may be echoed without its scheme.
		const parts = value.trim().split(/\s+/);
		if (parts.length === 2) held.add(parts[1]);
	}
	const provider = createProvider({ ...settings, auth }, { credentials: remembering(credentials, held) });
	return { provider, settings, secret: key, secrets: () => [...held] };
}

/** `source`, adding each credential it hands out to `held`. */
function remembering(source: CredentialSource, held: Set<string>): CredentialSource {
	return {
		get: async (signal) => {
			const value = await source.get(signal);
			if (value) held.add(value);
			return value;
		},
		invalidate: () => source.invalidate(),
	};
}

/** `env` is what command tools start from; the key variables are taken out of it (commandEnv). */
export function buildTools(options: ChatOptions, env: NodeJS.ProcessEnv): { registry: ToolRegistry; workspace?: NodeWorkspace } {
	const registry = new ToolRegistry();
	let workspace: NodeWorkspace | undefined;
	if (options.workspace) {
		const dir = path.resolve(options.workspace);
		if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--workspace ${options.workspace} is not a directory.`);
		workspace = new NodeWorkspace([dir]);
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
				registry.register(createCommandTool(definition, { cwd: workspace?.folders[0], env, hiddenEnv: [options.apiKeyEnv] }));
			}
		} catch (error) {
			if (error instanceof ToolDefinitionError || error instanceof Error) throw new UsageError(`--tools ${options.toolsFile}: ${error.message}`);
			throw error;
		}
	}
	const choice = options.toolChoice;
	if (typeof choice === 'object' && !registry.get(choice.name)) {
		throw new UsageError(`--tool-choice ${choice.name}: there is no such tool. Tools: ${registry.list().map((t) => t.name).join(', ') || 'none (add --tools FILE or --workspace DIR)'}.`);
	}
	if ((choice === 'required' || typeof choice === 'object') && registry.size === 0) {
		throw new UsageError('--tool-choice required needs tools: add --tools FILE or --workspace DIR.');
	}
	return { registry, workspace };
}
