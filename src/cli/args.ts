// The `chat` command's options, parsed with node:util parseArgs and checked so every mistake names its fix.
import { parseArgs } from 'node:util';
import type { Protocol, ToolChoice } from '../providers/types';
import { defaultProtectedPaths, unknownRemovals } from '../tools/protectedPaths';

export type ApproveMode = 'ask' | 'read' | 'all' | 'none';

export interface ChatOptions {
	/** The prompt's parts in order; '-' stands for standard input. Empty: standard input when it is piped. */
	prompt: string[];
	/** --provider: an entry of the config file, `ID` or `ID/MODEL`. */
	provider?: string;
	/** --config FILE instead of the default config file. */
	config?: string;
	preset?: string;
	protocol?: Protocol;
	baseUrl?: string;
	/** Optional with --provider or a config file's defaultModel. */
	model?: string;
	/** Undefined: the config entry's apiKeyEnv, else SWITCHBOARD_API_KEY. */
	apiKeyEnv?: string;
	authCommand?: string;
	headers: Record<string, string>;
	extraBody?: Record<string, unknown>;
	system?: string;
	/** False with --no-rules: the workspace's AGENTS.md and .github/copilot-instructions.md stay out of the prompt. */
	rules: boolean;
	toolsFile?: string;
	mcpConfig?: string;
	workspace?: string;
	/** Patterns added to, and built-in patterns taken out of, the protected paths. */
	protect: string[];
	unprotect: string[];
	toolChoice?: ToolChoice;
	approve: ApproveMode;
	maxSteps?: number;
	maxRetries?: number;
	stream: boolean;
	json: boolean;
}

/** A mistake on the command line: exit code 2, the message says how to fix it. */
export class UsageError extends Error {
	override readonly name = 'UsageError';
}

export const defaultApiKeyEnv = 'SWITCHBOARD_API_KEY';

export const usage = `Usage: switchboard chat [options] "<prompt>"
       git diff | switchboard chat [options] "<prompt>" -
       switchboard --version

The prompt: one argument, and - for standard input (joined in the order given); with neither, a piped
standard input is the prompt.

Provider (one of):
  --provider ID[/MODEL]    an entry of the config file (the model defaults to the file's defaultModel
                           or the entry's first model); with no provider option, the defaultModel
  --config FILE            the config file to read (default $XDG_CONFIG_HOME/switchboard/config.json,
                           ~/.config/switchboard/config.json, or %APPDATA%\\switchboard\\config.json on Windows)
  --preset NAME            openai, anthropic, gateway, qianfan, vertex, deepseek, openrouter,
                           ollama, custom-openai, custom-anthropic (--base-url overrides its URL)
  --protocol P --base-url URL
                           openai or anthropic, and the URL before /chat/completions or /v1/messages
  --model ID               the model id (required with --preset or --protocol)

Auth and request:
  --api-key-env VAR        environment variable holding the key (default: the entry's apiKeyEnv, else
                           ${defaultApiKeyEnv});
                           keys are never accepted on the command line
  --auth-command CMD       a command that prints a short-lived token (e.g. gcloud auth print-access-token)
  --header "K: V"          extra request header (repeatable)
  --extra-body JSON        a JSON object merged into every request body
  --system TEXT            system prompt
  --no-rules               leave the workspace's AGENTS.md and .github/copilot-instructions.md out
                           (with --workspace they are added to the system prompt, each cut to 16,000
                           characters with a note)
  --no-stream              ask for non-streamed responses
  --max-retries N          retries of a failed request before any output (default: the provider's)

Tools:
  --tools FILE             JSON array of function definitions; an entry's "command" runs it
  --mcp-config FILE        MCP servers: a JSON object shaped like the switchboard.mcpServers setting
  --workspace DIR          add read_file, search_text, find_files, list_directory rooted at DIR
  --protect GLOB           also protect GLOB (repeatable): writing a protected path always asks, even
                           with --approve all (so without a terminal it is denied)
  --unprotect PATTERN      stop protecting a built-in pattern (repeatable; see the README's list)
  --tool-choice C          auto, none, required, or a tool name
  --approve MODE           ask (prompt on a terminal; deny otherwise), read (auto-approve read-only
                           tools), all, none (default ask)
  --max-steps N            model requests per conversation (default 25)

Output:
  --json                   print one JSON object with every step instead of streaming text
  --help                   show this help
  --version                print the version

Exit codes: 0 the model finished, 1 a provider or conversation error (on stderr), 2 a usage or config
file mistake, 130 interrupted (Ctrl+C).
`;

const approveModes: readonly ApproveMode[] = ['ask', 'read', 'all', 'none'];

/** Parses `chat`'s arguments (without the 'chat' word). Throws UsageError. */
export function parseChatArgs(argv: readonly string[]): ChatOptions | 'help' {
	const keyFlag = argv.find((arg) => /^--(api-?key|key|token)(=|$)/i.test(arg));
	if (keyFlag) {
		throw new UsageError(`Keys are never taken on the command line (they end up in shell history). Put the key in an environment variable and pass --api-key-env VAR (default ${defaultApiKeyEnv}).`);
	}
	let parsed;
	try {
		parsed = parseArgs({
			args: [...argv],
			allowPositionals: true,
			strict: true,
			options: {
				provider: { type: 'string' },
				config: { type: 'string' },
				preset: { type: 'string' },
				protocol: { type: 'string' },
				'base-url': { type: 'string' },
				model: { type: 'string' },
				'api-key-env': { type: 'string' },
				'auth-command': { type: 'string' },
				header: { type: 'string', multiple: true },
				'extra-body': { type: 'string' },
				system: { type: 'string' },
				'no-rules': { type: 'boolean' },
				tools: { type: 'string' },
				'mcp-config': { type: 'string' },
				workspace: { type: 'string' },
				protect: { type: 'string', multiple: true },
				unprotect: { type: 'string', multiple: true },
				'tool-choice': { type: 'string' },
				approve: { type: 'string' },
				'max-steps': { type: 'string' },
				'max-retries': { type: 'string' },
				'no-stream': { type: 'boolean' },
				json: { type: 'boolean' },
				help: { type: 'boolean', short: 'h' },
			},
		});
	} catch (error) {
		throw new UsageError(`${(error as Error).message}. Run 'switchboard chat --help' for the options.`);
	}
	const { values, positionals } = parsed;
	if (values.help) return 'help';
	const prompt = checkPrompt(positionals);
	if (values.provider !== undefined && (values.preset !== undefined || values.protocol !== undefined)) {
		throw new UsageError('--provider takes the provider from the config file; drop --preset/--protocol, or drop --provider to set everything by flags.');
	}
	if (values.provider === undefined && (values.preset !== undefined || values.protocol !== undefined)) {
		if (!values.model) throw new UsageError('--model is required (e.g. --model gpt-4o).');
		if (!values.preset && !(values.protocol && values['base-url'])) {
			throw new UsageError('Choose a provider: --preset NAME, or --protocol openai|anthropic with --base-url URL.');
		}
	}
	if (values.provider !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*(\/.+)?$/.test(values.provider)) {
		throw new UsageError(`--provider takes ID or ID/MODEL as in the config file (e.g. --provider deepseek/deepseek-chat), not '${values.provider}'.`);
	}
	if (values.protocol !== undefined && values.protocol !== 'openai' && values.protocol !== 'anthropic') {
		throw new UsageError(`--protocol must be openai or anthropic, not '${values.protocol}'.`);
	}
	if (values.approve !== undefined && !approveModes.includes(values.approve as ApproveMode)) {
		throw new UsageError(`--approve must be one of ${approveModes.join(', ')}, not '${values.approve}'.`);
	}
	const apiKeyEnv = values['api-key-env'];
	if (apiKeyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) {
		throw new UsageError('--api-key-env takes the NAME of an environment variable (e.g. OPENAI_API_KEY), not the key itself.');
	}
	return {
		prompt,
		provider: values.provider,
		config: values.config,
		preset: values.preset,
		protocol: values.protocol as Protocol | undefined,
		baseUrl: values['base-url'],
		model: values.model,
		apiKeyEnv,
		authCommand: values['auth-command'],
		headers: parseHeaders(values.header ?? []),
		extraBody: values['extra-body'] === undefined ? undefined : parseExtraBody(values['extra-body']),
		system: values.system,
		rules: !values['no-rules'],
		toolsFile: values.tools,
		mcpConfig: values['mcp-config'],
		workspace: values.workspace,
		protect: values.protect ?? [],
		unprotect: parseUnprotect(values.unprotect ?? []),
		toolChoice: parseToolChoice(values['tool-choice']),
		approve: (values.approve as ApproveMode | undefined) ?? 'ask',
		maxSteps: parseCount('--max-steps', values['max-steps'], 1),
		maxRetries: parseCount('--max-retries', values['max-retries'], 0),
		stream: !values['no-stream'],
		json: values.json ?? false,
	};
}

/** At most one prompt argument and at most one '-'; an empty prompt is a mistake, not a question. */
function checkPrompt(positionals: readonly string[]): string[] {
	const texts = positionals.filter((part) => part !== '-');
	if (texts.length > 1 || positionals.length - texts.length > 1 || texts.some((text) => text.trim() === '')) {
		throw new UsageError('Give exactly one prompt, quoted: switchboard chat [options] "your prompt" (add - to append standard input).');
	}
	return [...positionals];
}

function parseHeaders(raw: readonly string[]): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const header of raw) {
		const colon = header.indexOf(':');
		const name = colon === -1 ? '' : header.slice(0, colon).trim();
		if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) throw new UsageError(`--header takes "Name: value", got ${JSON.stringify(header)}.`);
		headers[name] = header.slice(colon + 1).trim();
	}
	return headers;
}

function parseExtraBody(raw: string): Record<string, unknown> {
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch (error) {
		throw new UsageError(`--extra-body is not valid JSON (${(error as Error).message}); quote it, e.g. --extra-body '{"stream_options":{"include_usage":true}}'.`);
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('--extra-body must be a JSON object, e.g. \'{"tool_options":{"thoughts_output":true}}\'.');
	return value as Record<string, unknown>;
}

function parseToolChoice(raw: string | undefined): ToolChoice | undefined {
	if (raw === undefined) return undefined;
	if (raw === 'auto' || raw === 'none' || raw === 'required') return raw;
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) throw new UsageError(`--tool-choice takes auto, none, required or a tool name, not '${raw}'.`);
	return { name: raw };
}

function parseCount(flag: string, raw: string | undefined, min: number): number | undefined {
	if (raw === undefined) return undefined;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min) throw new UsageError(`${flag} takes a whole number >= ${min}, not '${raw}'.`);
	return value;
}

function parseUnprotect(patterns: string[]): string[] {
	const unknown = unknownRemovals(patterns);
	if (unknown.length > 0) {
		throw new UsageError(`--unprotect ${unknown.join(', ')}: not a built-in protected pattern. The built-in ones: ${defaultProtectedPaths.join(' ')}`);
	}
	return patterns;
}
