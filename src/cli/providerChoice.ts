// Which provider entry and model a `chat` talks to: one built from --preset/--protocol flags, or one from the
// config file (--provider ID[/MODEL], else its defaultModel). Either way the result is a provider entry in the
// shape of `switchboard.providers`, so the engine's own reader (providers/providerConfig) does the rest.
import { parseModelRef } from '../providers/providerConfig';
import type { ChatOptions } from './args';
import { UsageError } from './args';
import { defaultConfigPath, loadConfig, type CliConfig, type CliProviderEntry } from './configFile';

export interface ProviderChoice {
	entry: CliProviderEntry;
	model: string;
	/** The config file the entry came from; undefined for flags. */
	file?: string;
	/** The whole config file, when one was read (its mcpServers, for example). */
	config?: CliConfig;
}

export function chooseProvider(options: ChatOptions, env: NodeJS.ProcessEnv): ProviderChoice {
	// Read on every run, also with --preset: the file's mcpServers apply either way, and a broken file is reported.
	const file = options.config ?? defaultConfigPath(env);
	const config = loadConfig(file, options.config !== undefined, env);
	if (options.preset !== undefined || options.protocol !== undefined) {
		// parseChatArgs made sure --model is given on this path.
		const model = options.model ?? '';
		const entry: CliProviderEntry = { id: options.preset ?? 'cli', preset: options.preset, protocol: options.preset ? undefined : options.protocol, baseUrl: options.baseUrl, models: [model], headers: {}, extraBody: {} };
		return { entry, model, config };
	}
	if (!config || config.providers.length === 0) {
		throw new UsageError(`Choose a provider: --provider ID from a config file (${file} ${config ? 'lists no providers' : 'does not exist'}), --preset NAME, or --protocol openai|anthropic with --base-url URL. See switchboard chat --help.`);
	}
	const ids = config.providers.map((entry) => entry.id).join(', ');
	let id: string;
	let model = options.model;
	if (options.provider !== undefined) {
		const ref = parseModelRef(options.provider);
		id = ref?.provider ?? options.provider;
		model ??= ref?.model;
	} else if (config.defaultModel) {
		id = config.defaultModel.provider;
	} else if (config.providers.length === 1) {
		id = config.providers[0].id;
	} else {
		throw new UsageError(`${file} has several providers (${ids}): choose one with --provider ID, or set "defaultModel" in the file.`);
	}
	const entry = config.providers.find((candidate) => candidate.id === id);
	if (!entry) throw new UsageError(`There is no provider "${id}" in ${file}; it has ${ids}.`);
	model ??= config.defaultModel?.provider === id ? config.defaultModel.model : entry.models[0];
	if (!model) throw new UsageError(`Which model of "${id}"? Pass --provider ${id}/MODEL or --model MODEL, or list "models" for "${id}" in ${file}.`);
	return { entry, model, file, config };
}
