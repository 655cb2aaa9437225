// The approval policy of the chat in VS Code: the switchboard.approval.* settings per risk class, plus the tools the
// user chose to "Always allow in this workspace" (kept in workspaceState). Forced asks (outside the workspace,
// protected paths) are decided by the loop's approvalMode and always win.
import * as vscode from 'vscode';
import type { ApprovalMode, ApprovalPolicy } from '../../chat/approvals';
import { ProtectedPaths } from '../../tools/protectedPaths';
import type { Risk } from '../../tools/types';

const ALWAYS_ALLOW_KEY = 'switchboard.alwaysAllow';
const RISKS: readonly Risk[] = ['read', 'write', 'execute'];

/**
 * One risk class's mode. In Restricted Mode a workspace's own settings are ignored (the manifest says so): a cloned
 * repository must not be able to switch its tools to 'auto'.
 */
export function readRiskMode(risk: Risk, trusted = vscode.workspace.isTrusted): ApprovalMode {
	const config = vscode.workspace.getConfiguration('switchboard.approval');
	const value = trusted ? config.get<string>(risk) : config.inspect<string>(risk)?.globalValue;
	return value === 'auto' ? 'auto' : 'ask';
}

export function readRiskModes(trusted = vscode.workspace.isTrusted): Record<Risk, ApprovalMode> {
	const modes = { read: 'ask', write: 'ask', execute: 'ask' } as Record<Risk, ApprovalMode>;
	for (const risk of RISKS) modes[risk] = readRiskMode(risk, trusted);
	return modes;
}

export function alwaysAllowed(state: vscode.Memento): Set<string> {
	const stored = state.get<unknown>(ALWAYS_ALLOW_KEY);
	return new Set(Array.isArray(stored) ? stored.filter((name): name is string => typeof name === 'string') : []);
}

/** Remembers "Always allow <tool> in this workspace". */
export async function addAlwaysAllowed(state: vscode.Memento, toolName: string): Promise<void> {
	const tools = alwaysAllowed(state);
	if (tools.has(toolName)) return;
	tools.add(toolName);
	await state.update(ALWAYS_ALLOW_KEY, [...tools].sort());
}

export async function clearAlwaysAllowed(state: vscode.Memento): Promise<void> {
	await state.update(ALWAYS_ALLOW_KEY, undefined);
}

/** The policy for one turn, read fresh so a settings change applies to the next call. */
export function readApprovalPolicy(state: vscode.Memento, trusted = vscode.workspace.isTrusted): ApprovalPolicy {
	return { risks: readRiskModes(trusted), alwaysAllow: alwaysAllowed(state) };
}

/**
 * The protected paths: the built-in list, plus `protectedPaths` from any scope (adding only makes more calls ask,
 * so a workspace may, even in Restricted Mode), minus `unprotectedPaths` from the user's own settings only.
 */
export function readProtectedPaths(): ProtectedPaths {
	const config = vscode.workspace.getConfiguration('switchboard.approval');
	const inspected = config.inspect<unknown>('protectedPaths');
	const extra = [inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue].flatMap(strings);
	return new ProtectedPaths({ extra, removed: strings(config.inspect<unknown>('unprotectedPaths')?.globalValue) });
}

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
