// A throw-away copy of test/fixtures/workspace with the things git cannot hold or should not: ignored files,
// a .git folder, a binary file, symlinks (one escaping the workspace) and a file outside it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempWorkspace {
	root: string;
	/** A sibling directory outside the workspace, with secret.txt in it. */
	outside: string;
	cleanup(): void;
}

const fixture = path.join(__dirname, '..', '..', 'fixtures', 'workspace');

export function createTempWorkspace(): TempWorkspace {
	const base = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-ws-'));
	const root = path.join(base, 'project');
	const outside = path.join(base, 'outside');
	fs.cpSync(fixture, root, { recursive: true });
	fs.mkdirSync(outside);
	fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside secret greeting\n');
	write(root, 'build/out.js', 'const greeting = "ignored build output";\n');
	write(root, 'debug.log', 'greeting logged\n');
	write(root, 'node_modules/lib/index.js', 'module.exports = "greeting in a dependency";\n');
	write(root, '.git/config', '[core]\n\tgreeting = no\n');
	write(root, 'project.code-workspace', '{ "folders": [] }\n');
	fs.writeFileSync(path.join(root, 'image.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02]));
	fs.symlinkSync(outside, path.join(root, 'escape'));
	fs.symlinkSync(path.join(root, 'src', 'util'), path.join(root, 'inner-link'));
	return { root, outside, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}

function write(root: string, relative: string, text: string): void {
	const file = path.join(root, relative);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, text);
}
