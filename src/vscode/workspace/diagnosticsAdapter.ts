// The DiagnosticsPort over vscode.languages.getDiagnostics: whatever the language services and linters report.
import * as vscode from 'vscode';
import type { DiagnosticInfo, DiagnosticSeverity, DiagnosticsPort } from '../../tools/getDiagnostics';

export class VscodeDiagnostics implements DiagnosticsPort {
	async get(file: string | undefined): Promise<DiagnosticInfo[]> {
		const entries: Array<[vscode.Uri, readonly vscode.Diagnostic[]]> = file === undefined
			? vscode.languages.getDiagnostics()
			: [[vscode.Uri.file(file), vscode.languages.getDiagnostics(vscode.Uri.file(file))]];
		return entries
			.filter(([uri]) => uri.scheme === 'file')
			.flatMap(([uri, diagnostics]) => diagnostics.map((diagnostic) => toInfo(uri.fsPath, diagnostic)));
	}
}

function toInfo(file: string, diagnostic: vscode.Diagnostic): DiagnosticInfo {
	const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
	return {
		file,
		line: diagnostic.range.start.line + 1,
		column: diagnostic.range.start.character + 1,
		severity: severityName(diagnostic.severity),
		message: diagnostic.message,
		...(diagnostic.source ? { source: diagnostic.source } : {}),
		...(code !== undefined && code !== '' ? { code: String(code) } : {}),
	};
}

function severityName(severity: vscode.DiagnosticSeverity): DiagnosticSeverity {
	switch (severity) {
		case vscode.DiagnosticSeverity.Error: return 'error';
		case vscode.DiagnosticSeverity.Warning: return 'warning';
		case vscode.DiagnosticSeverity.Information: return 'information';
		case vscode.DiagnosticSeverity.Hint: return 'hint';
	}
}
