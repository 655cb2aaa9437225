import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigFileError, defaultConfigPath, expandEnv, loadConfig, parseConfig } from '../../../src/cli/configFile';
import { UsageError } from '../../../src/cli/args';
import { parseProviderEntry } from '../../../src/providers/providerConfig';
import { repoRoot, writeTempFile } from './runCli';

const file = '/home/me/.config/switchboard/config.json';

/** The error's message, asserting it is a ConfigFileError (exit code 2). */
function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): string {
	try {
		parseConfig(text, file, env);
	} catch (error) {
		assert.ok(error instanceof ConfigFileError && error instanceof UsageError, String(error));
		return error.message;
	}
	assert.fail('the config was accepted');
}

describe('CLI config file', () => {
	it('lives in XDG_CONFIG_HOME, else ~/.config, on Linux and macOS, and in %APPDATA% on Windows', () => {
		assert.equal(defaultConfigPath({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux', '/home/me'), '/x/cfg/switchboard/config.json');
		assert.equal(defaultConfigPath({}, 'darwin', '/Users/me'), '/Users/me/.config/switchboard/config.json');
		// A relative XDG_CONFIG_HOME is invalid under the XDG spec and ignored.
		assert.equal(defaultConfigPath({ XDG_CONFIG_HOME: 'cfg' }, 'linux', '/home/me'), '/home/me/.config/switchboard/config.json');
		assert.equal(defaultConfigPath({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32', 'C:\\Users\\me'), 'C:\\Users\\me\\AppData\\Roaming\\switchboard\\config.json');
		assert.equal(defaultConfigPath({}, 'win32', 'C:\\Users\\me'), 'C:\\Users\\me\\AppData\\Roaming\\switchboard\\config.json');
	});

	it('reads providers in the shape of switchboard.providers, with comments and trailing commas', () => {
		const config = parseConfig(`{
			// The same entries as in VS Code's settings.json, plus the variable holding each key.
			"providers": [
				{ "id": "deepseek", "preset": "deepseek", "models": ["deepseek-chat"], "apiKeyEnv": "DEEPSEEK_API_KEY" },
				{
					"id": "qianfan", "label": "Baidu", "preset": "qianfan", "models": ["ernie-3.5-8k"], "timeoutSeconds": 60,
					"headers": { "X-Team": "blue", "Authorization": "Bearer \${env:QIANFAN_TOKEN}" },
					"extraBody": { "tool_options": { "thoughts_output": true } },
					"quirks": { "ernie": { "systemPrompt": "fold", "explicitToolChoice": true } },
				},
				{ "id": "vertex", "preset": "vertex", "baseUrl": "https://us-aiplatform.googleapis.com/v1/x", "auth": { "command": "gcloud auth print-access-token" }, "models": ["google/gemini-2.5-pro"] },
				{ "id": "local", "protocol": "anthropic", "baseUrl": "http://127.0.0.1:8080", "auth": "none", "models": ["m"] },
			],
			"defaultModel": "deepseek/deepseek-chat",
			"mcpServers": {
				"files": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."], "env": { "GITHUB_TOKEN": "\${env:GH_TOKEN}" }, "cwd": "work" },
				"web": { "url": "https://example.com/mcp", "headers": { "Authorization": "Bearer \${env:WEB_TOKEN}" }, "toolRisk": { "fetch": "read" } },
			},
		}`, file, { GH_TOKEN: 'gh-123', WEB_TOKEN: 'web-456' });
		assert.deepEqual(config.providers.map((entry) => [entry.id, entry.apiKeyEnv]), [['deepseek', 'DEEPSEEK_API_KEY'], ['qianfan', undefined], ['vertex', undefined], ['local', undefined]]);
		const qianfan = config.providers[1];
		assert.equal(qianfan.label, 'Baidu');
		assert.equal(qianfan.timeoutSeconds, 60);
		// Provider headers keep their references: only the provider a run talks to needs its variables set.
		assert.deepEqual(qianfan.headers, { 'X-Team': 'blue', Authorization: 'Bearer ${env:QIANFAN_TOKEN}' });
		assert.deepEqual(qianfan.extraBody, { tool_options: { thoughts_output: true } });
		assert.deepEqual(qianfan.quirks, { ernie: { systemPrompt: 'fold', explicitToolChoice: true } });
		assert.deepEqual(config.providers[2].auth, { command: 'gcloud auth print-access-token' });
		assert.equal(config.providers[3].auth, 'none');
		assert.deepEqual(config.defaultModel, { provider: 'deepseek', model: 'deepseek-chat' });
		assert.deepEqual(config.mcp?.config, { servers: {
			files: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '.'], env: { GITHUB_TOKEN: 'gh-123' }, cwd: '/home/me/.config/switchboard/work' },
			web: { type: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer web-456' }, toolRisk: { fetch: 'read' } },
		} });
		assert.deepEqual(config.mcp?.secrets, ['gh-123', 'Bearer web-456']);
	});

	it('uses the extension\'s own entry reader, which in VS Code skips only the bad field', () => {
		const entry = { id: 'x', preset: 'openai', models: ['gpt-4o', 7], quirks: { llama: { systemPrompt: 'drop', explicitToolChoice: true } } };
		assert.deepEqual(parseProviderEntry(entry), {
			id: 'x', label: undefined, timeoutSeconds: undefined, preset: 'openai', protocol: undefined, baseUrl: undefined, models: ['gpt-4o'],
			headers: {}, extraBody: {}, auth: undefined, quirks: { llama: { explicitToolChoice: true } },
		});
		const message = problemsOf(JSON.stringify({ providers: [entry] }));
		assert.match(message, /"x": "models" must be an array of model id strings/);
		assert.match(message, /"x": quirk "systemPrompt" has the wrong type/);
		assert.equal(parseProviderEntry({ id: 'y', protocol: 'grpc' }), '"y": protocol must be "openai", "anthropic" or "vscode-lm"');
	});

	it('names the file, line and column of a syntax error', () => {
		const message = problemsOf('{\n  "providers": [\n    { "id": "a" "preset": "openai" }\n  ]\n}');
		assert.match(message, /not valid JSON/);
		assert.match(message, new RegExp(`${escape(file)}:3:17: expected "," between entries`));
	});

	it('names the line of each invalid field, with the fix', () => {
		const message = problemsOf([
			'{',
			'  "providers": [',
			'    { "id": "a", "preset": "openai", "models": ["gpt-4o"],',
			'      "protocl": "openai" },',
			'    { "id": "b", "protocol": "grpc" },',
			'    { "id": "c", "preset": "openai", "quirks": { "llama": { "systemPrompt": "drop" } } },',
			'    { "id": "a", "preset": "openai" }',
			'  ],',
			'  "defaultModel": "gpt-4o",',
			'  "theme": "dark"',
			'}',
		].join('\n'));
		assert.match(message, /has 6 problems/);
		assert.match(message, new RegExp(`${escape(file)}:4:7: "a": unknown field "protocl"`));
		assert.match(message, /:5:18: "b": protocol must be "openai", "anthropic" or "vscode-lm"/);
		assert.match(message, /:6:61: "c": quirk "systemPrompt" has the wrong type \("keep" or "fold"\)/);
		assert.match(message, /:7:7: a second provider with id "a"/);
		assert.match(message, /:9:3: "defaultModel" must be "<provider id>\/<model id>"/);
		assert.match(message, /:10:3: unknown setting "theme" \(allowed: providers, defaultModel, mcpServers\)/);
	});

	it('refuses a key written in the file, naming the line but never echoing the key', () => {
		const message = problemsOf('{"providers": [\n  {"id": "openai", "preset": "openai",\n   "apiKey": "sk-live-abc123"}\n]}');
		assert.match(message, /:3:4: keys are never read from the config file: put the key in an environment variable and name it, e\.g\. "apiKeyEnv": "OPENAI_API_KEY"/);
		assert.ok(!message.includes('sk-live-abc123'));
		const header = problemsOf('{"providers": [{"id": "gw", "preset": "custom-openai", "baseUrl": "https://gw.example/v1",\n  "headers": {"Authorization": "Bearer sk-live-abc123"}}]}');
		assert.match(header, /:2:15: "Authorization" holds a secret written in the file; put it in an environment variable and write "\$\{env:AUTHORIZATION_API_KEY\}" instead/);
		assert.ok(!header.includes('sk-live-abc123'));
		const mcp = problemsOf('{"mcpServers": {"gh": {"command": "gh-mcp",\n  "env": {"GITHUB_TOKEN": "ghp_abc123"}}}}');
		assert.match(mcp, /:2:11: MCP server 'gh': "GITHUB_TOKEN" holds a secret/);
		assert.match(problemsOf('{"providers": [{"id": "x", "preset": "openai", "apiKeyEnv": "sk-abc"}]}'), /"apiKeyEnv" takes the NAME of an environment variable/);
	});

	it('reports MCP server problems at the server, and ${env:NAME} that is not set', () => {
		const message = problemsOf('{"mcpServers": {\n  "a": {"command": "x", "arg": ["y"]},\n  "b": {"url": "https://h/mcp", "headers": {"X-Token": "${env:NOT_SET_1}"}}\n}}');
		assert.match(message, /:2:3: MCP server 'a': unknown field "arg"/);
		assert.match(message, /:3:45: MCP server 'b': the environment variable NOT_SET_1 is not set/);
	});

	it('expands ${env:NAME} and names a missing variable', () => {
		assert.equal(expandEnv('Bearer ${env:T}', { T: 'tok' }), 'Bearer tok');
		assert.throws(() => expandEnv('${env:MISSING}', {}), /MISSING is not set/);
	});

	it('treats a missing default file as no config, and a missing --config FILE as a mistake', () => {
		const missing = path.join(path.dirname(writeTempFile('x', '')), 'nope.json');
		assert.equal(loadConfig(missing, false, {}), undefined);
		assert.throws(() => loadConfig(missing, true, {}), (error: unknown) => error instanceof ConfigFileError && /--config .*nope\.json: there is no such file/.test(error.message));
		const notObject = writeTempFile('config.json', '[1]');
		assert.throws(() => loadConfig(notObject, true, {}), /config\.json:1:1: the config file must hold one JSON object/);
	});
});

describe('README CLI section', () => {
	it('shows a config file the CLI accepts', () => {
		const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
		const section = readme.slice(readme.indexOf('### Config file'));
		const example = /```jsonc\n([\s\S]*?)```/.exec(section)?.[1];
		assert.ok(example, 'no jsonc example under "### Config file"');
		const config = parseConfig(example, 'README.md', {});
		assert.deepEqual(config.providers.map((entry) => entry.id), ['deepseek', 'qianfan', 'gateway', 'corp', 'vertex', 'local']);
		assert.deepEqual(config.defaultModel, { provider: 'deepseek', model: 'deepseek-chat' });
	});
});

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
