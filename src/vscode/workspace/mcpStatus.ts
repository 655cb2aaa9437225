// "Switchboard: MCP Servers": every configured server with its state, tool count and last error, kept current
// while the list is open, and per server the actions restart, show log, disable/enable for this workspace and
// open settings. "Switchboard: Set MCP Secret" stores a `${secret:NAME}` value from a password box. Nothing here
// shows a configured value: rows carry names, states and errors only.
import * as vscode from 'vscode';
import type { Log } from '../log';
import { mcpSecretKey, type McpHost, type McpServerRow } from './mcpHost';

export interface McpCommandDeps {
	/** The current chat's host (a reload builds a new one). */
	mcp(): McpHost;
	log: Log;
	secrets: vscode.SecretStorage;
}

interface ServerItem extends vscode.QuickPickItem {
	name: string;
}

const stateIcons: Record<McpServerRow['state'], string> = {
	idle: 'circle-outline', starting: 'loading~spin', ready: 'pass', backoff: 'history', failed: 'error', disposed: 'circle-slash',
	disabled: 'circle-slash', unavailable: 'warning',
};

/** One row of the list: `now` makes "restarting in N s" count down. */
export function describeServer(row: McpServerRow, now = Date.now()): ServerItem {
	const parts = [stateText(row, now)];
	if ('toolCount' in row && row.toolCount !== undefined) parts.push(vscode.l10n.t('{0} tools', row.toolCount));
	if ('restarts' in row && row.restarts > 0) parts.push(vscode.l10n.t('restarted {0} times', row.restarts));
	const showError = row.state === 'failed' || row.state === 'backoff' || row.state === 'unavailable';
	return {
		name: row.name,
		label: `$(${stateIcons[row.state]}) ${row.name}`,
		description: parts.join(' · '),
		detail: showError && row.lastError ? row.lastError : undefined,
	};
}

function stateText(row: McpServerRow, now: number): string {
	switch (row.state) {
		case 'idle': return vscode.l10n.t('Not started yet (starts with the next chat turn)');
		case 'starting': return vscode.l10n.t('Starting');
		case 'ready': return vscode.l10n.t('Ready');
		case 'backoff': {
			const seconds = 'nextStartAt' in row && row.nextStartAt !== undefined ? Math.max(0, Math.ceil((row.nextStartAt - now) / 1000)) : 0;
			return vscode.l10n.t('Restarting in {0} s', seconds);
		}
		case 'failed': return vscode.l10n.t('Failed');
		case 'disposed': return vscode.l10n.t('Stopped');
		case 'disabled': return vscode.l10n.t('Disabled in this workspace');
		case 'unavailable': return vscode.l10n.t('Not started');
	}
}

/** The list, refreshed as states change (and every second while a restart is counting down). */
async function showServers(deps: McpCommandDeps): Promise<void> {
	const mcp = deps.mcp();
	if (!vscode.workspace.isTrusted) {
		void vscode.window.showInformationMessage(vscode.l10n.t('MCP servers are off in Restricted Mode: their tools run programs.'));
		return;
	}
	const rows = await mcp.servers();
	if (rows.length === 0) {
		const open = vscode.l10n.t('Open Settings');
		if (await vscode.window.showInformationMessage(vscode.l10n.t('No MCP servers are configured.'), open) === open) await openSettings();
		return;
	}
	const pick = vscode.window.createQuickPick<ServerItem>();
	pick.title = vscode.l10n.t('MCP Servers');
	pick.placeholder = vscode.l10n.t('Choose a server for its actions');
	pick.matchOnDescription = true;
	let current = rows;
	const render = (): void => {
		const active = pick.activeItems[0]?.name;
		pick.items = current.map((row) => describeServer(row));
		const again = pick.items.find((item) => item.name === active);
		if (again) pick.activeItems = [again];
	};
	const refresh = async (): Promise<void> => {
		current = await mcp.servers();
		render();
	};
	render();
	const timer = setInterval(() => {
		if (current.some((row) => row.state === 'backoff' || row.state === 'starting')) void refresh();
	}, 1000);
	const subscription = mcp.onDidChangeStatus(() => void refresh());
	const chosen = await new Promise<ServerItem | undefined>((resolve) => {
		pick.onDidAccept(() => resolve(pick.selectedItems[0]));
		pick.onDidHide(() => resolve(undefined));
		pick.show();
	});
	clearInterval(timer);
	subscription.dispose();
	pick.dispose();
	if (chosen) await serverActions(deps, chosen.name);
}

async function serverActions(deps: McpCommandDeps, name: string): Promise<void> {
	const mcp = deps.mcp();
	const disabled = mcp.isDisabled(name);
	const actions: Array<vscode.QuickPickItem & { run: () => Promise<unknown> | void }> = [
		{ label: `$(debug-restart) ${vscode.l10n.t('Restart')}`, run: () => restart(mcp, name) },
		{ label: `$(output) ${vscode.l10n.t('Show Log')}`, run: () => deps.log.show() },
		disabled
			? { label: `$(check) ${vscode.l10n.t('Enable in this Workspace')}`, run: () => mcp.setDisabled(name, false) }
			: { label: `$(circle-slash) ${vscode.l10n.t('Disable in this Workspace')}`, run: () => mcp.setDisabled(name, true) },
		{ label: `$(gear) ${vscode.l10n.t('Open Settings')}`, run: () => openSettings() },
	];
	const action = await vscode.window.showQuickPick(actions, { title: name, placeHolder: vscode.l10n.t('What to do with the MCP server "{0}"', name) });
	await action?.run();
}

async function restart(mcp: McpHost, name: string): Promise<void> {
	await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Restarting the MCP server "{0}"…', name) },
		() => mcp.restart(name),
	);
}

function openSettings(): Thenable<unknown> {
	return vscode.commands.executeCommand('workbench.action.openSettings', 'switchboard.mcpServers');
}

/** Asks for the name (unless given) and the value in a password box; the value is never shown or logged. */
async function setSecret(deps: McpCommandDeps, given: unknown): Promise<void> {
	const name = typeof given === 'string' && /^[A-Za-z0-9._-]+$/.test(given) ? given : await vscode.window.showInputBox({
		title: vscode.l10n.t('Set MCP Secret'),
		prompt: vscode.l10n.t('The secret\'s name, as in ${secret:NAME} in an MCP server\'s env or headers'),
		placeHolder: 'github-token',
		validateInput: (text) => /^[A-Za-z0-9._-]+$/.test(text.trim()) ? undefined : vscode.l10n.t('Use letters, digits, ".", "_" and "-".'),
	});
	if (!name) return;
	const trimmed = name.trim();
	const value = await vscode.window.showInputBox({
		title: vscode.l10n.t('Set MCP Secret'),
		prompt: vscode.l10n.t('The value of ${secret:{0}}; it is kept in the secret store and never shown.', trimmed),
		password: true,
		ignoreFocusOut: true,
	});
	if (value === undefined) return;
	if (value === '') {
		await deps.secrets.delete(mcpSecretKey(trimmed));
		void vscode.window.showInformationMessage(vscode.l10n.t('The MCP secret "{0}" was removed.', trimmed));
		return;
	}
	deps.log.addSecret(value);
	await deps.secrets.store(mcpSecretKey(trimmed), value);
	deps.log.info(`MCP secret '${trimmed}' stored.`);
	void vscode.window.showInformationMessage(vscode.l10n.t('The MCP secret "{0}" was stored.', trimmed));
}

export function registerMcpCommands(deps: McpCommandDeps): vscode.Disposable[] {
	const handlers: Record<string, (...args: unknown[]) => Promise<void>> = {
		'switchboard.mcpServers': () => showServers(deps),
		'switchboard.setMcpSecret': (name) => setSecret(deps, name),
	};
	return Object.entries(handlers).map(([id, handler]) =>
		vscode.commands.registerCommand(id, async (...args: unknown[]) => {
			try {
				await handler(...args);
			} catch (error) {
				deps.log.error(`${id} failed`, error);
				void vscode.window.showErrorMessage(`Switchboard: ${error instanceof Error ? error.message : String(error)}`);
			}
		}),
	);
}
