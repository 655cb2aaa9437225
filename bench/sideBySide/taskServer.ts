// The loopback OpenAI-compatible model of the whole-agent row: one scripted task in five steps (read README.md,
// list the root, read src/greet.ts, read notes.txt, answer), spoken in each client's own tool names and argument
// names, read from the tool definitions it sends. Requests without tools (titles, summaries) get a short answer.
// Records each request's arrival and size (system prompt and tool definitions apart).
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

interface ToolDefinition {
	type?: string;
	function?: { name: string; description?: string; parameters?: JsonSchema };
}
interface JsonSchema {
	type?: string | string[];
	properties?: Record<string, JsonSchema & { description?: string }>;
	required?: string[];
	items?: JsonSchema;
}
interface Message {
	role: string;
	content?: unknown;
}

export interface TaskRequest {
	at: number;
	bytes: number;
	toolsBytes: number;
	systemBytes: number;
	tools: number;
	step: number | undefined;
	toolNames: string[];
}

export const steps = [
	{ kind: 'read', target: 'README.md' },
	{ kind: 'list', target: '.' },
	{ kind: 'read', target: 'src/greet.ts' },
	{ kind: 'read', target: 'notes.txt' },
] as const;
export const finalAnswer = 'The workspace holds a README, src/greet.ts (a greet function) and meeting notes. BENCH-TASK-DONE';

const readNames = [/^read_?file$/i, /^read$/i, /^view$/i, /read.?file/i];
const listNames = [/^list_?(directory|dir|files)$/i, /^ls$/i, /^list$/i, /list.?(dir|files)/i];
/** Agents without a listing tool list with their glob tool, or else their shell tool. */
const globNames = [/^glob$/i, /^find_?files$/i];
const shellNames = [/^run_commands?$/i, /^bash$/i, /^run_shell_command$/i, /^shell$/i];
const pathNames = ['files', 'path', 'file_path', 'filePath', 'absolute_path', 'filepath', 'dir_path', 'dirPath', 'directory', 'paths', 'target_file'];

function pick(tools: ToolDefinition[], patterns: RegExp[]): ToolDefinition | undefined {
	for (const pattern of patterns) {
		const found = tools.find((tool) => pattern.test(tool.function?.name ?? ''));
		if (found) return found;
	}
	return undefined;
}

/** Arguments for `tool` naming `target` (relative to the workspace), in the shape its schema asks for. */
function argumentsFor(tool: ToolDefinition, target: string, workspace: string): Record<string, unknown> {
	const schema = tool.function?.parameters ?? {};
	const properties = schema.properties ?? {};
	const name = pathNames.find((candidate) => candidate in properties) ?? schema.required?.find((key) => properties[key]?.type === 'string') ?? 'path';
	const property = properties[name] ?? {};
	// Some agents take absolute paths only, and say so in the parameter's description.
	const absolute = /absolute/i.test(property.description ?? '') || /absolute/i.test(tool.function?.description ?? '');
	const value = absolute ? path.join(workspace, target) : target;
	// An array of paths, or of { path } entries (a multi-file read).
	const entry = property.items?.properties?.path ? { path: value } : value;
	const args: Record<string, unknown> = { [name]: property.type === 'array' ? [entry] : value };
	for (const key of schema.required ?? []) {
		if (key in args) continue;
		const type = properties[key]?.type;
		args[key] = type === 'boolean' ? false : type === 'integer' || type === 'number' ? 0 : type === 'array' ? [] : '';
	}
	return args;
}

/** A glob tool's arguments for "every entry at the root": the pattern parameter, named as its schema names it. */
function globArguments(tool: ToolDefinition): Record<string, unknown> {
	const properties = tool.function?.parameters?.properties ?? {};
	const name = ['pattern', 'glob', 'query'].find((candidate) => candidate in properties) ?? 'pattern';
	return { [name]: '*' };
}

function shellArguments(tool: ToolDefinition): Record<string, unknown> {
	const properties = tool.function?.parameters?.properties ?? {};
	return 'commands' in properties ? { commands: ['ls -a'] } : { command: 'ls -a' };
}

function sse(res: http.ServerResponse, model: string, content: string | undefined, call: { name: string; args: string } | undefined): void {
	const base = { id: 'chatcmpl-task', object: 'chat.completion.chunk', created: 1_700_000_000, model };
	const line = (delta: Record<string, unknown>, finish: string | null = null): string => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
	const parts = [line({ role: 'assistant', content: content ?? '' })];
	if (call) {
		parts.push(line({ tool_calls: [{ index: 0, id: `call_${Date.now()}`, type: 'function', function: { name: call.name, arguments: '' } }] }));
		parts.push(line({ tool_calls: [{ index: 0, function: { arguments: call.args } }] }));
	}
	parts.push(line({}, call ? 'tool_calls' : 'stop'));
	parts.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } })}\n\n`, 'data: [DONE]\n\n');
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }).end(parts.join(''));
}

function json(res: http.ServerResponse, model: string, content: string | undefined, call: { name: string; args: string } | undefined): void {
	const message = { role: 'assistant', content: content ?? null, ...(call ? { tool_calls: [{ id: `call_${Date.now()}`, type: 'function', function: { name: call.name, arguments: call.args } }] } : {}) };
	res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
		id: 'chatcmpl-task', object: 'chat.completion', created: 1_700_000_000, model,
		choices: [{ index: 0, message, finish_reason: call ? 'tool_calls' : 'stop' }], usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
	}));
}

export interface TaskServer {
	baseUrl: string;
	requests: TaskRequest[];
	/** Problems seen (a client without a read or list tool, an unparseable body). */
	problems: string[];
	/** Clears the record for the next run, whose workspace (for absolute paths) is `workspace`. */
	reset(workspace: string): void;
	close(): Promise<void>;
}

export async function startTaskServer(model: string): Promise<TaskServer> {
	let workspace = '';
	const requests: TaskRequest[] = [];
	const problems: string[] = [];
	const server = http.createServer((req, res) => {
		const pieces: Buffer[] = [];
		req.on('data', (piece: Buffer) => pieces.push(piece));
		req.on('end', () => {
			const raw = Buffer.concat(pieces);
			if (req.method !== 'POST') {
				res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model', owned_by: 'bench' }] }));
				return;
			}
			let body: { messages?: Message[]; tools?: ToolDefinition[]; stream?: boolean };
			try {
				body = JSON.parse(raw.toString('utf8')) as typeof body;
			} catch {
				problems.push(`unparseable request body on ${req.url}`);
				res.writeHead(400).end();
				return;
			}
			const tools = body.tools ?? [];
			if (process.env.BENCH_DUMP_TOOLS && tools.length) fs.writeFileSync(process.env.BENCH_DUMP_TOOLS, JSON.stringify(tools, null, 1));
			const messages = body.messages ?? [];
			const system = messages.filter((message) => message.role === 'system' || message.role === 'developer');
			const step = tools.length > 0 ? messages.filter((message) => message.role === 'tool').length : undefined;
			requests.push({
				at: performance.timeOrigin + performance.now(), bytes: raw.length, toolsBytes: JSON.stringify(tools).length,
				systemBytes: JSON.stringify(system.map((message) => message.content)).length, tools: tools.length, step, toolNames: tools.map((tool) => tool.function?.name ?? '?'),
			});
			const answer = body.stream ? sse : json;
			if (step === undefined) return answer(res, model, 'Bench task', undefined);
			const plan = steps[step];
			if (!plan) return answer(res, model, finalAnswer, undefined);
			const tool = pick(tools, plan.kind === 'read' ? readNames : listNames);
			const glob = plan.kind === 'list' && !tool ? pick(tools, globNames) : undefined;
			if (glob?.function) return answer(res, model, undefined, { name: glob.function.name, args: JSON.stringify(globArguments(glob)) });
			const shell = plan.kind === 'list' && !tool ? pick(tools, shellNames) : undefined;
			if (shell?.function) return answer(res, model, undefined, { name: shell.function.name, args: JSON.stringify(shellArguments(shell)) });
			if (!tool?.function) {
				problems.push(`no ${plan.kind} tool among ${tools.map((entry) => entry.function?.name).join(', ')}`);
				return answer(res, model, finalAnswer, undefined);
			}
			answer(res, model, undefined, { name: tool.function.name, args: JSON.stringify(argumentsFor(tool, plan.target, workspace)) });
		});
	});
	server.keepAliveTimeout = 120_000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		problems,
		reset: (next) => {
			workspace = next;
			requests.length = 0;
			problems.length = 0;
		},
		close: () => new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}
