// A loopback HTTP server that answers every POST with a prepared SSE body, written in one go so the client is
// the bottleneck ("as fast as it can"). Same process as the client: its cost is identical for both sides of a
// comparison, and a single write keeps it small.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Returns the body for a request (path and parsed JSON body). */
export type BodyFor = (path: string, body: unknown) => string | Buffer;

export interface BenchServer {
	url: string;
	close(): Promise<void>;
}

export async function startSseServer(bodyFor: BodyFor): Promise<BenchServer> {
	const server = http.createServer((request, response) => {
		const pieces: Buffer[] = [];
		request.on('data', (piece: Buffer) => pieces.push(piece));
		request.on('end', () => {
			let json: unknown;
			try {
				json = JSON.parse(Buffer.concat(pieces).toString('utf8'));
			} catch {
				json = undefined;
			}
			const body = bodyFor(request.url ?? '/', json);
			response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			response.end(body);
		});
	});
	// Clients keep the connection between rounds; a short server keep-alive would reset it under them.
	server.keepAliveTimeout = 120_000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}
