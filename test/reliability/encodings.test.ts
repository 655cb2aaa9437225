// edit_file keeps every byte outside the changed region, through the real CLI with a scripted model: a Latin-1
// file it cannot decode exactly is refused untouched; UTF-8 with a BOM, CRLF line ends and UTF-16 LE/BE keep their
// BOM, line ends and encoding; a replacement the encoding cannot hold is refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeBytes, encodeText } from '../../src/tools/textEncoding';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { openaiTurn } from '../unit/chat/scripts';
import { buildCli, parseJson, runCli, type JsonOutput } from '../unit/cli/runCli';
import { Tally } from './tally';

const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

describe('edit_file keeps the bytes it does not change (CLI)', function () {
	this.timeout(120_000);
	const tally = new Tally('encodings');
	let server: ScriptedServer;
	let root: string;
	before(async () => {
		await buildCli();
		server = await startScriptedServer();
	});
	beforeEach(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-enc-'));
	});
	afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
	after(async () => {
		await server.close();
		tally.print();
	});

	async function edit(file: string, search: string, replace: string): Promise<JsonOutput> {
		server.push(openaiTurn({ calls: [{ id: 'call_1', name: 'edit_file', args: JSON.stringify({ path: file, edits: [{ search, replace }] }) }] }), openaiTurn({ text: 'Done.' }));
		const run = await runCli(['chat', '--protocol', 'openai', '--base-url', `${server.url}/v1`, '--model', 'gpt-4o', '--workspace', root, '--approve', 'all', '--json', 'Edit it.'], { SWITCHBOARD_API_KEY: 'sk-test' });
		return parseJson(run);
	}

	it('a Latin-1 file: refused with a clear error, not a byte changed', async () => {
		const bytes = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' au lait\nprice = 1\nna'), Buffer.from([0xef]), Buffer.from('ve\n')]);
		fs.writeFileSync(path.join(root, 'menu.txt'), bytes);
		await tally.check('latin-1 refused', async () => {
			const output = await edit('menu.txt', 'price = 1', 'price = 2');
			assert.ok(fs.readFileSync(path.join(root, 'menu.txt')).equals(bytes), 'the file\'s bytes changed');
			const [call] = output.steps[0].toolCalls;
			assert.equal(call.status, 'error');
			assert.match(String(call.result), /cannot be edited: it is not valid UTF-8 \(byte 0xE9 at offset 3\).*Nothing was changed/);
		});
	});

	it('UTF-8 with a BOM and CRLF: BOM and CRLF kept, a multi-line replacement gets CRLF too', async () => {
		const before = '\ufeffone\r\ntwo\r\nthree\r\n';
		fs.writeFileSync(path.join(root, 'bom.txt'), before, 'utf8');
		await tally.check('utf-8 BOM + CRLF', async () => {
			const output = await edit('bom.txt', 'two', 'two\nand a half');
			assert.equal(output.steps[0].toolCalls[0].status, 'done', JSON.stringify(output.steps[0].toolCalls[0].result));
			assert.equal(fs.readFileSync(path.join(root, 'bom.txt'), 'utf8'), '\ufeffone\r\ntwo\r\nand a half\r\nthree\r\n');
		});
	});

	it('UTF-16 LE and BE with a BOM: read, edited and written back in the same encoding', async () => {
		fs.writeFileSync(path.join(root, 'le.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo\r\nwörld\r\n', 'utf16le')]));
		fs.writeFileSync(path.join(root, 'be.txt'), Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be('héllo\nwörld\n')]));
		await tally.check('utf-16', async () => {
			const le = await edit('le.txt', 'wörld', 'wörld ünd mëhr');
			assert.equal(le.steps[0].toolCalls[0].status, 'done', JSON.stringify(le.steps[0].toolCalls[0].result));
			assert.ok(fs.readFileSync(path.join(root, 'le.txt')).equals(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo\r\nwörld ünd mëhr\r\n', 'utf16le')])));
			const be = await edit('be.txt', 'héllo', 'hallo');
			assert.equal(be.steps[0].toolCalls[0].status, 'done', JSON.stringify(be.steps[0].toolCalls[0].result));
			assert.ok(fs.readFileSync(path.join(root, 'be.txt')).equals(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be('hallo\nwörld\n')])));
		});
	});

	it('a single-byte encoding the editor names: round trip exact, a character it lacks refused', async () => {
		await tally.check('windows-1252 codec', async () => {
			const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x0a]);
			const decoded = decodeBytes(bytes, 'windows1252');
			assert.deepEqual(decoded, { text: 'café €\n', encoding: 'windows1252' });
			assert.ok(encodeText(decoded.text, 'windows1252', 'x').equals(bytes));
			assert.throws(() => encodeText('日本', 'windows1252', 'x.txt'), /has no '日'/);
			assert.equal(decodeBytes(bytes).inexact, 'it is not valid UTF-8 (byte 0xE9 at offset 3)');
		});
	});
});
