// Helpers for the MCP tests: the echo server fixture, a log that keeps its lines, and polling for a condition.
import * as path from 'node:path';
import type { McpLog } from '../../../src/mcp/mcpClient';
import type { StdioServerConfig } from '../../../src/mcp/mcpConfig';
import type { ToolContext } from '../../../src/tools/types';
import { noWorkspace } from '../../../src/tools/noWorkspace';

export const echoServerPath = path.resolve(__dirname, '../../fixtures/mcp/echoServer.mjs');

export function echoServerConfig(extra: Partial<StdioServerConfig> = {}): StdioServerConfig {
	return { type: 'stdio', command: process.execPath, args: [echoServerPath], ...extra };
}

export class MemoryLog implements McpLog {
	readonly lines: string[] = [];
	info(message: string): void {
		this.lines.push(`info ${message}`);
	}
	warn(message: string): void {
		this.lines.push(`warn ${message}`);
	}
	error(message: string): void {
		this.lines.push(`error ${message}`);
	}
	matching(pattern: RegExp): string[] {
		return this.lines.filter((line) => pattern.test(line));
	}
}

export function toolContext(signal = new AbortController().signal): ToolContext {
	return { workspace: noWorkspace, signal };
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** True while a process with this id exists. */
export function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
