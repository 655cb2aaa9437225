// A file's bytes as text and back, so an edit keeps every byte outside what it changes. Encodings use VS Code's
// names (`files.encoding`, TextDocument.encoding): a byte order mark decides first (UTF-8, UTF-16 LE/BE), then the
// configured encoding, then UTF-8. A decoding is accepted only when encoding its text gives the same bytes back;
// otherwise the file's text is not exact and the write tools refuse to rewrite it.
import { ToolError } from './types';

export interface DecodedText {
	text: string;
	/** The encoding to write the text back in ('utf8', 'utf8bom', 'utf16le', 'utf16be', 'windows1252', …). */
	encoding: string;
	/** Set when the text is not exactly the file (bytes that are not valid in the encoding): why, for the model. */
	inexact?: string;
}

/** VS Code's single-byte encodings that the WHATWG decoder (TextDecoder) knows, under its label. */
const singleByteLabels: Record<string, string> = {
	windows1250: 'windows-1250', windows1251: 'windows-1251', windows1252: 'windows-1252', windows1253: 'windows-1253',
	windows1254: 'windows-1254', windows1255: 'windows-1255', windows1256: 'windows-1256', windows1257: 'windows-1257',
	windows1258: 'windows-1258', iso88592: 'iso-8859-2', iso88593: 'iso-8859-3', iso88594: 'iso-8859-4', iso88595: 'iso-8859-5',
	iso88596: 'iso-8859-6', iso88597: 'iso-8859-7', iso88598: 'iso-8859-8', iso885910: 'iso-8859-10', iso885913: 'iso-8859-13',
	iso885914: 'iso-8859-14', iso885915: 'iso-8859-15', iso885916: 'iso-8859-16', koi8r: 'koi8-r', koi8u: 'koi8-u',
	cp866: 'ibm866', macroman: 'macintosh',
};

/** What each encoding is called in messages. */
function nameOf(encoding: string): string {
	return ({ utf8: 'UTF-8', utf8bom: 'UTF-8 with BOM', utf16le: 'UTF-16 LE', utf16be: 'UTF-16 BE', iso88591: 'ISO 8859-1' } as Record<string, string>)[encoding]
		?? singleByteLabels[encoding] ?? encoding;
}

/** `bytes` as text. `hint`: the encoding the editor uses for this file, if any. */
export function decodeBytes(bytes: Buffer, hint?: string): DecodedText {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return checked(bytes, 'utf8bom');
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return checked(bytes, 'utf16le');
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return checked(bytes, 'utf16be');
	const ascii = !bytes.some((byte) => byte >= 0x80);
	if (!ascii && hint && hint !== 'utf8' && hint !== 'utf8bom' && canEncode(hint)) return checked(bytes, hint);
	const decoded = checked(bytes, 'utf8');
	if (decoded.inexact && hint && hint !== 'utf8' && hint !== 'utf8bom') decoded.inexact += ` (the editor's encoding for it, ${hint}, cannot be written back by Switchboard)`;
	return decoded;
}

/** Whether this encoding can be written back. */
export function canEncode(encoding: string): boolean {
	return ['utf8', 'utf8bom', 'utf16le', 'utf16be', 'iso88591'].includes(encoding) || encoding in singleByteLabels;
}

/** `text` as bytes in `encoding`, the BOM included; throws ToolError naming a character it cannot hold. */
export function encodeText(text: string, encoding: string, display: string): Buffer {
	switch (encoding) {
		case 'utf8': return Buffer.from(text, 'utf8');
		case 'utf8bom': return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
		case 'utf16le': return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
		case 'utf16be': return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
		default: break;
	}
	const table = encodingTable(encoding);
	if (!table) throw new ToolError('failed', `${display} is in ${nameOf(encoding)}, which Switchboard cannot write back. Nothing was changed.`);
	const out = Buffer.alloc(text.length);
	let length = 0;
	for (const char of text) {
		const byte = table.get(char);
		if (byte === undefined) {
			throw new ToolError('invalid-arguments', `${display} is in ${nameOf(encoding)}, which has no '${char}' (U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}). `
				+ 'Use only characters that encoding holds. Nothing was changed.');
		}
		out[length++] = byte;
	}
	return out.subarray(0, length);
}

function checked(bytes: Buffer, encoding: string): DecodedText {
	const text = decodeAs(bytes, encoding);
	let back: Buffer | undefined;
	try {
		back = encodeText(text, encoding, '');
	} catch {
		back = undefined;
	}
	if (back && back.equals(bytes)) return { text, encoding };
	const at = back ? firstDifference(bytes, back) : 0;
	return { text, encoding, inexact: `it is not valid ${nameOf(encoding)} (byte 0x${(bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')} at offset ${at})` };
}

function decodeAs(bytes: Buffer, encoding: string): string {
	switch (encoding) {
		case 'utf8': return bytes.toString('utf8');
		case 'utf8bom': return bytes.subarray(3).toString('utf8');
		case 'utf16le': return bytes.subarray(2).toString('utf16le');
		case 'utf16be': return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
		case 'iso88591': return bytes.toString('latin1');
		case 'windows1252': return [...bytes.toString('latin1')].map((char) => windows1252High[char.charCodeAt(0) - 0x80] ?? char).join('');
		default: return new TextDecoder(singleByteLabels[encoding]).decode(bytes);
	}
}

/**
 * Windows-1252's 0x80–0x9F (the WHATWG Encoding Standard's index-windows-1252; undefined bytes stay C1 controls).
 * Spelled out because Node 20's TextDecoder decodes the 'windows-1252' label as ISO 8859-1.
 */
const windows1252High: ReadonlyArray<string | undefined> = [
	'\u20ac', undefined, '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021', '\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', undefined, '\u017d', undefined,
	undefined, '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014', '\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', undefined, '\u017e', '\u0178',
];

const tables = new Map<string, Map<string, number>>();

/** Character → byte for a single-byte encoding, built from the decoder's own table. */
function encodingTable(encoding: string): Map<string, number> | undefined {
	const cached = tables.get(encoding);
	if (cached) return cached;
	if (encoding !== 'iso88591' && !(encoding in singleByteLabels)) return undefined;
	const table = new Map<string, number>();
	for (let byte = 0; byte < 256; byte++) {
		const char = decodeAs(Buffer.from([byte]), encoding);
		if (char !== '\ufffd' && !table.has(char)) table.set(char, byte);
	}
	tables.set(encoding, table);
	return table;
}

function firstDifference(a: Buffer, b: Buffer): number {
	let at = 0;
	while (at < a.length && at < b.length && a[at] === b[at]) at++;
	return at;
}
