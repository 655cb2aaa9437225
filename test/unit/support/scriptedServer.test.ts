import * as assert from 'node:assert/strict';
import { startScriptedServer } from '../../support/scriptedServer';

describe('scripted test server', () => {
	it('answers requests in order and records their bodies', async () => {
		const server = await startScriptedServer([{ body: '{"n":1}' }, { status: 429, body: '{"n":2}' }]);
		try {
			const first = await fetch(`${server.url}/v1/x`, { method: 'POST', body: '{"a":1}' });
			assert.deepEqual(await first.json(), { n: 1 });
			const second = await fetch(`${server.url}/v1/y`, { method: 'POST', body: 'not json' });
			assert.equal(second.status, 429);
			assert.deepEqual(server.requests.map((r) => [r.url, r.json]), [['/v1/x', { a: 1 }], ['/v1/y', undefined]]);
		} finally {
			await server.close();
		}
	});
});
