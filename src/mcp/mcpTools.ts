// An MCP server's tools as our Tool objects: named `<server>__<tool>` in the charset every provider accepts,
// execute-class unless the user's settings say otherwise, results turned into a ToolOutput the model can read.
import { createHash } from 'node:crypto';
import type { ToolOutput } from '../shared/chat';
import { isRecord } from '../tools/schema';
import { defineTool, ToolError, type AnyTool, type Risk, type ToolProgress } from '../tools/types';
import { formatPhrase, phrase } from '../tools/phrases';
import { McpServerError, type McpCallResult, type McpContent, type McpProgress, type McpToolInfo } from './mcpClient';

/** What a tool needs from its server: McpServerConnection, or a stand-in. */
export interface McpToolCaller {
	callTool(name: string, args: Record<string, unknown>, signal: AbortSignal, onProgress?: (progress: McpProgress) => void): Promise<McpCallResult>;
}

export interface McpToolOptions {
	/** Risk by the server's own tool name; 'execute' otherwise (a server's own hints are not trusted). */
	toolRisk?: Readonly<Record<string, Risk>>;
}

/** Providers accept tool names of 1-64 characters from [a-zA-Z0-9_-]. */
export const maxToolNameLength = 64;
const separator = '__';
/** Text beyond this is cut: the result goes into the model's context. */
const maxResultChars = 100_000;

/** `<server>__<tool>`, sanitized; names too long are cut and given a hash of the full name so they stay unique. */
export function mcpToolName(server: string, tool: string): string {
	const name = `${sanitize(server)}${separator}${sanitize(tool)}`;
	if (name.length <= maxToolNameLength) return name;
	const hash = shortHash(`${server}\u0000${tool}`, 8);
	return `${name.slice(0, maxToolNameLength - hash.length - 1)}_${hash}`;
}

/**
 * Punctuation becomes '_'. Letters outside ASCII would all become '_' too, so '数据' and '文件' would clash; a
 * short hash of the original keeps such names apart.
 */
function sanitize(part: string): string {
	const clean = part.replace(/[^a-zA-Z0-9_-]/g, '_');
	if (clean === '') return '_';
	return /[^\p{ASCII}]/u.test(part) ? `${clean}_${shortHash(part, 6)}` : clean;
}

function shortHash(text: string, length: number): string {
	return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** One Tool per MCP tool; the caller decides what to do with name clashes. */
export function createMcpTools(server: string, caller: McpToolCaller, tools: readonly McpToolInfo[], options: McpToolOptions = {}): AnyTool[] {
	return tools.map((info) => createMcpTool(server, caller, info, options.toolRisk?.[info.name] ?? 'execute'));
}

function createMcpTool(server: string, caller: McpToolCaller, info: McpToolInfo, risk: Risk): AnyTool {
	const summaryPhrase = phrase('mcpTool', server, info.name);
	const summary = formatPhrase(summaryPhrase);
	const description = info.description?.trim() || info.title?.trim() || `The '${info.name}' tool of the MCP server '${server}'.`;
	return defineTool<Record<string, unknown>>({
		name: mcpToolName(server, info.name),
		description,
		inputSchema: providerSafeSchema(info.inputSchema),
		risk,
		origin: 'mcp',
		parse(raw) {
			if (!isRecord(raw)) throw new ToolError('invalid-arguments', 'The arguments must be a JSON object.');
			return raw;
		},
		approval: async () => ({ risk, summary, summaryPhrase }),
		async invoke(input, context) {
			try {
				const onProgress = context.onProgress && ((progress: McpProgress) => context.onProgress?.(toToolProgress(progress)));
				return toToolOutput(await caller.callTool(info.name, input, context.signal, onProgress));
			} catch (error) {
				if (error instanceof McpServerError) throw new ToolError(error.reason === 'cancelled' ? 'cancelled' : 'failed', error.message);
				throw error;
			}
		},
	});
}

/**
 * MCP requires an object schema; some servers leave out `properties`, which some providers reject, and the
 * `$schema` dialect marker is refused by some OpenAI-compatible gateways.
 */
function providerSafeSchema(schema: Record<string, unknown>): Record<string, unknown> {
	const { $schema: _dialect, ...rest } = schema;
	const properties = typeof rest.properties === 'object' && rest.properties !== null ? rest.properties : {};
	return { ...rest, type: 'object', properties };
}

/** `progress` of `total` as a fraction when the server gave a total; its message as it wrote it. */
export function toToolProgress(progress: McpProgress): ToolProgress {
	const fraction = progress.total !== undefined && progress.total > 0 ? Math.min(1, progress.progress / progress.total) : undefined;
	return { message: progress.message, fraction };
}

/** Text blocks as text, resources as their text, binary content as a note; isError → an error the model sees. */
export function toToolOutput(result: McpCallResult): ToolOutput {
	const pieces = result.content.map(describeContent);
	let text = pieces.join('\n\n');
	if (text.length > maxResultChars) text = `${text.slice(0, maxResultChars)}\n… (cut: the result had ${text.length} characters)`;
	if (result.isError) return { type: 'error-text', value: text || 'The tool reported an error without a message.' };
	if (text === '' && result.structuredContent !== undefined) return { type: 'json', value: result.structuredContent };
	return { type: 'text', value: text || '(The tool returned no content.)' };
}

function describeContent(content: McpContent): string {
	switch (content.type) {
		case 'text':
			return stringField(content, 'text');
		case 'image':
		case 'audio':
			return `[${content.type} (${stringField(content, 'mimeType') || 'unknown type'}, ${base64Bytes(stringField(content, 'data'))} bytes) returned by the tool; it cannot be shown here]`;
		case 'resource': {
			const resource = isRecord(content.resource) ? content.resource : {};
			const uri = stringField(resource, 'uri');
			if (typeof resource.text === 'string') return `Resource ${uri}:\n${resource.text}`;
			return `[binary resource ${uri} (${stringField(resource, 'mimeType') || 'unknown type'}, ${base64Bytes(stringField(resource, 'blob'))} bytes); it cannot be shown here]`;
		}
		case 'resource_link':
			return `Resource link: ${stringField(content, 'name') || stringField(content, 'uri')} <${stringField(content, 'uri')}>`;
		default:
			return `[content of type '${content.type}' that cannot be shown here]`;
	}
}

function stringField(record: Record<string, unknown>, key: string): string {
	const value = record[key];
	return typeof value === 'string' ? value : '';
}

function base64Bytes(data: string): number {
	const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
	return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}
