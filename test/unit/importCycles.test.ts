// No module of src/ reaches itself through its imports (type-only and dynamic ones included): a cycle makes load
// order matter and hides which of two modules owns an idea. Imports are read by TypeScript's own pre-processor.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const src = path.join(__dirname, '..', '..', 'src');

function importGraph(): Map<string, string[]> {
	const files = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts')).map((file) => path.join(src, file));
	const graph = new Map<string, string[]>();
	for (const file of files) {
		const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
		const targets = importedFiles
			.filter((imported) => imported.fileName.startsWith('.'))
			.map((imported) => path.resolve(path.dirname(file), imported.fileName.replace(/\.js$/, '')))
			.map((target) => [`${target}.ts`, path.join(target, 'index.ts')].find((candidate) => fs.existsSync(candidate)))
			.filter((target): target is string => target !== undefined);
		graph.set(file, targets);
	}
	return graph;
}

/** The strongly connected components with more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
	let counter = 0;
	const order = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const found: string[][] = [];
	const visit = (node: string): void => {
		order.set(node, counter);
		low.set(node, counter++);
		stack.push(node);
		for (const next of graph.get(node) ?? []) {
			if (!order.has(next)) {
				visit(next);
				low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
			} else if (stack.includes(next)) low.set(node, Math.min(low.get(node) ?? 0, order.get(next) ?? 0));
		}
		if (low.get(node) !== order.get(node)) return;
		const component: string[] = [];
		let member: string | undefined;
		do {
			member = stack.pop();
			if (member) component.push(path.relative(src, member));
		} while (member !== undefined && member !== node);
		if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
	};
	for (const node of graph.keys()) if (!order.has(node)) visit(node);
	return found;
}

describe('imports in src/', () => {
	it('form no cycle', () => {
		const graph = importGraph();
		assert.ok(graph.size > 100, `read ${graph.size} modules`);
		assert.ok([...graph.values()].some((targets) => targets.length > 0), 'imports were found');
		assert.deepEqual(cycles(graph), []);
	});

	it('the check sees a cycle through a type-only import', () => {
		const edges: Record<string, string[]> = { 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'], 'd.ts': ['a.ts'] };
		const graph = new Map(Object.entries(edges).map(([file, targets]) => [path.join(src, file), targets.map((target) => path.join(src, target))]));
		assert.deepEqual(cycles(graph), [['a.ts', 'b.ts', 'c.ts']]);
		const { importedFiles } = ts.preProcessFile("import type { X } from './x';\nconst y = import('./y.js');\n", true, true);
		assert.deepEqual(importedFiles.map((imported) => imported.fileName), ['./x', './y.js']);
	});
});
