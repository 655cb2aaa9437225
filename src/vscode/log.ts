// The 'Switchboard' log channel. Every line passes through redact(), which knows each key the extension has
// read or stored, so a key can reach the log neither directly nor inside a provider's error message.
import * as vscode from 'vscode';
import { redact } from './redact';

export interface Log {
	info(message: string): void;
	warn(message: string): void;
	error(message: string, error?: unknown): void;
	/** Registers a secret so that later lines never contain it. */
	addSecret(secret: string): void;
	/** The text with every registered secret (and credential-shaped substring) removed; for text shown to the user. */
	redact?(text: string): string;
	show(): void;
}

export class ChannelLog implements Log, vscode.Disposable {
	private readonly channel = vscode.window.createOutputChannel('Switchboard', { log: true });
	private readonly secrets = new Set<string>();

	info(message: string): void {
		this.channel.info(this.clean(message));
	}

	warn(message: string): void {
		this.channel.warn(this.clean(message));
	}

	error(message: string, error?: unknown): void {
		const detail = error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`;
		this.channel.error(this.clean(message + detail));
	}

	addSecret(secret: string): void {
		if (secret) this.secrets.add(secret);
	}

	show(): void {
		this.channel.show(true);
	}

	dispose(): void {
		this.channel.dispose();
	}

	redact(text: string): string {
		return redact(text, this.secrets);
	}

	private clean(text: string): string {
		return redact(text, this.secrets);
	}
}
