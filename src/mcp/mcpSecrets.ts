// `${secret:NAME}` in an MCP server's `env` and `headers` values: the token stays in the editor's secret store and
// only the reference sits in settings. Resolving needs a store (VS Code's SecretStorage); this file only finds and
// replaces references, so the same rules hold wherever a config is read.
import type { McpConfig, McpServerConfig } from './mcpConfig';

/** `${secret:github-token}`: letters, digits, '.', '_' and '-'. */
const reference = /\$\{secret:([A-Za-z0-9._-]+)\}/g;
export const secretNamePattern = /^[A-Za-z0-9._-]+$/;

/** Every secret name the server's env and headers refer to, in order of first use. */
export function secretNames(server: McpServerConfig): string[] {
	const names = new Set<string>();
	for (const value of Object.values(fieldValues(server))) for (const match of value.matchAll(reference)) names.add(match[1]);
	return [...names];
}

export interface ResolvedMcpConfig {
	config: McpConfig;
	/** One line per server left out because a secret it needs is not set. */
	problems: string[];
	/** The resolved values, for the log's redaction; never to be shown. */
	values: string[];
}

/**
 * Replaces the references with the stored values. A server whose reference has no stored value is left out with
 * a problem naming the secret and the command that sets it.
 */
export async function resolveSecrets(config: McpConfig, lookup: (name: string) => Promise<string | undefined>, setCommand: string): Promise<ResolvedMcpConfig> {
	const servers: Record<string, McpServerConfig> = {};
	const problems: string[] = [];
	const values = new Set<string>();
	for (const [name, server] of Object.entries(config.servers)) {
		const names = secretNames(server);
		if (names.length === 0) {
			servers[name] = server;
			continue;
		}
		const found = new Map<string, string>();
		const missing: string[] = [];
		for (const secret of names) {
			const value = await lookup(secret);
			if (value === undefined || value === '') missing.push(secret);
			else found.set(secret, value);
		}
		if (missing.length > 0) {
			problems.push(`MCP server '${name}' is not started: the ${missing.length === 1 ? 'secret' : 'secrets'} ${missing.map((s) => `'${s}'`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set. Set ${missing.length === 1 ? 'it' : 'them'} with the command "${setCommand}".`);
			continue;
		}
		for (const value of found.values()) values.add(value);
		servers[name] = substitute(server, (secret) => found.get(secret) ?? '');
	}
	return { config: { servers }, problems, values: [...values] };
}

function fieldValues(server: McpServerConfig): Record<string, string> {
	return server.type === 'http' ? { ...server.headers } : { ...server.env };
}

function substitute(server: McpServerConfig, value: (name: string) => string): McpServerConfig {
	const replace = (map: Record<string, string> | undefined): Record<string, string> | undefined =>
		map && Object.fromEntries(Object.entries(map).map(([key, text]) => [key, text.replace(reference, (_match, name: string) => value(name))]));
	return server.type === 'http' ? { ...server, headers: replace(server.headers) } : { ...server, env: replace(server.env) };
}
