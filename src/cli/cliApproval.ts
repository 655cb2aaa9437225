// --approve for the CLI: a policy per risk class, and a y/N prompt on a terminal. Without a terminal nobody can
// answer, so calls that need asking are denied with a reason the model (and the user, on stderr) can read.
import * as readline from 'node:readline';
import type { ApprovalHook, ApprovalPolicy, ApprovalRequest } from '../chat/approvals';
import type { ApproveMode } from './args';
import { visibleControls } from './output';

export interface Terminal {
	/** Whether someone can answer (stdin and stderr are TTYs). */
	interactive: boolean;
	input: NodeJS.ReadableStream;
	output: NodeJS.WritableStream;
}

export function policyFor(mode: ApproveMode): ApprovalPolicy {
	switch (mode) {
		case 'all': return { risks: { read: 'auto', write: 'auto', execute: 'auto' }, alwaysAllow: new Set() };
		case 'read': return { risks: { read: 'auto', write: 'ask', execute: 'ask' }, alwaysAllow: new Set() };
		case 'ask':
		case 'none':
			return { risks: { read: 'ask', write: 'ask', execute: 'ask' }, alwaysAllow: new Set() };
	}
}

/** What the CLI hands the agent loop: the policy `--approve` names, and the prompt for the calls that ask. */
export interface CliApproval {
	policy: () => ApprovalPolicy;
	approve: ApprovalHook;
}

/**
 * `redact` removes the credentials the process holds from what the prompt shows (the prompt writes to the terminal
 * directly, not through the scrubbing sinks). Whether a call asks is the loop's decision (src/chat/approvals.ts).
 */
export function cliApproval(mode: ApproveMode, terminal: Terminal, note: (line: string) => void, redact: (text: string) => string = (text) => text): CliApproval {
	const policy = policyFor(mode);
	return { policy: () => policy, approve: cliApprovalHook(mode, terminal, note, redact) };
}

/** Answers a call that asks: denied with --approve none or without a terminal, else a y/N prompt. */
export function cliApprovalHook(mode: ApproveMode, terminal: Terminal, note: (line: string) => void, redact: (text: string) => string = (text) => text): ApprovalHook {
	if (mode === 'none') return async () => ({ approved: false, reason: 'Tool calls are not allowed in this session (--approve none).' });
	// Prompts one at a time: parallel calls would otherwise interleave their questions.
	let queue: Promise<unknown> = Promise.resolve();
	return (request, signal) => {
		if (!terminal.interactive) {
			const why = request.approval.forcedReason ? ` (${request.approval.forcedReason})` : '';
			note(visibleControls(`Denied ${request.info.summary}${why}: no terminal to ask on; use --approve read or --approve all to allow calls.`));
			return Promise.resolve({ approved: false, reason: `Not approved: nobody could be asked${why}.` });
		}
		const answer = queue.then(() => prompt(request, terminal, signal, redact));
		queue = answer.catch(() => undefined);
		return answer;
	};
}

async function prompt(request: ApprovalRequest, terminal: Terminal, signal: AbortSignal, redact: (text: string) => string): Promise<{ approved: true } | { approved: false; reason?: string }> {
	if (signal.aborted) return { approved: false, reason: 'The conversation was cancelled.' };
	// The summary and reason hold what the model chose (paths, arguments): their controls are shown, not obeyed,
	// so an ESC[8m in a path cannot hide the warning after it. The summary is cut for one line; the arguments
	// follow in full, wrapped, so nothing the command would receive is hidden from the person deciding.
	const lines = [`\nAllow ${request.info.risk} tool call: ${visibleControls(request.info.summary)}`];
	if (request.approval.forcedReason) lines.push(`  Always asks: ${visibleControls(request.approval.forcedReason)}`);
	lines.push(`  Arguments: ${visibleControls(JSON.stringify(request.input) ?? 'none')}`);
	const width = widthOf(terminal.output);
	terminal.output.write(`${redact(lines.flatMap((line) => wrap(line, width)).join('\n'))}\n`);
	const rl = readline.createInterface({ input: terminal.input, output: terminal.output, terminal: false });
	try {
		const answer = await new Promise<string>((resolve) => {
			const onAbort = (): void => resolve('');
			signal.addEventListener('abort', onAbort, { once: true });
			rl.question('Approve? [y/N] (or type a reason to deny) ', (text) => {
				signal.removeEventListener('abort', onAbort);
				resolve(text);
			});
			rl.once('close', () => resolve(''));
		});
		const trimmed = answer.trim();
		if (/^(y|yes)$/i.test(trimmed)) return { approved: true };
		return { approved: false, reason: trimmed && !/^(n|no)$/i.test(trimmed) ? trimmed : undefined };
	} finally {
		rl.close();
	}
}

/** Continuation lines start with four spaces; whole code points are kept together. */
export function wrap(text: string, width: number): string[] {
	const chars = Array.from(text);
	const lines = [chars.slice(0, width).join('')];
	for (let at = width; at < chars.length; at += width - 4) lines.push(`    ${chars.slice(at, at + width - 4).join('')}`);
	return lines;
}

function widthOf(output: NodeJS.WritableStream): number {
	const columns = (output as { columns?: number }).columns;
	return typeof columns === 'number' && columns >= 40 ? Math.min(columns, 160) : 100;
}
