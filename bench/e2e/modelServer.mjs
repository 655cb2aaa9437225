/* global performance, Buffer */
// The loopback OpenAI-compatible model of the end-to-end rows. The prompt says what to answer ("ttft 3",
// "stream 20000", "tool 5", "long 17"); after a tool result it answers the same turn's text. It stamps, in epoch ms
// with sub-ms precision (performance.timeOrigin + performance.now(), the clock the page reads too), when it wrote
// what the page then waits for: the first content byte, the last byte of a tool call.
import { createServer } from 'node:http';
import { markdownAnswer, tokenize } from '../webview/content.mjs';

export const MODEL = 'bench-1';
const now = () => performance.timeOrigin + performance.now();
const base = { id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 1_700_000_000, model: MODEL };
const chunk = (delta, finish = null) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const done = 'data: [DONE]\n\n';

/** The sentinel a turn's answer ends with, so the page knows it has all of it. */
export const sentinelOf = (label) => `END${label.replace(/\W/g, '')}Z`;

function toolCall(id, argumentsJson) {
	const pieces = argumentsJson.match(/.{1,6}/g) ?? [];
	return [
		chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name: 'read_file', arguments: '' } }] }),
		...pieces.map((piece) => chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
		chunk({}, 'tool_calls'),
		done,
	].join('');
}

const answerCache = new Map();
function answerTokens(size, sentinel) {
	const key = `${size}:${sentinel}`;
	if (!answerCache.has(key)) answerCache.set(key, tokenize(markdownAnswer(size, sentinel)));
	return answerCache.get(key);
}

function lastUserText(messages) {
	const user = [...messages].reverse().find((message) => message.role === 'user');
	if (!user) return '';
	if (typeof user.content === 'string') return user.content;
	return (user.content ?? []).map((part) => part.text ?? '').join('');
}

export async function startModelServer() {
	/** label → { firstByteAt, toolCallEndAt, requestBytes } */
	const stamps = new Map();
	const requests = [];
	const stamp = (label, values) => stamps.set(label, { ...stamps.get(label), ...values });
	const server = createServer((request, response) => {
		const pieces = [];
		request.on('data', (piece) => pieces.push(piece));
		request.on('end', () => {
			const raw = Buffer.concat(pieces);
			if (request.method !== 'POST') {
				response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: MODEL, object: 'model' }] }));
				return;
			}
			const body = JSON.parse(raw.toString('utf8'));
			const messages = body.messages ?? [];
			const prompt = lastUserText(messages).trim();
			const afterTool = messages.at(-1)?.role === 'tool';
			requests.push({ prompt, bytes: raw.length, afterTool });
			const [kind, label = '0'] = prompt.split(/\s+/);
			response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			if (kind === 'ttft') {
				// The first content byte, alone, then the rest a moment later: the page waits for this one.
				const first = chunk({ role: 'assistant', content: `tok${label}x` });
				stamp(prompt, { firstByteAt: now() });
				response.write(first);
				setTimeout(() => response.end(`${chunk({ content: ' and the rest of a short answer.' })}${chunk({}, 'stop')}${done}`), 20);
			} else if (kind === 'stream' || ((kind === 'long' || kind === 'tool') && afterTool)) {
				const size = kind === 'stream' ? Number(label) : kind === 'long' ? 1_000 : 20;
				const tokens = answerTokens(size, sentinelOf(prompt));
				// One chunk per token, all written at once: the host and the panel are the bottleneck.
				const text = `${tokens.map((token) => chunk({ content: token })).join('')}${chunk({}, 'stop')}${done}`;
				stamp(prompt, { firstByteAt: now(), answerBytes: text.length, tokens: tokens.length });
				response.end(text);
			} else if (kind === 'tool' || kind === 'long') {
				const text = `${chunk({ role: 'assistant', content: 'Reading the file first.' })}${toolCall(`call_${label}`, JSON.stringify({ path: 'src/greet.ts' }))}`;
				response.end(text, () => stamp(prompt, { toolCallEndAt: now() }));
				stamp(prompt, { toolCallWrittenAt: now() });
			} else if (prompt.startsWith('Summarize this conversation')) {
				// Context compaction's request, once a long session outgrows the window: answered as a model would,
				// a summary within the request's max_tokens (an echo of the transcript would be stored in every turn).
				const limit = body.max_completion_tokens ?? body.max_tokens ?? 1024;
				const words = `The user ran ${messages.length} bench requests; each turn read src/greet.ts and got a long Markdown answer.`.split(' ');
				const summary = Array.from({ length: Math.min(300, limit) }, (_, n) => words[n % words.length]).join(' ');
				response.end(`${chunk({ role: 'assistant', content: summary })}${chunk({}, 'stop')}${done}`);
			} else {
				response.end(`${chunk({ role: 'assistant', content: `Unknown bench prompt: ${prompt.slice(0, 200)}` })}${chunk({}, 'stop')}${done}`);
			}
		});
	});
	server.keepAliveTimeout = 120_000;
	await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
	return {
		baseUrl: `http://127.0.0.1:${server.address().port}/v1`,
		stamps,
		requests,
		close: () => new Promise((closed) => { server.closeAllConnections(); server.close(() => closed()); }),
	};
}
