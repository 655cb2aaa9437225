// The adapter's own SSE decoder (it replaced the SDK's stream for speed), alone and through the adapter against
// a real loopback server: line endings, chunk boundaries anywhere (inside a UTF-8 character too), comments,
// events cut off at the end, an unparseable event, and leaving a stream early.
import * as assert from 'node:assert/strict';
import { SseDecoder } from '../../../../src/providers/sseDecoder';
import { responseClosedAfterLeaving } from '../../../support/leaveEarly';
import { startScriptedServer, type ScriptedServer } from '../../../support/scriptedServer';
import { ofType, providerFor, run, weatherRequest } from './anthropicTestKit';

type Seen = Array<[string | null, string]>;

function decode(pieces: Uint8Array[]): Seen {
	const seen: Seen = [];
	const decoder = new SseDecoder<Seen>((event, data, into) => into.push([event, data]));
	for (const piece of pieces) decoder.push(piece, seen);
	decoder.end(seen);
	return seen;
}

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The body cut at every byte position into two pieces, and byte by byte. */
function everySplit(text: string): Uint8Array[][] {
	const bytes = encode(text);
	const splits: Uint8Array[][] = [];
	for (let at = 0; at <= bytes.length; at++) splits.push([bytes.subarray(0, at), bytes.subarray(at)]);
	splits.push([...bytes].map((byte) => Uint8Array.of(byte)));
	return splits;
}

describe('Anthropic adapter: SSE decoder', () => {
	const body = 'event: a\ndata: {"t":"é✓"}\n\n: a comment\nevent: b\ndata: one\ndata: two\n\ndata:no space\n\n';
	const expected: Seen = [['a', '{"t":"é✓"}'], ['b', 'one\ntwo'], [null, 'no space']];

	it('decodes the same events wherever the body is cut, inside a UTF-8 character included', () => {
		for (const pieces of everySplit(body)) assert.deepEqual(decode(pieces), expected);
	});

	it('accepts \\r\\n and lone \\r line endings, also when \\r and \\n arrive in different chunks', () => {
		for (const ending of ['\r\n', '\r']) {
			for (const pieces of everySplit(body.replace(/\n/g, ending))) assert.deepEqual(decode(pieces), expected, JSON.stringify(ending));
		}
	});

	it('drops an event the body breaks off in, and ignores other fields and a leading BOM', () => {
		assert.deepEqual(decode([encode('\uFEFFid: 1\nretry: 5\nevent: x\ndata: 1\n\nevent: y\ndata: 2\n')]), [['x', '1']]);
		assert.deepEqual(decode([encode('event: x\ndata: 1\n\nevent: y\ndata: {"cut')]), [['x', '1']]);
	});

	it('reads a 5 MB line that arrives in 1 KB chunks without searching it again for every chunk', () => {
		const big = 'x'.repeat(5 * 1024 * 1024);
		const bytes = encode(`data: ${big}\n\n`);
		const pieces: Uint8Array[] = [];
		for (let at = 0; at < bytes.length; at += 1024) pieces.push(bytes.subarray(at, at + 1024));
		const started = performance.now();
		const seen = decode(pieces);
		assert.equal(seen.length, 1);
		assert.equal(seen[0][1].length, big.length);
		assert.ok(performance.now() - started < 2000, 'quadratic in the line length');
	});
});

describe('Anthropic adapter: reading the body with its own decoder', () => {
	let server: ScriptedServer;
	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(async () => {
		await server.close();
	});

	const events = [
		'event: message_start\r\ndata: {"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":1}}}\r\n\r\n',
		'event: content_block_start\r\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\r\n\r\n',
		'event: content_block_delta\r\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Grüße"}}\r\n\r\n',
		'event: content_block_stop\r\ndata: {"type":"content_block_stop","index":0}\r\n\r\n',
		'event: message_delta\r\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}\r\n\r\n',
		'event: message_stop\r\ndata: {"type":"message_stop"}\r\n\r\n',
	];

	it('streams a \\r\\n body sent a few characters at a time', async () => {
		const whole = events.join('');
		const chunks: string[] = [];
		for (let at = 0; at < whole.length; at += 7) chunks.push(whole.slice(at, at + 7));
		server.push({ chunks, delayMs: 1 });
		const outcome = await run(providerFor(server), weatherRequest());
		assert.equal(outcome.error, undefined);
		assert.deepEqual(ofType(outcome.events, 'text-delta'), [{ type: 'text-delta', delta: 'Grüße' }]);
		assert.deepEqual(outcome.events[outcome.events.length - 1], { type: 'finish', reason: 'stop', raw: 'end_turn' });
	});

	it('ends with invalid-response on an event that is not JSON, keeping the text before it and marking the open call incomplete', async () => {
		server.push({
			chunks: [
				...events.slice(0, 4),
				'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}\n\n',
				'event: content_block_delta\ndata: {"type":"content_block_delta", oops\n\n',
			],
		});
		const outcome = await run(providerFor(server), weatherRequest());
		assert.equal(outcome.error?.kind, 'invalid-response');
		assert.match(outcome.error?.message ?? '', /not JSON.*Try again/);
		assert.deepEqual(ofType(outcome.events, 'text-delta'), [{ type: 'text-delta', delta: 'Grüße' }]);
		assert.equal(ofType(outcome.events, 'tool-call').length, 0);
		assert.deepEqual(ofType(outcome.events, 'tool-call-error').map((event) => [event.providerId, event.reason]), [['toolu_1', 'incomplete']]);
	});

	it('closes the HTTP response when the caller leaves the stream early', async () => {
		const outcome = await responseClosedAfterLeaving(events.slice(0, 3).join(''), async (url) => {
			for await (const event of providerFor({ ...server, url }).stream(weatherRequest(), new AbortController().signal)) {
				if (event.type === 'text-delta') break;
			}
		});
		assert.equal(outcome, 'closed');
	});
});
