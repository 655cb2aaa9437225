// VS Code's language models (vscode.lm: Copilot's, other extensions') as a Switchboard provider, for a
// `switchboard.providers` entry with `"protocol": "vscode-lm"` (or `"preset": "vscode-lm"`). Our tools go as
// LanguageModelChatTools, tool calls and results are mapped both ways (lmMessages.ts), and VS Code's consent
// prompt decides access: a refusal becomes an auth error with a banner that says so. Switchboard's own models
// (vendor "switchboard") are never listed here, so a request cannot loop back into itself.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ProviderError, type ChatProvider, type ChatRequest, type StreamEvent } from '../../providers/types';
import { toolModeOf, toolsToVscode, toVscodeMessages } from './lmMessages';

export const VSCODE_LM_PROTOCOL = 'vscode-lm';
/** The vendor Switchboard's own models are registered under (lmChatProvider.ts). */
export const SWITCHBOARD_VENDOR = 'switchboard';

async function otherModels(selector?: vscode.LanguageModelChatSelector): Promise<vscode.LanguageModelChat[]> {
	return (await vscode.lm.selectChatModels(selector)).filter((model) => model.vendor !== SWITCHBOARD_VENDOR);
}

/** The ids of the models VS Code offers (other than ours), for the panel's picker. Never rejects. */
export async function vscodeLmModelIds(): Promise<string[]> {
	try {
		return [...new Set((await otherModels()).map((model) => model.id))];
	} catch {
		return [];
	}
}

/**
 * LanguageModelError codes (vscode.LanguageModelError: NoPermissions, Blocked, NotFound) as our error kinds. The
 * refusal message keeps VS Code's own words after ours.
 */
function providerError(error: unknown, model: string): ProviderError {
	if (error instanceof ProviderError) return error;
	const said = error instanceof Error ? error.message : String(error);
	if (error instanceof vscode.LanguageModelError) {
		switch (error.code) {
			case 'NoPermissions':
				return new ProviderError('auth', vscode.l10n.t('VS Code did not allow Switchboard to use the language model "{0}" (the access request was declined). Run the prompt again and choose Allow, or pick another model. VS Code said: {1}', model, said), { providerMessage: said, cause: error });
			case 'Blocked':
				return new ProviderError('rate-limit', vscode.l10n.t('VS Code blocked the request to "{0}" (a usage limit or policy). VS Code said: {1}', model, said), { providerMessage: said, cause: error });
			case 'NotFound':
				return notFound(model, said);
		}
	}
	return new ProviderError('server', vscode.l10n.t('The language model "{0}" failed: {1}', model, said), { providerMessage: said, cause: error });
}

function notFound(model: string, said?: string): ProviderError {
	return new ProviderError('not-found', vscode.l10n.t('VS Code has no language model "{0}" now (is the extension that provides it installed and signed in?).', model) + (said ? ` ${said}` : ''));
}

/** A ChatProvider that sends each request to the VS Code language model whose id is `request.model`. */
export function createVscodeLmProvider(): ChatProvider {
	return {
		protocol: VSCODE_LM_PROTOCOL,
		async *stream(request: ChatRequest, signal: AbortSignal): AsyncGenerator<StreamEvent> {
			const source = new vscode.CancellationTokenSource();
			const onAbort = () => source.cancel();
			signal.addEventListener('abort', onAbort);
			try {
				const [model] = await otherModels({ id: request.model });
				if (!model) throw notFound(request.model);
				const options: vscode.LanguageModelChatRequestOptions = {
					justification: vscode.l10n.t('Switchboard sends your chat messages and its tools to this model.'),
					tools: toolsToVscode(typeof request.toolChoice === 'object' ? request.tools.filter((tool) => tool.name === (request.toolChoice as { name: string }).name) : request.toolChoice === 'none' ? [] : request.tools),
					toolMode: toolModeOf(request.toolChoice),
				};
				let response: vscode.LanguageModelChatResponse;
				try {
					response = await model.sendRequest(toVscodeMessages(request.system, request.messages), options, source.token);
				} catch (error) {
					throw providerError(error, request.model);
				}
				let calls = 0;
				try {
					for await (const part of response.stream) {
						if (part instanceof vscode.LanguageModelTextPart) {
							if (part.value) yield { type: 'text-delta', delta: part.value };
						} else if (part instanceof vscode.LanguageModelToolCallPart) {
							calls++;
							yield { type: 'tool-call', callId: `vslm-${randomUUID()}`, providerId: part.callId, toolName: part.name, input: part.input, rawInput: JSON.stringify(part.input) ?? '{}' };
						}
					}
				} catch (error) {
					throw providerError(error, request.model);
				}
				yield { type: 'finish', reason: calls > 0 ? 'tool_calls' : 'stop' };
			} catch (error) {
				if (signal.aborted) throw new ProviderError('aborted', 'The request was stopped.', { cause: error });
				throw error;
			} finally {
				signal.removeEventListener('abort', onAbort);
				source.dispose();
			}
		},
	};
}
