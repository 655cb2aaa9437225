import * as assert from 'node:assert/strict';
import { redact } from '../../../src/vscode/redact';

describe('redact', () => {
	it('removes every occurrence of a known secret, whatever its shape', () => {
		assert.equal(redact('key=abcd1234 then abcd1234 again', ['abcd1234']), 'key=[redacted] then [redacted] again');
	});

	it('removes the longer of two overlapping known secrets whole', () => {
		assert.equal(redact('token xyz-long-secret', ['xyz-long', 'xyz-long-secret']), 'token [redacted]');
	});

	it('leaves text alone for secrets too short to replace safely', () => {
		assert.equal(redact('a cat sat', ['at']), 'a cat sat');
	});

	it('removes sk- keys it was never told about', () => {
		assert.equal(redact('401: Incorrect API key provided: sk-proj-AbC123xyz789.'), '401: Incorrect API key provided: [redacted].');
		assert.equal(redact('bad key sk-ant-api03-Zz_9-abcdef'), 'bad key [redacted]');
	});

	it('removes bearer tokens', () => {
		assert.equal(redact('Authorization: Bearer ya29.a0AfH6SMB-token_value'), 'Authorization: Bearer [redacted]');
	});

	it('removes values of api-key fields in headers and JSON', () => {
		assert.equal(redact('{"api_key":"hunter2hunter2","model":"m"}'), '{"api_key":"[redacted]","model":"m"}');
		assert.equal(redact('x-api-key: 0123456789abcdef'), 'x-api-key: [redacted]');
	});

	it('keeps ordinary text unchanged', () => {
		const text = 'Request to https://api.example.com/v1/chat/completions failed with 500 (task-runner skipped)';
		assert.equal(redact(text), text);
	});
});
