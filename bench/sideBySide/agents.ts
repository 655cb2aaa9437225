// Where the other agents of the side-by-side rows live: bench/agents, a package of its own (pinned versions and
// lockfile) that bench/run.mjs installs with `npm ci` on first use. Never a dependency of the extension.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const agentsDir = path.resolve(__dirname, '../agents');

/** The installed version of a package under bench/agents. */
export function agentVersion(name: string): string {
	const manifest = path.join(agentsDir, 'node_modules', name, 'package.json');
	if (!fs.existsSync(manifest)) throw new Error(`${name} is not installed: run (cd bench/agents && npm ci)`);
	return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}
