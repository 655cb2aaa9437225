// The provider's own words reach the user whatever shape its error body has, on both protocols, streamed and not.
// Each body is copied from a public recording of a real server, named with it. The official SDKs keep only the JSON
// body's `error` field, so every one of these (except the plain OpenAI shape) was shown without its message before.
import * as assert from 'node:assert/strict';
import { createProvider } from '../../../../src/providers/registry';
import { ProviderError, type ProviderErrorKind, type Protocol } from '../../../../src/providers/types';
import { startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';

interface BodyCase {
	name: string;
	source: string;
	status: number;
	contentType: string;
	body: string;
	kind: ProviderErrorKind;
	/** What the user must read after "Provider said: " (or after "Page: " for HTML). */
	said: string;
}

const cases: BodyCase[] = [
	{
		name: 'a JSON array around the error (Google Gemini, OpenAI-compatible endpoint)',
		source: 'https://github.com/microsoft/vscode/issues/258088 (gemma-3-27b-it via the Gemini API)',
		status: 400,
		contentType: 'application/json',
		body: '[{\n  "error": {\n    "code": 400,\n    "message": "Developer instruction is not enabled for models/gemma-3-27b-it",\n    "status": "INVALID_ARGUMENT"\n  }\n}\n]',
		kind: 'bad-request',
		said: 'Developer instruction is not enabled for models/gemma-3-27b-it',
	},
	{
		name: 'a flat {object:"error", message} body (Mistral)',
		source: 'https://github.com/solbrowse/extension/issues/16',
		status: 400,
		contentType: 'application/json',
		body: '{"object":"error","message":"Assistant message must have either content or tool_calls, but not none.","type":"invalid_request_error","param":null,"code":null}',
		kind: 'bad-request',
		said: 'Assistant message must have either content or tool_calls, but not none.',
	},
	{
		name: 'Mistral\'s flat body whose message is a FastAPI validation object',
		source: 'https://github.com/editor-code-assistant/eca/issues/231',
		status: 422,
		contentType: 'application/json',
		body: '{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","max_completion_tokens"],"msg":"Extra inputs are not permitted","input":32000}]},"type":"invalid_request_error","param":null,"code":null}',
		kind: 'bad-request',
		said: 'body.max_completion_tokens: Extra inputs are not permitted',
	},
	{
		name: 'a gateway\'s {status:"failure", message} body (Portkey AI gateway)',
		source: '@portkey-ai/gateway 1.15.2, build/start-server.js: the answer to a bad x-portkey-config header',
		status: 400,
		contentType: 'application/json',
		body: '{"status":"failure","message":"Invalid config passed"}',
		kind: 'bad-request',
		said: 'Invalid config passed',
	},
	{
		name: 'a FastAPI {detail: "…"} string',
		source: 'https://fastapi.tiangolo.com/tutorial/handling-errors/ (HTTPException body), as vLLM\'s server answers',
		status: 404,
		contentType: 'application/json',
		body: '{"detail":"Not Found"}',
		kind: 'not-found',
		said: 'Not Found',
	},
	{
		name: 'a FastAPI {detail: [{loc, msg}]} validation list (Mistral)',
		source: 'https://github.com/Gitlawb/openclaude/issues/739',
		status: 422,
		contentType: 'application/json',
		body: '{"detail":[{"type":"extra_forbidden","loc":["body","store"],"msg":"Extra inputs are not permitted","input":false},{"type":"extra_forbidden","loc":["body","max_completion_tokens"],"msg":"Extra inputs are not permitted","input":8192}]}',
		kind: 'bad-request',
		said: 'body.store: Extra inputs are not permitted; body.max_completion_tokens: Extra inputs are not permitted',
	},
	{
		name: 'a plain-text body (Envoy in front of a vLLM server)',
		source: 'https://github.com/vllm-project/aibrix/issues/1449 (curl of /v1/chat/completions)',
		status: 503,
		contentType: 'text/plain',
		body: 'upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused',
		kind: 'server',
		said: 'upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused',
	},
	{
		name: 'an HTML error page (nginx)',
		source: 'nginx\'s built-in 502 page (ngx_http_special_response.c)',
		status: 502,
		contentType: 'text/html',
		body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
		kind: 'server',
		said: '502 Bad Gateway',
	},
];

describe('Provider error bodies: the provider\'s own words, from any body shape', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(() => server.close());

	async function failure(protocol: Protocol, stream: boolean): Promise<ProviderError> {
		const baseUrl = protocol === 'openai' ? `${server.url}/v1` : server.url;
		const provider = createProvider({ id: 'test', protocol, baseUrl, maxRetries: 0, stream }, { credentials: { get: async () => 'sk-test-secret-1234567890', invalidate: () => false } });
		try {
			for await (const _event of provider.stream({ model: 'test-model', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [] }, new AbortController().signal)) {
				// Nothing arrives before an HTTP error.
			}
		} catch (error) {
			if (error instanceof ProviderError) return error;
			throw error;
		}
		assert.fail('the request should have failed');
	}

	for (const protocol of ['openai', 'anthropic'] as const) {
		for (const stream of [true, false]) {
			for (const item of cases) {
				it(`${protocol}, ${stream ? 'streamed' : 'not streamed'}: ${item.name}`, async () => {
					server.push({ status: item.status, headers: { 'content-type': item.contentType }, body: item.body });
					const error = await failure(protocol, stream);
					assert.equal(error.kind, item.kind);
					assert.equal(error.status, item.status);
					assert.ok(error.message.includes(`${item.contentType === 'text/html' ? 'Page' : 'Provider said'}: ${item.said}`), `${error.message}\n(source: ${item.source})`);
					assert.ok(error.details.providerMessage?.startsWith(item.said), error.details.providerMessage);
				});
			}
		}
	}

	it('bounds a huge error body and redacts keys in it', async () => {
		const body = JSON.stringify({ object: 'error', message: `Incorrect API key provided: sk-proj-abcdefghijklmnop. ${'x'.repeat(20_000)}` });
		server.push({ status: 400, body });
		const error = await failure('openai', true);
		assert.match(error.message, /Provider said: Incorrect API key provided: sk-\[redacted\]\. x+/);
		assert.doesNotMatch(error.message, /abcdefghijklmnop/);
		assert.ok(error.message.length < 2_000, `${error.message.length} characters`);
	});
});
