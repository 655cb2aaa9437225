// Entry point of dist/cli.js (`switchboard`): routes the subcommand, maps failures to exit codes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseChatArgs, usage, UsageError } from './args';
import { runChat } from './chatCommand';
import { visibleControls } from './output';

/**
 * The version in the package.json next to the bundle's folder: the repository's in a clone, the CLI package's
 * own when installed from npm (both are written from the same version).
 */
function version(): string {
	try {
		const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
		return typeof manifest.version === 'string' ? manifest.version : 'unknown';
	} catch {
		return 'unknown';
	}
}

async function main(argv: readonly string[]): Promise<number> {
	const [command, ...rest] = argv;
	if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
		process.stdout.write(usage);
		return command === undefined ? 2 : 0;
	}
	if (command === '--version' || command === '-v' || command === 'version') {
		process.stdout.write(`${version()}\n`);
		return 0;
	}
	if (command !== 'chat') {
		process.stderr.write(`Unknown command '${command}'. The only command is chat: switchboard chat --help\n`);
		return 2;
	}
	const controller = new AbortController();
	// First Ctrl+C cancels the conversation cleanly; a second one exits at once.
	process.once('SIGINT', () => {
		controller.abort();
		process.once('SIGINT', () => process.exit(130));
	});
	try {
		const options = parseChatArgs(rest);
		if (options === 'help') {
			process.stdout.write(usage);
			return 0;
		}
		return await runChat(options, {
			stdout: { write: (text) => process.stdout.write(text) },
			stderr: { write: (text) => process.stderr.write(text) },
			env: process.env,
			terminal: { interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY), input: process.stdin, output: process.stderr },
			stdin: { isTTY: Boolean(process.stdin.isTTY), stream: process.stdin },
			signal: controller.signal,
		});
	} catch (error) {
		if (error instanceof UsageError) {
			// A --tools file's parse error quotes the file: shown, not obeyed.
			process.stderr.write(`switchboard: ${visibleControls(error.message)}\n`);
			return 2;
		}
		process.stderr.write(`switchboard: ${visibleControls(error instanceof Error ? error.message : String(error))}\n`);
		return 1;
	}
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`switchboard: ${String(error)}\n`);
		process.exitCode = 1;
	},
);
