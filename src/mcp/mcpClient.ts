// One MCP server connection through the official SDK client: started on first use, restarted with exponential
// backoff when it exits unexpectedly, its stderr forwarded line by line to the log. SDK types stay in here and
// mcpTools.ts; callers see McpToolInfo and McpCallResult.
import { StringDecoder } from 'node:string_decoder';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from './mcpConfig';

/** Structurally the host's Log, so it can be passed as is. */
export interface McpLog {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
}

export interface RestartPolicy {
	/** Delay before the first restart; each further one in a row doubles it. */
	initialDelayMs: number;
	maxDelayMs: number;
	/** Restarts in a row before giving up until the next use. */
	maxAttempts: number;
	/** A connection up this long resets the count, so a crash a day is not treated as a crash loop. */
	stableAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, maxAttempts: 5, stableAfterMs: 60_000 };

export interface McpConnectionOptions {
	log: McpLog;
	restart?: Partial<RestartPolicy>;
	/** Timeout of the initialization handshake and of listing the tools (default 30 s), so a stuck server cannot hold up a turn for long. */
	connectTimeoutMs?: number;
	/** One tool call's timeout; progress notifications extend it (default 10 min: tools may run long). */
	callTimeoutMs?: number;
	/** The server said its tool list changed; the cached list is dropped before this is called. */
	onToolsChanged?: () => void;
}

/** A tool as the server lists it. */
export interface McpToolInfo {
	name: string;
	title?: string;
	description?: string;
	inputSchema: Record<string, unknown>;
}

/** One content block of a result, in the MCP wire shape (text, image, audio, resource, resource_link). */
export type McpContent = { type: string } & Record<string, unknown>;

export interface McpCallResult {
	content: McpContent[];
	structuredContent?: Record<string, unknown>;
	isError: boolean;
}

export type ConnectionState = 'idle' | 'starting' | 'ready' | 'backoff' | 'failed' | 'disposed';

export type McpErrorReason = 'start-failed' | 'closed' | 'disposed' | 'cancelled' | 'failed';

export class McpServerError extends Error {
	override readonly name = 'McpServerError';
	constructor(readonly reason: McpErrorReason, message: string, options?: ErrorOptions) {
		super(message, options);
	}
}

interface Session {
	client: Client;
	transport: Transport;
	startedAt: number;
	tools?: McpToolInfo[];
}

const clientInfo = { name: 'switchboard', version: '0.1.0' };
/** A longer stderr line is cut in the log (a server dumping a blob must not flood it). */
const maxLogLineChars = 2000;
const maxToolPages = 50;

export class McpServerConnection {
	private session: Session | undefined;
	private starting: Promise<Session> | undefined;
	private cancelDelay: (() => void) | undefined;
	private failures = 0;
	private disposed = false;
	private currentState: ConnectionState = 'idle';
	private startCount = 0;
	private readonly policy: RestartPolicy;

	constructor(readonly name: string, readonly config: McpServerConfig, private readonly options: McpConnectionOptions) {
		this.policy = { ...defaultRestartPolicy, ...options.restart };
	}

	get state(): ConnectionState {
		return this.currentState;
	}

	/** How many times a server process (or HTTP session) was started, restarts included. */
	get starts(): number {
		return this.startCount;
	}

	/** The stdio server's process id while it runs. */
	get pid(): number | undefined {
		const transport = this.session?.transport;
		return transport instanceof StdioClientTransport ? transport.pid ?? undefined : undefined;
	}

	/** Starts the server if needed; the list is cached until the server restarts or says it changed. */
	async listTools(signal?: AbortSignal): Promise<McpToolInfo[]> {
		const session = await this.ready(signal);
		if (session.tools) return session.tools;
		const tools: McpToolInfo[] = [];
		let cursor: string | undefined;
		for (let page = 0; page < maxToolPages; page++) {
			const options = { signal, timeout: this.options.connectTimeoutMs ?? 30_000 };
			const result = await this.request(() => session.client.listTools(cursor ? { cursor } : undefined, options));
			for (const tool of result.tools) {
				tools.push({ name: tool.name, title: tool.title, description: tool.description, inputSchema: tool.inputSchema as Record<string, unknown> });
			}
			cursor = result.nextCursor;
			if (!cursor) break;
		}
		if (this.session === session) session.tools = tools;
		return tools;
	}

	async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
		const session = await this.ready(signal);
		const timeout = this.options.callTimeoutMs ?? 600_000;
		const result = await this.request(() => session.client.callTool({ name, arguments: args }, undefined, { signal, timeout, resetTimeoutOnProgress: true }));
		// Servers of protocol 2024-10-07 and older answer with `toolResult` instead of content.
		if ('toolResult' in result && !('content' in result)) {
			return { content: [{ type: 'text', text: JSON.stringify(result.toolResult) }], isError: false };
		}
		return {
			content: Array.isArray(result.content) ? (result.content as McpContent[]) : [],
			structuredContent: result.structuredContent as Record<string, unknown> | undefined,
			isError: result.isError === true,
		};
	}

	/** Stops the server (or ends the HTTP session) and any pending restart; later calls fail with 'disposed'. */
	async dispose(): Promise<void> {
		if (this.disposed) return;
		this.disposed = true;
		this.currentState = 'disposed';
		this.cancelDelay?.();
		const session = this.session;
		this.session = undefined;
		if (session) await closeSession(session);
	}

	private async ready(signal: AbortSignal | undefined): Promise<Session> {
		if (this.disposed) throw new McpServerError('disposed', `MCP server '${this.name}' has been shut down.`);
		if (this.session) return this.session;
		if (!this.starting) {
			// idle, or failed earlier: a new use is a fresh start with a fresh restart budget.
			this.failures = 0;
			this.begin(0);
		}
		return abortable(this.starting as Promise<Session>, signal, this.name);
	}

	/** Starts after `delayMs`; a failed restart schedules the next one, a failed first start is reported to the caller. */
	private begin(delayMs: number): void {
		this.currentState = delayMs > 0 ? 'backoff' : 'starting';
		const attempt = this.delay(delayMs).then(() => {
			this.currentState = 'starting';
			return this.connect();
		});
		this.starting = attempt;
		attempt.then(
			() => {
				if (this.starting === attempt) this.starting = undefined;
			},
			(error: unknown) => {
				if (this.starting !== attempt) return;
				this.starting = undefined;
				if (this.disposed) return;
				this.options.log.error(`MCP ${this.name}: could not start: ${messageOf(error)}`);
				if (this.failures > 0) this.scheduleRestart();
				else this.currentState = 'failed';
			},
		);
	}

	private async connect(): Promise<Session> {
		if (this.disposed) throw new McpServerError('disposed', `MCP server '${this.name}' has been shut down.`);
		const transport = this.createTransport();
		const client = new Client(clientInfo, {
			capabilities: {},
			listChanged: { tools: { autoRefresh: false, debounceMs: 100, onChanged: () => this.toolsChanged(session) } },
		});
		const session: Session = { client, transport, startedAt: Date.now() };
		client.onclose = () => this.closed(session);
		client.onerror = (error) => this.options.log.warn(`MCP ${this.name}: ${error.message}`);
		this.startCount++;
		try {
			await client.connect(transport, { timeout: this.options.connectTimeoutMs ?? 30_000 });
		} catch (error) {
			await closeSession(session);
			throw new McpServerError('start-failed', `MCP server '${this.name}' did not start: ${messageOf(error)}`, { cause: error });
		}
		if (this.disposed) {
			await closeSession(session);
			throw new McpServerError('disposed', `MCP server '${this.name}' has been shut down.`);
		}
		this.session = session;
		this.currentState = 'ready';
		const pid = transport instanceof StdioClientTransport && transport.pid ? ` (pid ${transport.pid})` : '';
		this.options.log.info(`MCP ${this.name}: connected${pid}`);
		return session;
	}

	private closed(session: Session): void {
		if (this.session !== session) return; // a failed start or our own close
		this.session = undefined;
		if (this.disposed) return;
		if (Date.now() - session.startedAt >= this.policy.stableAfterMs) this.failures = 0;
		this.options.log.warn(`MCP ${this.name}: the server exited unexpectedly.`);
		this.scheduleRestart();
	}

	private scheduleRestart(): void {
		this.failures++;
		if (this.failures > this.policy.maxAttempts) {
			this.currentState = 'failed';
			this.options.log.error(`MCP ${this.name}: gave up after ${this.policy.maxAttempts} restarts in a row; it will be started again when next used.`);
			return;
		}
		const delayMs = Math.min(this.policy.initialDelayMs * 2 ** (this.failures - 1), this.policy.maxDelayMs);
		this.options.log.info(`MCP ${this.name}: restarting in ${delayMs} ms (attempt ${this.failures} of ${this.policy.maxAttempts}).`);
		this.begin(delayMs);
	}

	private toolsChanged(session: Session): void {
		session.tools = undefined;
		this.options.onToolsChanged?.();
	}

	private createTransport(): Transport {
		const config = this.config;
		if (config.type === 'http') {
			return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
		}
		const transport = new StdioClientTransport({ command: config.command, args: config.args, env: config.env, cwd: config.cwd, stderr: 'pipe' });
		forwardLines(transport, (line) => this.options.log.info(`MCP ${this.name} stderr: ${line}`));
		return transport;
	}

	/** A wait that dispose() cuts short. */
	private delay(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.cancelDelay = undefined;
				resolve();
			}, ms);
			this.cancelDelay = () => {
				clearTimeout(timer);
				reject(new McpServerError('disposed', `MCP server '${this.name}' has been shut down.`));
			};
		});
	}

	/** Rewords the SDK's errors: the message reaches the model and the user. */
	private async request<T>(run: () => Promise<T>): Promise<T> {
		try {
			return await run();
		} catch (error) {
			if (error instanceof McpServerError) throw error;
			const message = messageOf(error);
			if (/connection closed/i.test(message)) {
				throw new McpServerError('closed', `MCP server '${this.name}' closed the connection during the request${this.disposed ? '' : '; it is being restarted'}.`, { cause: error });
			}
			if (error instanceof Error && error.name === 'AbortError') throw new McpServerError('cancelled', 'The request was cancelled.', { cause: error });
			throw new McpServerError('failed', `MCP server '${this.name}': ${message}`, { cause: error });
		}
	}
}

/** Sends the child's stderr to `sink` one complete line at a time (UTF-8 safe across chunks). */
function forwardLines(transport: StdioClientTransport, sink: (line: string) => void): void {
	const stream = transport.stderr;
	if (!stream) return;
	const decoder = new StringDecoder('utf8');
	let pending = '';
	const emit = (text: string): void => {
		pending += text;
		const lines = pending.split(/\r?\n/);
		pending = lines.pop() ?? '';
		for (const line of lines) if (line.trim() !== '') sink(cut(line));
	};
	stream.on('data', (chunk: Buffer | string) => emit(typeof chunk === 'string' ? chunk : decoder.write(chunk)));
	stream.on('end', () => {
		emit(decoder.end());
		if (pending.trim() !== '') sink(cut(pending));
		pending = '';
	});
}

function cut(line: string): string {
	return line.length > maxLogLineChars ? `${line.slice(0, maxLogLineChars)}… (${line.length} characters)` : line;
}

async function closeSession(session: Session): Promise<void> {
	try {
		if (session.transport instanceof StreamableHTTPClientTransport && session.transport.sessionId) {
			// Tell the server the session is over (it may answer 405 when it does not support that).
			await session.transport.terminateSession().catch(() => undefined);
		}
		await session.client.close();
	} catch {
		// Closing a connection that is already gone is not worth reporting.
	}
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, name: string): Promise<T> {
	if (!signal) return promise;
	const cancelled = (): McpServerError => new McpServerError('cancelled', `Cancelled while waiting for MCP server '${name}' to start.`);
	if (signal.aborted) return Promise.reject(cancelled());
	return new Promise<T>((resolve, reject) => {
		const onAbort = (): void => reject(cancelled());
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
