// A server that sends the start of a stream and then holds the connection open: proves that a client leaving the
// stream early closes the HTTP response instead of leaving the connection (and the model's work) running.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Runs `leave(url)` against the stalling server; says whether the server saw its response closed within 3 s. */
export async function responseClosedAfterLeaving(firstBytes: string, leave: (url: string) => Promise<void>): Promise<'closed' | 'still open'> {
	let closed!: () => void;
	const responseClosed = new Promise<'closed'>((resolve) => (closed = () => resolve('closed')));
	const stalling = http.createServer((_request, response) => {
		response.writeHead(200, { 'content-type': 'text/event-stream' });
		response.write(firstBytes);
		response.on('close', closed);
	});
	await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
	try {
		await leave(`http://127.0.0.1:${(stalling.address() as AddressInfo).port}`);
		const timeout = new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 3000).unref());
		return await Promise.race([responseClosed, timeout]);
	} finally {
		stalling.closeAllConnections();
		await new Promise<void>((resolve) => stalling.close(() => resolve()));
	}
}
