#!/usr/bin/env node
// `npm run pack:cli`: the CLI as an npm package, dist/switchboard-chat-cli-<version>.tgz, which installs with
// `npm install -g <tarball>` and gives the `switchboard` command. The repository's package.json is the extension's
// manifest (private, so it can never be published by accident, and full of VS Code fields and the SDKs the bundles
// already contain), so the CLI gets a manifest of its own, written here into dist/cli-package/: a bin, the Node
// engine, no dependencies (dist/cli.js bundles them, so installing needs no registry), and only dist/cli.js,
// README.md and LICENSE. Prints the tarball's path on the last line of stdout.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const cliPackageName = 'switchboard-chat-cli';

const root = path.resolve(import.meta.dirname, '..', '..');
const dist = path.join(root, 'dist');
const stage = path.join(dist, 'cli-package');
const extension = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

// A production bundle of the CLI alone: the extension's bundles in dist/ stay as they are.
execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production', '--cli-only'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(path.join(stage, 'dist'), { recursive: true });
fs.copyFileSync(path.join(dist, 'cli.js'), path.join(stage, 'dist', 'cli.js'));
fs.chmodSync(path.join(stage, 'dist', 'cli.js'), 0o755);
for (const name of ['README.md', 'LICENSE']) fs.copyFileSync(path.join(root, name), path.join(stage, name));
const manifest = {
	name: cliPackageName,
	version: extension.version,
	description: 'Switchboard\'s chat engine as a command: OpenAI- and Anthropic-protocol models with tools, in a terminal or a script.',
	license: extension.license,
	bin: { switchboard: 'dist/cli.js' },
	files: ['dist/cli.js'],
	engines: { node: extension.engines.node },
	keywords: ['llm', 'chat', 'cli', 'openai', 'anthropic', 'mcp', 'agent'],
};
fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// `npm run` says which npm is running; outside it, the npm on PATH (a .cmd shim on Windows needs the shell).
const npmCli = process.env.npm_execpath;
const [command, args] = npmCli && /npm-cli\.c?js$/.test(npmCli) ? [process.execPath, [npmCli]] : ['npm', []];
const output = execFileSync(command, [...args, 'pack', '--json', '--pack-destination', dist], { cwd: stage, encoding: 'utf8', shell: command === 'npm' && process.platform === 'win32' });
const [{ filename }] = JSON.parse(output);
process.stdout.write(`${path.join(dist, filename)}\n`);
