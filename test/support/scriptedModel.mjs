// A local OpenAI-compatible server that plays a model by rules (scriptedModelRules.mjs): POST /v1/chat/completions
// (streamed SSE or one JSON body) and GET /v1/models. For the webview UI tests and `npm run demo`, never shipped.
// Plain .mjs with JSDoc types so both plain-Node callers import it without a build step. Loopback by default.
//   node test/support/scriptedModel.mjs [--port N] [--api-key KEY]    serves until Ctrl+C
import { Buffer } from 'node:buffer';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { planReply } from './scriptedModelRules.mjs';

/**
 * @typedef {object} ModelRequest
 * @property {string} method
 * @property {string} path
 * @property {http.IncomingHttpHeaders} headers
 * @property {Record<string, any> | undefined} json  The body parsed as JSON.
 * @property {number} status  What the server answered.
 * @property {boolean} aborted  The client went away before the answer ended (Stop).
 *
 * @typedef {object} ScriptedModel
 * @property {string} url  e.g. http://127.0.0.1:PORT
 * @property {string} baseUrl  url + '/v1', what a provider's baseUrl should be
 * @property {string[]} models
 * @property {ModelRequest[]} requests  Every request, in arrival order.
 * @property {(key: string | undefined) => void} setApiKey  Require this Bearer key from now on (undefined: none).
 * @property {() => ModelRequest[]} chatRequests  The chat completion requests only.
 * @property {() => Promise<void>} close
 *
 * @typedef {object} ScriptedModelOptions
 * @property {number} [port]  0 (default): any free port.
 * @property {string} [host]  127.0.0.1 unless told.
 * @property {string} [apiKey]  When set, requests without `Authorization: Bearer <apiKey>` get a 401.
 * @property {string[]} [models]
 * @property {number} [delayMs]  Pause between streamed pieces (default 25 ms: visibly streaming, still quick).
 * @property {number} [slowDelayMs]  Pause between words of a "slow …" answer (default 250 ms).
 */

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Words with their trailing whitespace, so joined pieces give back the text exactly. */
function pieces(text) {
	return text.match(/\S+\s*|\s+/g) ?? [];
}

/** Splits a string into about `count` fragments, as models stream tool arguments. */
function fragments(text, count) {
	const size = Math.max(1, Math.ceil(text.length / count));
	const result = [];
	for (let index = 0; index < text.length; index += size) result.push(text.slice(index, index + size));
	return result.length ? result : [''];
}

const estimateTokens = (text) => Math.max(1, Math.ceil(text.length / 4));

function sendJson(response, status, body) {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}

/** @param {ScriptedModelOptions} [options] @returns {Promise<ScriptedModel>} */
export async function startScriptedModel(options = {}) {
	const { port = 0, host = '127.0.0.1', models = ['scripted-1'], delayMs = 25, slowDelayMs = 250 } = options;
	let apiKey = options.apiKey;
	let counter = 0;
	/** @type {ModelRequest[]} */
	const requests = [];
	const sockets = new Set();

	/** @param {ModelRequest} record @param {http.ServerResponse} response */
	async function chat(record, response) {
		const body = record.json ?? {};
		const messages = Array.isArray(body.messages) ? body.messages : [];
		const model = typeof body.model === 'string' ? body.model : models[0];
		const plan = planReply(messages, body.tools);
		const id = `chatcmpl-scripted-${++counter}`;
		const created = Math.floor(Date.now() / 1000);
		const calls = plan.toolCalls.map((call) => ({ id: `call_${counter}_${Math.random().toString(36).slice(2, 8)}`, name: call.name, arguments: JSON.stringify(call.arguments) }));
		const finishReason = calls.length ? 'tool_calls' : 'stop';
		const usage = {
			prompt_tokens: estimateTokens(JSON.stringify(messages)),
			completion_tokens: estimateTokens(plan.text + calls.map((call) => call.arguments).join('')),
		};
		usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;

		if (body.stream !== true) {
			const message = { role: 'assistant', content: plan.text };
			if (calls.length) message.tool_calls = calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
			sendJson(response, 200, { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: finishReason }], usage });
			return;
		}

		response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
		// False once the client has gone (Stop): nothing more is written.
		const send = async (delta, finish = null, pause = delayMs) => {
			if (response.destroyed) return false;
			response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
			if (pause) await sleep(pause);
			return !response.destroyed;
		};
		if (!(await send({ role: 'assistant', content: '' }))) return;
		for (const piece of pieces(plan.text)) {
			if (!(await send({ content: piece }, null, plan.slow ? slowDelayMs : delayMs))) return;
		}
		for (const [index, call] of calls.entries()) {
			if (!(await send({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }))) return;
			for (const fragment of fragments(call.arguments, 4)) {
				if (!(await send({ tool_calls: [{ index, function: { arguments: fragment } }] }))) return;
			}
		}
		if (!(await send({}, finishReason, 0))) return;
		if (body.stream_options?.include_usage) {
			response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
		}
		response.end('data: [DONE]\n\n');
	}

	/** @param {ModelRequest} record @param {http.ServerResponse} response */
	async function route(record, response) {
		const authorized = apiKey === undefined || record.headers.authorization === `Bearer ${apiKey}`;
		const known = (record.method === 'GET' && record.path === '/v1/models') || (record.method === 'POST' && record.path === '/v1/chat/completions');
		if (!known) {
			record.status = 404;
			sendJson(response, 404, { error: { message: `Unknown request ${record.method} ${record.path}`, type: 'invalid_request_error', code: 'unknown_url' } });
			return;
		}
		if (!authorized) {
			record.status = 401;
			const given = record.headers.authorization ? 'Incorrect API key provided.' : 'You didn\'t provide an API key.';
			sendJson(response, 401, { error: { message: `${given} (scripted demo model)`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
			return;
		}
		record.status = 200;
		if (record.path === '/v1/models') {
			sendJson(response, 200, { object: 'list', data: models.map((model) => ({ id: model, object: 'model', created: 0, owned_by: 'switchboard-scripted' })) });
			return;
		}
		await chat(record, response);
	}

	const server = http.createServer((request, response) => {
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let json;
			try {
				json = text ? JSON.parse(text) : undefined;
			} catch {
				json = undefined;
			}
			/** @type {ModelRequest} */
			const record = { method: request.method ?? '', path: new URL(request.url ?? '/', 'http://localhost').pathname, headers: request.headers, json, status: 0, aborted: false };
			requests.push(record);
			response.on('close', () => {
				if (!response.writableFinished) record.aborted = true;
			});
			route(record, response).catch((error) => {
				if (!response.headersSent) sendJson(response, 500, { error: { message: String(error), type: 'server_error' } });
				else response.destroy();
			});
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	const address = server.address();
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
	return {
		url,
		baseUrl: `${url}/v1`,
		models,
		requests,
		setApiKey: (key) => { apiKey = key; },
		chatRequests: () => requests.filter((record) => record.path === '/v1/chat/completions'),
		close: () => new Promise((resolve) => {
			for (const socket of sockets) socket.destroy();
			server.close(() => resolve());
		}),
	};
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, 'api-key': { type: 'string' } } });
	const model = await startScriptedModel({ port: Number(values.port), apiKey: values['api-key'] });
	console.log(`scripted model at ${model.baseUrl} (models: ${model.models.join(', ')}); Ctrl+C stops it`);
	process.on('SIGINT', () => { void model.close().then(() => process.exit(0)); });
}
