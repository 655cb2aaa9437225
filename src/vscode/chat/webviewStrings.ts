// The chat webview cannot call vscode.l10n, so the host looks its English strings up in the extension's l10n bundle
// (the English text is the key there, as for every host string) and sends the translations in ViewState.l10n.
import * as vscode from 'vscode';
import { english } from '../../webview/l10n';

/** The webview's strings in VS Code's display language, keyed as in src/webview/l10n.ts; none in English. */
export function webviewStrings(bundle: Record<string, string> | undefined = vscode.l10n.bundle): Record<string, string> | undefined {
	if (!bundle) return undefined;
	const strings: Record<string, string> = {};
	for (const [key, text] of Object.entries(english)) {
		// Bundle values are templates: {0}, {1} stay for the webview's own t() to fill.
		const translated = bundle[text];
		if (typeof translated === 'string' && translated !== text) strings[key] = translated;
	}
	return Object.keys(strings).length > 0 ? strings : undefined;
}

/** The translations as an HTML attribute value (JSON, escaped), for the page's meta switchboard-l10n. */
export function webviewStringsAttribute(): string {
	const replacements: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };
	return JSON.stringify(webviewStrings() ?? {}).replace(/[&"<>]/g, (char) => replacements[char]);
}
