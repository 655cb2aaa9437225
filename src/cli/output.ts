// What the CLI prints: streamed text on stdout and tool activity on stderr (human), or one JSON object (--json).
// Every write passes through a scrubber so a key can never be printed, whatever a provider echoes back, and every
// text that came from a model, a provider or a file has its terminal controls made visible (visibleControls).
import type { AgentLoopResult } from '../chat/agentLoop';
import type { LoopErrorInfo, LoopEvent } from '../chat/loopEvents';
import type { ToolCall } from '../shared/toolCall';
import type { ToolProgress } from '../tools/types';

export interface Sink {
	write(text: string): void;
}

/** A sink that may hold text back; flush() writes what it holds. */
export interface ScrubbingSink extends Sink {
	flush(): void;
}

/**
 * Replaces every occurrence of each secret with '***'. `secrets` is read at each write: a token command's token
 * is known only once it has run. Streamed text arrives in pieces, so a secret may be split across writes: the end
 * of a write that could begin a secret is held until the next write or flush().
 */
export function scrubbing(sink: Sink, secrets: () => ReadonlyArray<string | undefined>): ScrubbingSink {
	let held = '';
	return {
		write(text) {
			const values = secrets().filter((s): s is string => typeof s === 'string' && s.length >= 4);
			if (values.length === 0 && held === '') return sink.write(text);
			const clean = redactAll(held + text, values);
			const keep = secretPrefixAtEnd(clean, values);
			held = clean.slice(clean.length - keep);
			if (clean.length > keep) sink.write(clean.slice(0, clean.length - keep));
		},
		flush() {
			if (held) sink.write(held);
			held = '';
		},
	};
}

/** `text` with every occurrence of each secret (at least 4 characters) replaced by '***'. */
export function redactAll(text: string, secrets: ReadonlyArray<string | undefined>): string {
	const values = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
	return values.reduce((out, secret) => out.split(secret).join('***'), text);
}

/**
 * Terminal controls made visible: C0 controls other than tab and newline (ESC starts OSC 52 clipboard writes,
 * OSC 8 links, ESC[8m hidden text; a lone CR overwrites the line), DEL, and C1 controls (U+009B is a one-character
 * CSI on some terminals) become their Unicode control pictures or a \u escape, so nothing a model, a provider or a
 * file wrote can drive the terminal. The CLI's own output never passes through here.
 */
export function visibleControls(text: string): string {
	// eslint-disable-next-line no-control-regex -- matching control characters is the point
	return text.replace(/\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, (char) => {
		const code = char.charCodeAt(0);
		if (code < 0x20) return String.fromCharCode(0x2400 + code);
		if (code === 0x7f) return '\u2421';
		return `\\u${code.toString(16).padStart(4, '0')}`;
	});
}

/** A JSON text with DEL and the C1 controls escaped too (JSON.stringify escapes only C0): the same value. */
export function escapeJsonControls(json: string): string {
	return json.replace(/[\x7f-\x9f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Length of the longest end of `text` that is the start of a secret (and might continue in the next write). */
function secretPrefixAtEnd(text: string, secrets: readonly string[]): number {
	let longest = 0;
	for (const secret of secrets) {
		for (let length = Math.min(secret.length - 1, text.length); length > longest; length--) {
			if (text.endsWith(secret.slice(0, length))) {
				longest = length;
				break;
			}
		}
	}
	return longest;
}

/** The --json document: the CLI's public shape, field for field. */
export function toJsonDocument(result: AgentLoopResult): unknown {
	return {
		steps: result.steps.map((step) => ({
			text: step.text,
			reasoning: step.reasoning,
			toolCalls: step.toolCalls.map((call) => ({ id: call.id, name: call.name, arguments: call.arguments, status: call.status, result: call.result })),
			finish: step.finish,
			usage: step.usage,
			warnings: step.warnings,
		})),
		error: result.error === null ? null : {
			kind: result.error.kind,
			status: result.error.status ?? null,
			message: result.error.message,
			retryable: result.error.retryable,
		},
	};
}

export function describeError(error: LoopErrorInfo): string {
	const status = error.status !== undefined ? ` ${error.status}` : '';
	return `Error (${error.kind}${status}): ${visibleControls(error.message)}`;
}

/** Renders loop events for a person: the answer on stdout, everything else on stderr. */
export function humanRenderer(stdout: Sink, stderr: Sink): { onEvent: (event: LoopEvent) => void; finish: () => void } {
	let textEndsWithNewline = true;
	let wroteText = false;
	let inReasoning = false;
	const breakLine = (): void => {
		if (!textEndsWithNewline) {
			stdout.write('\n');
			textEndsWithNewline = true;
		}
	};
	const onEvent = (event: LoopEvent): void => {
		switch (event.type) {
			case 'text-delta':
				if (inReasoning) {
					stderr.write('\n');
					inReasoning = false;
				}
				stdout.write(visibleControls(event.delta));
				wroteText = true;
				textEndsWithNewline = event.delta.endsWith('\n');
				return;
			case 'reasoning-delta':
				if (!inReasoning) stderr.write('[thinking] ');
				inReasoning = true;
				stderr.write(visibleControls(event.delta));
				return;
			case 'call-update': {
				const line = callLine(event.call);
				if (line) {
					breakLine();
					stderr.write(`${visibleControls(line)}\n`);
				}
				return;
			}
			case 'retry':
				stderr.write(`Retrying in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt}): ${visibleControls(event.error.message)}\n`);
				return;
			case 'warning':
				stderr.write(`Warning: ${visibleControls(event.message)}\n`);
				return;
			case 'step-start':
			case 'usage':
			case 'step-end':
				return;
		}
	};
	return {
		onEvent,
		finish: () => {
			if (inReasoning) stderr.write('\n');
			if (wroteText) breakLine();
		},
	};
}

function callLine(call: ToolCall): string | undefined {
	const name = call.toolName;
	switch (call.state) {
		case 'streaming':
		case 'awaiting-approval':
			return undefined;
		case 'running':
			return call.progress ? `… ${call.summary}: ${progressText(call.progress)}` : `→ ${call.summary}`;
		case 'done':
			return `✓ ${call.summary}`;
		case 'error':
			return `✗ ${call.summary}: ${firstLine(call.result.text)}`;
		case 'denied':
			return `⊘ ${call.summary} denied${call.reason ? `: ${call.reason}` : ''}`;
		case 'invalid':
			return `✗ ${name}: ${firstLine(call.message)}`;
		case 'incomplete':
			return `✗ ${name}: incomplete, not run`;
	}
}

function progressText(progress: ToolProgress): string {
	const percent = progress.fraction === undefined ? '' : `${Math.round(progress.fraction * 100)}%`;
	return [percent, progress.message ? firstLine(progress.message) : ''].filter(Boolean).join(' ') || 'working';
}

function firstLine(text: string): string {
	const line = text.split('\n')[0];
	return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
