// get_diagnostics: the errors and warnings the editor's language services report, for one file or all files.
// No 'vscode' here: the DiagnosticsPort (src/vscode/workspace/diagnosticsAdapter.ts) reads vscode.languages.getDiagnostics.
import { approvalInfo, pathApproval } from './pathApproval';
import { phrase } from './phrases';
import { defineTool, type AnyTool } from './types';

export type DiagnosticSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface DiagnosticInfo {
	/** Absolute file-system path. */
	file: string;
	/** 1-based, as editors show them. */
	line: number;
	column: number;
	severity: DiagnosticSeverity;
	message: string;
	source?: string;
	code?: string;
}

export interface DiagnosticsPort {
	/** Diagnostics of one file (absolute path), or of every file when `file` is undefined. */
	get(file: string | undefined): Promise<DiagnosticInfo[]>;
}

export interface GetDiagnosticsInput {
	path?: string;
}

const maxDiagnostics = 200;

export function createGetDiagnosticsTool(port: DiagnosticsPort): AnyTool {
	return defineTool<GetDiagnosticsInput>({
		name: 'get_diagnostics',
		description: 'Get the errors and warnings VS Code reports (compiler, linter …) for one file, or for the whole workspace '
			+ `when no path is given. Returns severity, file:line:column, message and source; at most ${maxDiagnostics}.`,
		inputSchema: {
			type: 'object',
			properties: {
				path: { type: 'string', description: 'File path relative to the workspace root; omit for all files.' },
			},
			additionalProperties: false,
		},
		risk: 'read',
		parse: (raw) => raw as GetDiagnosticsInput,
		async approval(input, context) {
			if (!input.path) return approvalInfo('read', phrase('diagnosticsWorkspace'));
			return pathApproval('read', phrase('diagnosticsFor', input.path), await context.workspace.resolve(input.path));
		},
		async invoke(input, context) {
			const target = input.path ? await context.workspace.resolve(input.path) : undefined;
			const all = (await port.get(target?.absolute)).filter((item) => item.severity === 'error' || item.severity === 'warning');
			const scope = target ? target.display : 'the workspace';
			if (all.length === 0) return { type: 'text', value: `No errors or warnings in ${scope}.` };
			// Errors first: with a cap, they are the ones worth keeping.
			const sorted = [...all].sort((a, b) => rank(a.severity) - rank(b.severity) || a.file.localeCompare(b.file) || a.line - b.line);
			const shown = sorted.slice(0, maxDiagnostics);
			const displays = new Map<string, string>();
			for (const file of new Set(shown.map((item) => item.file))) {
				displays.set(file, file === target?.absolute ? target.display : (await context.workspace.resolve(file)).display);
			}
			const lines = shown.map((item) => {
				const origin = [item.source, item.code].filter(Boolean).join(' ');
				return `${item.severity} ${displays.get(item.file)}:${item.line}:${item.column}: ${item.message}${origin ? ` (${origin})` : ''}`;
			});
			const errors = all.filter((item) => item.severity === 'error').length;
			const header = `${errors} error(s), ${all.length - errors} warning(s) in ${scope}.`;
			if (all.length > maxDiagnostics) lines.push(`[${all.length - maxDiagnostics} more not shown; ask for one file at a time.]`);
			return { type: 'text', value: `${header}\n${lines.join('\n')}` };
		},
	});
}

function rank(severity: DiagnosticSeverity): number {
	return severity === 'error' ? 0 : 1;
}
