// --approve for the CLI: a policy per risk class, and a y/N prompt on a terminal. Without a terminal nobody can
// answer, so calls that need asking are denied with a reason the model (and the user, on stderr) can read.
import * as readline from 'node:readline';
import { policyHook, type ApprovalHook, type ApprovalPolicy, type ApprovalRequest } from '../chat/approvals';
import type { ApproveMode } from './args';

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

export function cliApprovalHook(mode: ApproveMode, terminal: Terminal, note: (line: string) => void): ApprovalHook {
	if (mode === 'none') return async () => ({ approved: false, reason: 'Tool calls are not allowed in this session (--approve none).' });
	// Prompts one at a time: parallel calls would otherwise interleave their questions.
	let queue: Promise<unknown> = Promise.resolve();
	const ask: ApprovalHook = (request, signal) => {
		if (!terminal.interactive) {
			const why = request.info.forcedReason ? ` (${request.info.forcedReason})` : '';
			note(`Denied ${request.info.summary}${why}: no terminal to ask on; use --approve read or --approve all to allow calls.`);
			return Promise.resolve({ approved: false, reason: `Not approved: nobody could be asked${why}.` });
		}
		const answer = queue.then(() => prompt(request, terminal, signal));
		queue = answer.catch(() => undefined);
		return answer;
	};
	return policyHook(policyFor(mode), ask);
}

async function prompt(request: ApprovalRequest, terminal: Terminal, signal: AbortSignal): Promise<{ approved: true } | { approved: false; reason?: string }> {
	if (signal.aborted) return { approved: false, reason: 'The conversation was cancelled.' };
	const lines = [`\nAllow ${request.info.risk} tool call: ${request.info.summary}`];
	if (request.info.forcedReason) lines.push(`  Always asks: ${request.info.forcedReason}`);
	terminal.output.write(`${lines.join('\n')}\n`);
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
