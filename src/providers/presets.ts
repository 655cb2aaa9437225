// Named starting points a user picks instead of typing a base URL. A preset speaks one protocol, except a
// gateway (one host, as gateways' function-calling guides describe) that serves both from one host and picks the protocol per model id.
import type { ModelPrice } from '../shared/cost';
import type { AuthConfig, Protocol, ProviderSettings } from './types';

export type PresetName =
	| 'openai'
	| 'anthropic'
	| 'gateway'
	| 'qianfan'
	| 'vertex'
	| 'deepseek'
	| 'openrouter'
	| 'ollama'
	| 'custom-openai'
	| 'custom-anthropic';

export interface ProviderPreset {
	name: PresetName;
	label: string;
	/** 'per-model': the model id decides (see resolveEndpoint). */
	protocol: Protocol | 'per-model';
	/** May hold {PLACEHOLDERS} filled from `variables`. Undefined: the user must give one. */
	defaultBaseUrl?: string;
	/** Paths under the host for each protocol, for 'per-model' presets. */
	endpoints?: Record<Protocol, string>;
	/** Model ids starting with one of these go to the Anthropic endpoint of a 'per-model' preset. */
	anthropicModelPrefixes?: readonly string[];
	auth: AuthConfig;
	exampleModels: readonly string[];
	notes: string;
	/** List prices of well-known models, by exact model id (dated, with their public page, where they are defined). */
	prices?: Readonly<Record<string, ModelPrice>>;
}

/**
 * USD per million tokens, checked 2026-12-07 against https://platform.openai.com/docs/pricing (Standard tier;
 * "Cached input" is the prompt-caching price). A price in the provider entry wins; update these when the page changes.
 */
const openaiPrices: Readonly<Record<string, ModelPrice>> = {
	'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10, currency: 'USD' },
	'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6, currency: 'USD' },
	'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8, currency: 'USD' },
};

/**
 * USD per million tokens, checked 2026-12-07 against https://platform.claude.com/docs/en/about-claude/pricing
 * ("Base input tokens", "Cache hits and refreshes", "Output tokens"). Cache writes are billed above the input price
 * there; Switchboard sets no cache_control, so it causes none itself.
 */
const anthropicPrices: Readonly<Record<string, ModelPrice>> = {
	'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, output: 15, currency: 'USD' },
	'claude-opus-4-1': { input: 15, cachedInput: 1.5, output: 75, currency: 'USD' },
	'claude-3-5-haiku-latest': { input: 0.8, cachedInput: 0.08, output: 4, currency: 'USD' },
};

export const presets: Readonly<Record<PresetName, ProviderPreset>> = {
	openai: {
		name: 'openai', label: 'OpenAI', protocol: 'openai', defaultBaseUrl: 'https://api.openai.com/v1', auth: { type: 'apiKey' },
		exampleModels: ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1'], prices: openaiPrices,
		notes: 'OpenAI Chat Completions with an API key from platform.openai.com.',
	},
	anthropic: {
		name: 'anthropic', label: 'Anthropic', protocol: 'anthropic', defaultBaseUrl: 'https://api.anthropic.com', auth: { type: 'apiKey' },
		exampleModels: ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-3-5-haiku-latest'], prices: anthropicPrices,
		notes: 'Anthropic Messages with an API key from console.anthropic.com.',
	},
	gateway: {
		name: 'gateway', label: 'API gateway (OpenAI + Anthropic)', protocol: 'per-model',
		endpoints: { openai: '/v1', anthropic: '/anthropic' }, anthropicModelPrefixes: ['anthropic/'], auth: { type: 'apiKey' },
		exampleModels: ['openai/gpt-4o', 'anthropic/claude-sonnet-4.5'],
		notes: 'One host serving OpenAI Chat Completions at <host>/v1 and Anthropic Messages at <host>/anthropic (e.g. https://api.ofox.ai). Model ids carry a vendor prefix; anthropic/… ids use the Anthropic endpoint, all others the OpenAI one.',
	},
	qianfan: {
		name: 'qianfan', label: 'Baidu Qianfan', protocol: 'openai', defaultBaseUrl: 'https://qianfan.baidubce.com/v2', auth: { type: 'apiKey' },
		exampleModels: ['ernie-3.5-8k', 'ernie-lite-pro-128k', 'deepseek-v3'],
		notes: 'OpenAI-compatible. Extra body fields such as tool_options or stream_options go in extraBody.',
	},
	vertex: {
		name: 'vertex', label: 'Google Vertex AI (open models)', protocol: 'openai',
		defaultBaseUrl: 'https://{LOCATION}-aiplatform.googleapis.com/v1/projects/{PROJECT}/locations/{LOCATION}/endpoints/openapi',
		auth: { type: 'command', command: 'gcloud auth print-access-token' },
		exampleModels: ['meta/llama3-405b-instruct-maas', 'openai/gpt-oss-120b-instruct-maas', 'openai/gpt-oss-20b-instruct-maas', 'qwen/qwen3-next-80b-a3b-instruct-maas'],
		notes: 'OpenAI-compatible endpoint for open models. Needs LOCATION (e.g. us-central1) and PROJECT (your project id); the token comes from the gcloud CLI and is refreshed when it expires.',
	},
	deepseek: {
		name: 'deepseek', label: 'DeepSeek', protocol: 'openai', defaultBaseUrl: 'https://api.deepseek.com', auth: { type: 'apiKey' },
		exampleModels: ['deepseek-chat', 'deepseek-reasoner'],
		notes: 'OpenAI-compatible. The system prompt is folded into the first user message (better function calling).',
	},
	openrouter: {
		name: 'openrouter', label: 'OpenRouter', protocol: 'openai', defaultBaseUrl: 'https://openrouter.ai/api/v1', auth: { type: 'apiKey' },
		exampleModels: ['openai/gpt-4o', 'anthropic/claude-sonnet-4.5', 'qwen/qwen3-coder'],
		notes: 'OpenAI-compatible router; model ids carry a vendor prefix.',
	},
	ollama: {
		name: 'ollama', label: 'Ollama (local)', protocol: 'openai', defaultBaseUrl: 'http://localhost:11434/v1', auth: { type: 'none' },
		exampleModels: ['llama3.1', 'qwen2.5-coder', 'gpt-oss:20b'],
		notes: 'A local server with no API key. Pull the model first (ollama pull <model>).',
	},
	'custom-openai': {
		name: 'custom-openai', label: 'Custom (OpenAI protocol)', protocol: 'openai', auth: { type: 'apiKey' },
		exampleModels: [],
		notes: 'Any OpenAI Chat Completions server. The base URL is the part before /chat/completions.',
	},
	'custom-anthropic': {
		name: 'custom-anthropic', label: 'Custom (Anthropic protocol)', protocol: 'anthropic', auth: { type: 'apiKey' },
		exampleModels: [],
		notes: 'Any Anthropic Messages server. The base URL is the part before /v1/messages.',
	},
};

export class PresetError extends Error {
	override readonly name = 'PresetError';
}

export function isPresetName(value: string): value is PresetName {
	return Object.prototype.hasOwnProperty.call(presets, value);
}

export function getPreset(name: string): ProviderPreset {
	if (!isPresetName(name)) throw new PresetError(`Unknown provider preset '${name}'. Known presets: ${Object.keys(presets).join(', ')}.`);
	return presets[name];
}

/**
 * Where a 'per-model' preset sends `model`: the Anthropic endpoint for its prefixes, the OpenAI one otherwise.
 * `baseHost` may be given with or without a trailing endpoint path (`https://host/v1` works too).
 */
export function resolveEndpoint(preset: ProviderPreset, baseHost: string, model: string): { protocol: Protocol; baseUrl: string } {
	if (preset.protocol !== 'per-model' || !preset.endpoints) return { protocol: preset.protocol === 'per-model' ? 'openai' : preset.protocol, baseUrl: trimSlash(baseHost) };
	const endpoints = preset.endpoints;
	let host = trimSlash(baseHost);
	for (const path of Object.values(endpoints)) {
		if (host.toLowerCase().endsWith(path.toLowerCase())) host = host.slice(0, -path.length);
	}
	const lower = model.toLowerCase();
	const protocol: Protocol = (preset.anthropicModelPrefixes ?? []).some((prefix) => lower.startsWith(prefix)) ? 'anthropic' : 'openai';
	return { protocol, baseUrl: `${host}${endpoints[protocol]}` };
}

export interface PresetOverrides extends Partial<ProviderSettings> {
	/** Values for {PLACEHOLDERS} in the base URL, e.g. { LOCATION: 'us-central1', PROJECT: 'my-project' }. */
	variables?: Record<string, string>;
	/** For 'per-model' presets: the model that decides the endpoint. */
	model?: string;
}

/** ProviderSettings for a preset, with the user's overrides applied on top. Throws PresetError when incomplete. */
export function settingsFromPreset(name: PresetName, overrides: PresetOverrides = {}): ProviderSettings {
	const preset = getPreset(name);
	const { variables, model, ...settings } = overrides;
	const template = settings.baseUrl ?? preset.defaultBaseUrl;
	if (!template) throw new PresetError(`The '${preset.label}' provider needs a base URL. ${preset.notes}`);
	const filled = fillPlaceholders(template, variables ?? {});
	const missing = [...new Set([...filled.matchAll(/\{([A-Z_]+)\}/g)].map((match) => match[1]))];
	if (missing.length > 0) throw new PresetError(`The '${preset.label}' base URL needs ${missing.join(' and ')}: ${template}. ${preset.notes}`);
	const endpoint = resolveEndpoint(preset, filled, model ?? '');
	return { ...settings, id: settings.id ?? preset.name, protocol: endpoint.protocol, baseUrl: endpoint.baseUrl };
}

function fillPlaceholders(template: string, variables: Record<string, string>): string {
	return template.replace(/\{([A-Z_]+)\}/g, (whole, key: string) => {
		const value = variables[key]?.trim();
		return value ? encodeURIComponent(value) : whole;
	});
}

function trimSlash(url: string): string {
	return url.trim().replace(/\/+$/, '');
}
