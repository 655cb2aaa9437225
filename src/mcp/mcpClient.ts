// One MCP server connection through the official SDK client: started on first use, restarted with exponential
// backoff when it exits or its HTTP connection is lost, a new HTTP session started when the server forgot ours,
// its stderr forwarded line by line to the log. SDK types stay in here and mcpTools.ts; callers see McpToolInfo
// and McpCallResult.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from './mcpConfig';
import { abortable, closeClient, forwardLines, httpStatus, isSessionGone, messageOf } from './mcpSupport';
import type { McpCallResult, McpContent, McpLog, McpProgress, McpToolInfo } from './mcpTypes';

export type { McpCallResult, McpContent, McpLog, McpProgress, McpToolInfo } from './mcpTypes';

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
	/** One tool call's timeout; each progress notification starts it again (default 10 min: tools may run long). */
	callTimeoutMs?: number;
	/** The server said its tool list changed; the cached list is dropped before this is called. */
	onToolsChanged?: () => void;
	/** Any change of McpServerConnection.status, for a view that lists the servers. */
	onStatusChanged?: () => void;
}

export type ConnectionState = 'idle' | 'starting' | 'ready' | 'backoff' | 'failed' | 'disposed';

/** What a status view shows of one server; never a configured value (env, headers). */
export interface McpConnectionStatus {
	state: ConnectionState;
	/** Server processes (or HTTP sessions) started, restarts included. */
	starts: number;
	/** Starts after the first: after a crash, a lost connection, a forgotten session or a manual restart. */
	restarts: number;
	/** The last failure, kept after recovery until the next one. */
	lastError?: string;
	/** In 'backoff': when the next start is due (ms since the epoch). */
	nextStartAt?: number;
	/** Tools offered from the last listing (task-only tools are not counted). */
	toolCount?: number;
}

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
	/** Why the connection was given up, for the calls it fails. */
	lost?: string;
	/** A liveness check after a transport error is under way. */
	checking?: boolean;
}

const clientInfo = { name: 'switchboard', version: '0.1.0' };
const maxToolPages = 50;
/** How long the liveness check after a dropped HTTP stream waits for the server's answer. */
const pingTimeoutMs = 5000;

export class McpServerConnection {
	private session: Session | undefined;
	private starting: Promise<Session> | undefined;
	private cancelDelay: (() => void) | undefined;
	private failures = 0;
	private disposed = false;
	private currentState: ConnectionState = 'idle';
	private startCount = 0;
	private lastError: string | undefined;
	private nextStartAt: number | undefined;
	private toolCount: number | undefined;
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

	get status(): McpConnectionStatus {
		return {
			state: this.currentState,
			starts: this.startCount,
			restarts: Math.max(0, this.startCount - 1),
			lastError: this.lastError,
			nextStartAt: this.currentState === 'backoff' ? this.nextStartAt : undefined,
			toolCount: this.toolCount,
		};
	}

	/** The stdio server's process id while it runs. */
	get pid(): number | undefined {
		const transport = this.session?.transport;
		return transport instanceof StdioClientTransport ? transport.pid ?? undefined : undefined;
	}

	/** Starts the server if needed; the list is cached until the server restarts or says it changed. */
	listTools(signal?: AbortSignal): Promise<McpToolInfo[]> {
		return this.withSession(signal, async (session) => {
			if (session.tools) return session.tools;
			const tools: McpToolInfo[] = [];
			let cursor: string | undefined;
			for (let page = 0; page < maxToolPages; page++) {
				const options = { signal, timeout: this.options.connectTimeoutMs ?? 30_000 };
				const result = await session.client.listTools(cursor ? { cursor } : undefined, options);
				for (const tool of result.tools) {
					// We declare no task support, so such a tool would fail every call ("requires task augmentation").
					if (tool.execution?.taskSupport === 'required') {
						this.options.log.info(`MCP ${this.name}: tool '${tool.name}' is left out: it runs only as an MCP task, which Switchboard does not support.`);
						continue;
					}
					tools.push({ name: tool.name, title: tool.title, description: tool.description, inputSchema: tool.inputSchema as Record<string, unknown> });
				}
				cursor = result.nextCursor;
				if (!cursor) break;
			}
			if (this.session === session) {
				session.tools = tools;
				this.toolCount = tools.length;
				this.changed();
			}
			return tools;
		});
	}

	/** Progress the server reports goes to `onProgress` and starts the call's timeout again. */
	async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal, onProgress?: (progress: McpProgress) => void): Promise<McpCallResult> {
		const timeout = this.config.callTimeoutSeconds !== undefined ? this.config.callTimeoutSeconds * 1000 : this.options.callTimeoutMs ?? 600_000;
		// The SDK sends a progressToken only when onprogress is given; without one a server sends no progress.
		const onprogress = (progress: McpProgress): void => onProgress?.({ progress: progress.progress, total: progress.total, message: progress.message });
		const result = await this.withSession(signal, (session) => session.client.callTool({ name, arguments: args }, undefined, { signal, timeout, resetTimeoutOnProgress: true, onprogress }));
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

	/** Stops the server (or ends the HTTP session) and starts it again now; a manual retry of a failed server. */
	async restart(signal?: AbortSignal): Promise<void> {
		if (this.disposed) throw this.disposedError();
		// A start under way finishes first, so its session cannot outlive the restart.
		if (this.currentState === 'starting' && this.starting) await this.starting.catch(() => undefined);
		const session = this.session;
		this.session = undefined;
		this.options.log.info(`MCP ${this.name}: restarting on request.`);
		// Calls waiting for a pending restart follow this start instead (ready() sees the new attempt).
		this.failures = 0;
		this.begin(0);
		this.cancelDelay?.();
		if (session) await closeClient(session.client, session.transport);
		await this.ready(signal);
	}

	/** Stops the server (or ends the HTTP session) and any pending restart; later calls fail with 'disposed'. */
	async dispose(): Promise<void> {
		if (this.disposed) return;
		this.disposed = true;
		this.setState('disposed');
		this.cancelDelay?.();
		const session = this.session;
		this.session = undefined;
		if (session) await closeClient(session.client, session.transport);
	}

	/**
	 * Runs a request on the current session. An HTTP server that no longer knows the session (it restarted) gets
	 * one new session per request, and the request is sent again on it.
	 */
	private async withSession<T>(signal: AbortSignal | undefined, run: (session: Session) => Promise<T>): Promise<T> {
		let session = await this.ready(signal);
		try {
			return await run(session);
		} catch (error) {
			if (!isSessionGone(error) || this.disposed) throw this.reworded(error, session);
			this.options.log.warn(`MCP ${this.name}: the server no longer knows our session (HTTP ${httpStatus(error)}); starting a new session and sending the request again.`);
			this.lastError = `The server forgot the session (HTTP ${httpStatus(error)}).`;
			if (this.session === session) {
				this.session = undefined;
				void closeClient(session.client, session.transport, false);
			}
			session = await this.ready(signal);
			try {
				return await run(session);
			} catch (retryError) {
				throw this.reworded(retryError, session);
			}
		}
	}

	private async ready(signal: AbortSignal | undefined): Promise<Session> {
		if (this.disposed) throw this.disposedError();
		if (this.session) return this.session;
		if (!this.starting) {
			// idle, or failed earlier: a new use is a fresh start with a fresh restart budget.
			this.failures = 0;
			this.begin(0);
		}
		// A call made while the server restarts follows the restarts until one works or the budget is spent.
		for (;;) {
			const attempt = this.starting as Promise<Session>;
			try {
				return await abortable(attempt, signal, () => new McpServerError('cancelled', `Cancelled while waiting for MCP server '${this.name}' to start.`));
			} catch (error) {
				if (this.session) return this.session;
				if (this.disposed || !this.starting || this.starting === attempt || signal?.aborted) throw error;
			}
		}
	}

	/** Starts after `delayMs`; a failed restart schedules the next one, a failed first start is reported to the caller. */
	private begin(delayMs: number): void {
		this.nextStartAt = Date.now() + delayMs;
		this.setState(delayMs > 0 ? 'backoff' : 'starting');
		const attempt = this.delay(delayMs).then(() => {
			this.setState('starting');
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
				this.lastError = messageOf(error);
				this.options.log.error(`MCP ${this.name}: could not start: ${messageOf(error)}`);
				if (this.failures > 0) this.scheduleRestart();
				else this.setState('failed');
			},
		);
	}

	private async connect(): Promise<Session> {
		if (this.disposed) throw this.disposedError();
		const transport = this.createTransport();
		const client = new Client(clientInfo, {
			capabilities: {},
			listChanged: { tools: { autoRefresh: false, debounceMs: 100, onChanged: () => this.toolsChanged(session) } },
		});
		const session: Session = { client, transport, startedAt: Date.now() };
		client.onclose = () => this.closed(session);
		client.onerror = (error) => this.transportError(session, error);
		this.startCount++;
		try {
			await client.connect(transport, { timeout: this.options.connectTimeoutMs ?? 30_000 });
		} catch (error) {
			await closeClient(client, transport);
			throw new McpServerError('start-failed', `MCP server '${this.name}' did not start: ${messageOf(error)}`, { cause: error });
		}
		if (this.disposed) {
			await closeClient(client, transport);
			throw this.disposedError();
		}
		this.session = session;
		this.setState('ready');
		const pid = transport instanceof StdioClientTransport && transport.pid ? ` (pid ${transport.pid})` : '';
		this.options.log.info(`MCP ${this.name}: connected${pid}`);
		return session;
	}

	/**
	 * Over HTTP the SDK reports a dropped stream only here, and a request whose response stream dropped is never
	 * answered. So after such an error the server is asked (ping) whether it still has our session; if it does not
	 * answer, the connection is given up, which fails the pending requests at once and schedules a restart.
	 */
	private transportError(session: Session, error: Error): void {
		if (this.session !== session || this.disposed) return;
		this.options.log.warn(`MCP ${this.name}: ${error.message}`);
		if (this.config.type !== 'http' || session.checking || isSessionGone(error)) return;
		session.checking = true;
		session.client.ping({ timeout: pingTimeoutMs }).then(
			() => {
				session.checking = false;
			},
			(pingError: unknown) => {
				session.checking = false;
				if (this.session !== session) return;
				session.lost = isSessionGone(pingError) ? 'the server no longer knows our session (it restarted)' : `the server does not answer (${messageOf(pingError)})`;
				void session.client.close();
			},
		);
	}

	private closed(session: Session): void {
		if (this.session !== session) return; // a failed start or our own close
		this.session = undefined;
		if (this.disposed) return;
		if (Date.now() - session.startedAt >= this.policy.stableAfterMs) this.failures = 0;
		this.lastError = session.lost ? `The connection was lost: ${session.lost}.` : 'The server exited unexpectedly.';
		this.options.log.warn(`MCP ${this.name}: ${session.lost ? `the connection was lost: ${session.lost}.` : 'the server exited unexpectedly.'}`);
		this.scheduleRestart();
	}

	private scheduleRestart(): void {
		this.failures++;
		if (this.failures > this.policy.maxAttempts) {
			this.setState('failed');
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

	private setState(state: ConnectionState): void {
		this.currentState = state;
		this.changed();
	}

	private changed(): void {
		this.options.onStatusChanged?.();
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

	/** A wait that dispose() or restart() cuts short. */
	private delay(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.cancelDelay = undefined;
				resolve();
			}, ms);
			this.cancelDelay = () => {
				this.cancelDelay = undefined;
				clearTimeout(timer);
				reject(this.disposedError());
			};
		});
	}

	private disposedError(): McpServerError {
		return new McpServerError('disposed', `MCP server '${this.name}' has been shut down.`);
	}

	/** Rewords the SDK's errors: the message reaches the model and the user. */
	private reworded(error: unknown, session: Session): McpServerError {
		if (error instanceof McpServerError) return error;
		const message = messageOf(error);
		if (/connection closed/i.test(message)) {
			const why = session.lost ? ` (${session.lost})` : '';
			const next = this.disposed ? '' : '; it is being restarted';
			const what = this.config.type === 'http' ? 'lost the connection' : 'closed the connection';
			return new McpServerError('closed', `MCP server '${this.name}' ${what} during the request${why}${next}.`, { cause: error });
		}
		if (error instanceof Error && error.name === 'AbortError') return new McpServerError('cancelled', 'The request was cancelled.', { cause: error });
		return new McpServerError('failed', `MCP server '${this.name}': ${message}`, { cause: error });
	}
}
