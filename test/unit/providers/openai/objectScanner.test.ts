import * as assert from 'node:assert/strict';
import { ObjectScanner } from '../../../../src/providers/openai/objectScanner';

/** Feeds `text` in `size`-character fragments and reports completeness after each. */
function scan(text: string, size: number): boolean[] {
	const scanner = new ObjectScanner();
	const seen: boolean[] = [];
	for (let start = 0; start < text.length; start += size) {
		scanner.push(text.slice(start, start + size));
		seen.push(scanner.complete);
	}
	return seen;
}

describe('ObjectScanner (is a growing tool-call argument one whole object yet?)', () => {
	it('is complete only once the outer object closes, whatever braces, brackets and escapes strings hold', () => {
		const text = JSON.stringify({ path: 'a.ts', content: 'function f() { return "}\\"{"; }\n[', list: [{ a: 1 }, [2]] });
		for (const size of [1, 3, 10, text.length]) {
			const seen = scan(text, size);
			assert.equal(seen.at(-1), true, `fragments of ${size}`);
			assert.ok(seen.slice(0, -1).every((complete) => !complete), `complete too early with fragments of ${size}`);
		}
	});

	it('allows spaces around the object but nothing else after it', () => {
		assert.deepEqual(scan(' \n{"a":1} \t', 100), [true]);
		assert.deepEqual(scan('{"a":1}{"b":2}', 7), [true, false]);
		assert.deepEqual(scan('"a string"', 100), [false]);
		assert.deepEqual(scan('[1,2]', 100), [false]);
	});

	it('counts a raw newline inside a string as part of the string (models emit them)', () => {
		assert.deepEqual(scan('{"a":"line\none}"}', 100), [true]);
	});
});
