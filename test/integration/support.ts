// Helpers for the extension-host tests: the extension's test API, polling, and real keyboard input through
// the runner's driver (test/harness/run-ext-tests.mjs).
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/extension';

export const EXTENSION_ID = 'switchboard.switchboard-chat';

export function extension(): vscode.Extension<SwitchboardTestApi | undefined> {
	const found = vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID);
	if (!found) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
	return found;
}

export async function activate(): Promise<SwitchboardTestApi> {
	const api = await extension().activate();
	if (!api) throw new Error('activate() returned no test API: is the extension running in test mode?');
	return api;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

export interface DriverAction {
	/** A selector in the workbench page to wait for (visible) first. */
	waitFor?: string;
	/** A selector to click (Playwright syntax, e.g. '.monaco-dialog-box .monaco-button:has-text("OK")'). */
	click?: string;
	/** Text typed key by key into whatever has focus. */
	type?: string;
	/** One key, e.g. 'Enter'. */
	press?: string;
}

/** Sends real key presses to the workbench in the browser. */
export async function drive(action: DriverAction): Promise<void> {
	const url = process.env.SWITCHBOARD_TEST_DRIVER;
	if (!url) throw new Error('SWITCHBOARD_TEST_DRIVER is not set: run through test/harness/run-ext-tests.mjs');
	const response = await fetch(url, { method: 'POST', body: JSON.stringify(action) });
	if (!response.ok) throw new Error(`driver: ${response.status} ${await response.text()}`);
}

/** The text of the 'Switchboard' log channel, from its file under the extension's log folder. */
export async function logText(api: SwitchboardTestApi): Promise<string> {
	const file = vscode.Uri.joinPath(api.context.logUri, 'Switchboard.log');
	try {
		return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
	} catch {
		return '';
	}
}
