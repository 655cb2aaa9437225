// Where a provider entry came from (user, workspace or folder settings), and the questions that follow from it: a
// key is bound to the host the settings name, so Set API Key says which host and which settings named it; a token
// command written in a workspace's settings runs a program the repository chose, so it asks first, once per window,
// and never runs in Restricted Mode.
import * as vscode from 'vscode';
import type { ProviderEntry } from './settings';
import { engineSettings } from '../../providers/providerConfig';

export type SettingsOrigin = 'user' | 'workspace' | 'workspaceFolder';

/**
 * The settings level `switchboard.providers` was read from. An array setting is not merged: the most specific level
 * that sets it wins, and in Restricted Mode VS Code ignores the workspace's value of this restricted setting.
 */
export function providersOrigin(): SettingsOrigin {
	if (!vscode.workspace.isTrusted) return 'user';
	const inspected = vscode.workspace.getConfiguration('switchboard').inspect<unknown>('providers');
	if (inspected?.workspaceFolderValue !== undefined) return 'workspaceFolder';
	if (inspected?.workspaceValue !== undefined) return 'workspace';
	return 'user';
}

/** "Sent only to https://host (base URL from workspace settings)." for the Set API Key box. */
export function keyDestination(provider: ProviderEntry): string | undefined {
	let baseUrl: string;
	try {
		baseUrl = engineSettings(provider, provider.models[0] ?? '').baseUrl;
	} catch {
		return undefined;
	}
	let origin: string;
	try {
		origin = new URL(baseUrl).origin;
	} catch {
		return undefined;
	}
	const where = provider.baseUrl === undefined
		? vscode.l10n.t('the preset {0}', provider.preset ?? '')
		: originLabel(providersOrigin());
	return vscode.l10n.t('The key will be sent only to {0} (base URL from {1}).', origin, where);
}

function originLabel(origin: SettingsOrigin): string {
	switch (origin) {
		case 'user': return vscode.l10n.t('user settings');
		case 'workspace': return vscode.l10n.t('workspace settings');
		case 'workspaceFolder': return vscode.l10n.t('workspace folder settings');
	}
}

/** Commands the user allowed in this window, as provider id + command. */
const allowedCommands = new Set<string>();

/**
 * Resolves when `command` may run as the token command of `providerId`; otherwise returns the reason it may not.
 * Commands from user settings are the user's own and always may.
 */
export async function authCommandRefusal(providerId: string, command: string): Promise<string | undefined> {
	const origin = providersOrigin();
	if (origin === 'user') return undefined;
	if (!vscode.workspace.isTrusted) {
		return vscode.l10n.t('The token command of "{0}" comes from workspace settings and does not run in Restricted Mode. Trust the workspace, or set the provider in your user settings.', providerId);
	}
	const id = `${providerId}\u0000${command}`;
	if (allowedCommands.has(id)) return undefined;
	const run = vscode.l10n.t('Run Command');
	// VS Code refuses (rejects) modal dialogs in some contexts, e.g. extension tests; that is a "no".
	const answer = await Promise.resolve(vscode.window.showWarningMessage(
		vscode.l10n.t('The provider "{0}" gets its token by running a command set in {1}: {2}', providerId, originLabel(origin), command),
		{ modal: true, detail: vscode.l10n.t('A repository\'s settings chose this program. Run it only if you trust this workspace.') },
		run,
	)).catch(() => undefined);
	if (answer !== run) {
		return vscode.l10n.t('The token command of "{0}" from {1} was not run: it was not allowed. Start the chat again to be asked, or set the provider in your user settings.', providerId, originLabel(origin));
	}
	allowedCommands.add(id);
	return undefined;
}
