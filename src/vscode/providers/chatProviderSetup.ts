// What a chat turn needs from the settings and the key store: the panel's provider list, the selected model, the
// ChatProvider for it (logged one line per request), and the banner that fixes each kind of failure.
import * as vscode from 'vscode';
import type { LoopErrorInfo } from '../../chat/loopEvents';
import { presets, type ProviderPreset } from '../../providers/presets';
import type { ChatProvider, ChatRequest, StreamEvent } from '../../providers/types';
import type { ErrorBannerView, ModelRef, ProviderView } from '../../shared/protocol';
import type { ApiKeyStore } from './apiKeyStore';
import type { Log } from '../log';
import { readReserveOutputTokens } from '../conversation/contextSettings';
import { pickModelId, modelLister } from './modelPicker';
import { authOf, providerLabel } from '../../providers/providerConfig';
import { authCommandRefusal, windowAccess } from './providerTrust';
import { readProviders, readRequestTimeoutSeconds, type ProviderEntry } from './settings';
import { createVscodeLmProvider, vscodeLmModelIds } from '../lm/vscodeLmProvider';
import { textOnlyModels } from '../conversation/promptMessage';
import { bannerFor, PROVIDERS_SETTING } from './setupDecisions';

export async function providerViews(entries: readonly ProviderEntry[], keys: ApiKeyStore): Promise<ProviderView[]> {
	return Promise.all(entries.map(async (entry) => {
		const auth = authOf(entry).type;
		// A vscode-lm entry without a model list offers every model VS Code has now.
		const models = entry.protocol === 'vscode-lm' && entry.models.length === 0 ? await vscodeLmModelIds() : entry.models;
		const textOnly = textOnlyModels({ ...entry, models });
		return { id: entry.id, label: providerLabel(entry), auth, hasKey: auth === 'apiKey' ? await keys.has(entry.id) : false, models, ...(textOnly.length > 0 && { textOnlyModels: textOnly }) };
	}));
}

/** A failure found before any request is sent, shown as a banner. */
export class ChatSetupError extends Error {
	override readonly name = 'ChatSetupError';
	constructor(readonly banner: ErrorBannerView) {
		super(banner.message);
	}
}

const loadProviderSetup = (): Promise<typeof import('../../providers/providerSetup.js')> => import('../../providers/providerSetup.js');
let warming: ReturnType<typeof setTimeout> | undefined;

/**
 * Once a chat panel is open, loads the provider layer a moment later, while the user types: initialising the two
 * provider SDKs blocks the extension host for some 40-60 ms, which otherwise lands on the first prompt's way to its
 * first token. Activation stays free of it.
 */
export function warmProviderLayer(delayMs = 1_000): void {
	if (warming) return;
	warming = setTimeout(() => void loadProviderSetup().catch(() => undefined), delayMs);
	warming.unref?.();
}

/** Builds the provider for one turn; a missing key is reported before anything is sent. */
export async function prepareProvider(ref: ModelRef | undefined, keys: ApiKeyStore, log: Log): Promise<ChatProvider> {
	const entries = readProviders(log);
	if (!ref) {
		throw new ChatSetupError({ kind: 'config', message: vscode.l10n.t('No model to talk to: add a provider with at least one model to switchboard.providers.'), action: 'open-settings', setting: PROVIDERS_SETTING });
	}
	const entry = entries.find((candidate) => candidate.id === ref.provider);
	if (!entry) {
		throw new ChatSetupError({ kind: 'config', message: vscode.l10n.t('There is no provider "{0}" in switchboard.providers.', ref.provider), action: 'open-settings', setting: PROVIDERS_SETTING });
	}
	if (entry.protocol === 'vscode-lm') return loggedProvider(createVscodeLmProvider(), entry.id, log);
	// Loaded on first use (or by warmProviderLayer), not at activation: the engine pulls in both provider SDKs.
	const { setUpProvider } = await loadProviderSetup();
	let provider: ChatProvider;
	try {
		// The answer's share of the window is also the output limit sent when nothing more specific gives one.
		provider = setUpProvider(entry, ref.model, windowAccess(entry, keys), { defaultTimeoutSeconds: readRequestTimeoutSeconds(), defaultOutputTokens: readReserveOutputTokens() }).provider;
	} catch (error) {
		throw new ChatSetupError({ kind: 'config', message: error instanceof Error ? error.message : String(error), action: 'open-settings', setting: PROVIDERS_SETTING });
	}
	const auth = authOf(entry);
	if (auth.type === 'apiKey' && !(await keys.has(entry.id))) {
		throw new ChatSetupError({
			kind: 'auth',
			message: vscode.l10n.t('No API key is set for "{0}". Choose Set API key and paste the key from the provider\'s console; it is kept in VS Code\'s secret storage.', providerLabel(entry)),
			action: 'set-api-key',
			provider: entry.id,
		});
	}
	const refusal = await authCommandRefusal(entry);
	if (refusal) throw new ChatSetupError({ kind: 'auth', message: refusal, action: 'open-settings', setting: PROVIDERS_SETTING });
	return loggedProvider(provider, entry.id, log);
}

/** One log line per model request: provider, model and how it ended. Keys are redacted by the log itself. */
export function loggedProvider(inner: ChatProvider, providerId: string, log: Log): ChatProvider {
	return {
		protocol: inner.protocol,
		async *stream(request: ChatRequest, signal: AbortSignal): AsyncGenerator<StreamEvent> {
			const started = Date.now();
			const label = `request ${providerId}/${request.model}`;
			let finish = 'no finish';
			try {
				for await (const event of inner.stream(request, signal)) {
					if (event.type === 'finish') finish = event.reason;
					else if (event.type === 'retry') log.warn(`${label}: ${event.error.kind}${event.error.status ? ` ${event.error.status}` : ''}, retry ${event.attempt} in ${event.delayMs} ms`);
					yield event;
				}
				log.info(`${label}: ok (${finish}) in ${Date.now() - started} ms`);
			} catch (error) {
				const kind = (error as { kind?: unknown }).kind;
				const status = (error as { status?: unknown }).status;
				log.warn(`${label}: failed (${typeof kind === 'string' ? kind : 'error'}${typeof status === 'number' ? ` ${status}` : ''}) in ${Date.now() - started} ms`);
				throw error;
			}
		},
	};
}

/** The banner for a turn that stopped with an error: each kind gets the action that fixes it. */
export function errorBanner(error: LoopErrorInfo, providerId: string | undefined): ErrorBannerView {
	return bannerFor(error, providerId, readProviders().find((entry) => entry.id === providerId)?.protocol === 'vscode-lm');
}

/** Empty-state step 1: a provider from a preset, added to the user settings. Returns its id, or undefined. */
export async function addProviderFromPreset(log: Log, keys: ApiKeyStore): Promise<string | undefined> {
	const picked = await vscode.window.showQuickPick(
		Object.values(presets).map((preset) => ({ label: preset.label, description: preset.name, detail: preset.notes, preset })),
		// matchOnDetail: "local" or "OpenAI-compatible" find a preset by its notes, not only by its name.
		{ title: vscode.l10n.t('Add a provider'), placeHolder: vscode.l10n.t('Which service do you want to chat with?'), matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
	);
	if (!picked) return undefined;
	const preset: ProviderPreset = picked.preset;
	const existing = readProviders(log);
	let id: string = preset.name;
	for (let n = 2; existing.some((entry) => entry.id === id); n++) id = `${preset.name}-${n}`;
	const baseUrl = await askBaseUrl(preset);
	if (baseUrl === null) return undefined;
	const keyless = await askKeyless(preset, id);
	if (keyless === undefined) return undefined;
	const draft: ProviderEntry = { id, preset: preset.name, baseUrl, auth: keyless ? 'none' : undefined, models: [], headers: {}, extraBody: {} };
	const model = await pickModelId({
		title: vscode.l10n.t('{0}: model id', preset.label),
		configured: [],
		examples: preset.exampleModels,
		lister: await modelLister(draft, keys, false),
		log,
	});
	if (!model) return undefined;
	const config = vscode.workspace.getConfiguration('switchboard');
	const raw = config.inspect<unknown[]>('providers')?.globalValue ?? [];
	const entry: Record<string, unknown> = { id, preset: preset.name, models: [model.trim()] };
	if (baseUrl) entry.baseUrl = baseUrl;
	if (keyless) entry.auth = 'none';
	await config.update('providers', [...raw, entry], vscode.ConfigurationTarget.Global);
	await config.update('defaultModel', `${id}/${model.trim()}`, vscode.ConfigurationTarget.Global);
	log.info(`Provider "${id}" added from preset ${preset.name}`);
	return id;
}

/** Custom presets have no host to suggest; a local server's usual address shows the expected shape. */
const EXAMPLE_BASE_URL: Record<'openai' | 'anthropic', string> = { openai: 'http://localhost:8000/v1', anthropic: 'http://localhost:8000' };

/**
 * The base URL when the preset has none, still has {PLACEHOLDERS}, or is a local server (Ollama may run on another
 * machine or port). Undefined: the preset's default stands (not written, so it follows the preset); null: cancelled.
 */
async function askBaseUrl(preset: ProviderPreset): Promise<string | undefined | null> {
	const local = preset.auth.type === 'none';
	if (preset.defaultBaseUrl && !preset.defaultBaseUrl.includes('{') && !local) return undefined;
	const answer = await vscode.window.showInputBox({
		title: vscode.l10n.t('{0}: base URL', preset.label),
		prompt: preset.notes,
		value: preset.defaultBaseUrl,
		placeHolder: preset.defaultBaseUrl ? undefined : EXAMPLE_BASE_URL[preset.protocol === 'anthropic' ? 'anthropic' : 'openai'],
		ignoreFocusOut: true,
		validateInput: (value) => /^https?:\/\/[^{}\s]+$/.test(value.trim()) ? undefined : vscode.l10n.t('An http(s) URL with every {PLACEHOLDER} filled in.'),
	});
	if (!answer) return null;
	const baseUrl = answer.trim();
	return baseUrl === preset.defaultBaseUrl ? undefined : baseUrl;
}

/**
 * A custom server (vLLM, llama.cpp, LM Studio…) often takes no key; without this choice the panel would ask for a
 * key that does not exist and every prompt would stop at "No API key is set". True: keyless; undefined: cancelled.
 */
async function askKeyless(preset: ProviderPreset, id: string): Promise<boolean | undefined> {
	if (preset.defaultBaseUrl || preset.protocol === 'per-model' || preset.auth.type !== 'apiKey') return false;
	const choice = await vscode.window.showQuickPick(
		[
			{ label: vscode.l10n.t('Yes, it needs an API key'), detail: vscode.l10n.t('You paste it next; it is kept in VS Code\'s secret storage.'), keyless: false },
			{ label: vscode.l10n.t('No, it takes no key'), detail: vscode.l10n.t('A local server (vLLM, llama.cpp, LM Studio…) usually needs none.'), keyless: true },
		],
		{ title: vscode.l10n.t('{0}: does this server need an API key?', providerLabel({ id, preset: preset.name })), ignoreFocusOut: true },
	);
	return choice?.keyless;
}
