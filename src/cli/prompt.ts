// Where the prompt comes from: the argument, standard input ('-'), both in the order given, or a piped standard
// input when there is no argument, so the CLI composes in scripts: `git diff | switchboard chat "Review:" -`.
import { UsageError } from './args';

export interface PromptInput {
	/** A terminal: nothing is piped, so it is read only for an explicit '-' (ended with Ctrl+D). */
	isTTY: boolean;
	stream: NodeJS.ReadableStream;
}

/** Beyond this the input is refused rather than held in memory; no model takes a prompt this long. */
export const maxStdinBytes = 16 * 1024 * 1024;

export class PromptCancelled extends Error {
	override readonly name = 'PromptCancelled';
}

/** The prompt text, and whether standard input was read (then nobody can answer approval questions on it). */
export async function readPrompt(parts: readonly string[], stdin: PromptInput, signal: AbortSignal): Promise<{ text: string; usedStdin: boolean }> {
	const fromStdin = parts.length === 0 ? !stdin.isTTY : parts.includes('-');
	if (parts.length === 0 && !fromStdin) {
		throw new UsageError('Give a prompt: switchboard chat [options] "your prompt", or pipe one in: echo "your prompt" | switchboard chat [options].');
	}
	if (!fromStdin) return { text: parts.join(''), usedStdin: false };
	const input = await readAll(stdin.stream, signal);
	if (input.trim() === '') throw new UsageError('Standard input was empty, so there is no prompt: pipe text in, or give the prompt as an argument.');
	const text = parts.length === 0 ? input : parts.map((part) => (part === '-' ? input : part)).join('\n\n');
	return { text, usedStdin: true };
}

function readAll(stream: NodeJS.ReadableStream, signal: AbortSignal): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const finish = (error?: Error): void => {
			stream.off('data', onData).off('end', onEnd).off('error', onError);
			signal.removeEventListener('abort', onAbort);
			if (error) reject(error);
			else resolve(Buffer.concat(chunks).toString('utf8'));
		};
		const onData = (chunk: Buffer | string): void => {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += buffer.length;
			if (size > maxStdinBytes) {
				stream.pause();
				finish(new UsageError(`Standard input is over ${maxStdinBytes / 1024 / 1024} MB; pass a shorter prompt (or a file through --workspace and read_file).`));
				return;
			}
			chunks.push(buffer);
		};
		const onEnd = (): void => finish();
		const onError = (error: Error): void => finish(new UsageError(`Cannot read standard input: ${error.message}`));
		const onAbort = (): void => finish(new PromptCancelled('Cancelled while reading the prompt from standard input.'));
		if (signal.aborted) return onAbort();
		stream.on('data', onData).on('end', onEnd).on('error', onError);
		signal.addEventListener('abort', onAbort, { once: true });
		stream.resume();
	});
}
