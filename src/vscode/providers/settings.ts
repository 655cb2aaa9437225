// Reads Switchboard's settings into typed values. Malformed entries are skipped with a log line, not thrown:
// settings are hand-edited JSON and one bad entry must not take the others down.
import * as vscode from 'vscode';
import { parseModelRef, parseProviderEntry, type ProviderEntry } from '../../providers/providerConfig';
import type { Log } from '../log';

// The entry's shape and reader live with the provider engine, shared with the CLI's config file.
export type { ProviderEntry } from '../../providers/providerConfig';

export type ApprovalMode = 'ask' | 'auto';

export function readProviders(log?: Log): ProviderEntry[] {
	const raw = vscode.workspace.getConfiguration('switchboard').get<unknown>('providers');
	const entries: ProviderEntry[] = [];
	const seen = new Set<string>();
	for (const value of Array.isArray(raw) ? raw : []) {
		const parsed = parseProviderEntry(value);
		if (typeof parsed === 'string') log?.warn(`Ignoring a switchboard.providers entry: ${parsed}`);
		else if (seen.has(parsed.id)) log?.warn(`Ignoring a second switchboard.providers entry with id "${parsed.id}"`);
		else {
			seen.add(parsed.id);
			entries.push(parsed);
		}
	}
	return entries;
}

export function readDefaultModel(): { provider: string; model: string } | undefined {
	return parseModelRef(vscode.workspace.getConfiguration('switchboard').get<string>('defaultModel') ?? '');
}

export function readApproval(risk: 'read' | 'write' | 'execute'): ApprovalMode {
	return vscode.workspace.getConfiguration('switchboard.approval').get<string>(risk) === 'auto' ? 'auto' : 'ask';
}

export function readMaxSteps(): number {
	const value = vscode.workspace.getConfiguration('switchboard').get<number>('maxSteps') ?? 25;
	return Number.isInteger(value) && value > 0 ? value : 25;
}

function wholeSeconds(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

/** Seconds without a byte before a request is abandoned; 0 turns the watchdog off. */
export function readRequestTimeoutSeconds(): number {
	return wholeSeconds(vscode.workspace.getConfiguration('switchboard').get<unknown>('requestTimeoutSeconds')) ?? 300;
}
