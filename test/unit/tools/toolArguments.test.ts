// Each built-in tool's parse follows from the schema it declares: valid arguments come back unchanged (and typed),
// anything else is a ToolError naming the field, the type expected and what the model wrote.
import * as assert from 'node:assert/strict';
import { createCreateFileTool } from '../../../src/tools/createFile';
import { createEditFileTool } from '../../../src/tools/editFile';
import { createGetDiagnosticsTool } from '../../../src/tools/getDiagnostics';
import { NodeEditPort } from '../../../src/tools/nodeEditPort';
import { NodeWorkspace } from '../../../src/tools/nodeWorkspace';
import { workspaceTools } from '../../../src/tools/registry';
import { createRunTaskTool } from '../../../src/tools/runTask';
import { objectSchema, parseArguments, validateSchema, type FromSchema } from '../../../src/tools/schema';
import { ToolError, type AnyTool } from '../../../src/tools/types';

const port = new NodeEditPort(new NodeWorkspace([__dirname]));
const tools: AnyTool[] = [
	...workspaceTools,
	createEditFileTool(port),
	createCreateFileTool(port),
	createGetDiagnosticsTool({ get: async () => [] }),
	createRunTaskTool({ list: async () => [], run: async () => ({ exitCode: 0, output: '', truncated: false, timedOut: false }) }),
];
const byName = (name: string): AnyTool => tools.find((tool) => tool.name === name) ?? assert.fail(`no tool ${name}`);

function rejection(tool: AnyTool, raw: unknown): string {
	try {
		tool.parse(raw);
	} catch (error) {
		assert.ok(error instanceof ToolError, String(error));
		assert.equal(error.reason, 'invalid-arguments');
		return error.message;
	}
	return assert.fail(`${tool.name} accepted ${JSON.stringify(raw)}`);
}

describe('tool arguments parsed from each tool\'s schema', () => {
	it('covers every built-in tool', () => {
		assert.deepEqual(tools.map((tool) => tool.name).sort(), ['create_file', 'edit_file', 'find_files', 'get_diagnostics', 'list_directory', 'read_file', 'run_task', 'search_text']);
	});

	const valid: Record<string, unknown> = {
		read_file: { path: 'src/app.ts', startLine: 1, endLine: 20 },
		list_directory: { path: '.' },
		find_files: { glob: '**/*.ts', maxResults: 5 },
		search_text: { query: 'greeting', isRegex: false, include: 'src/**' },
		edit_file: { path: 'a.ts', edits: [{ search: 'x', replace: '' }] },
		create_file: { path: 'b.ts', content: '', overwrite: true },
		get_diagnostics: {},
		run_task: { mode: 'list' },
	};

	for (const [name, raw] of Object.entries(valid)) {
		it(`${name}: arguments its schema accepts come back unchanged`, () => {
			assert.deepEqual(validateSchema(byName(name).inputSchema, raw), [], 'the example is valid');
			assert.deepEqual(byName(name).parse(raw), raw);
		});
	}

	it('a wrong type names the field, the type expected and the value the model wrote', () => {
		assert.equal(rejection(byName('read_file'), { path: 'a.ts', startLine: '10' }), 'arguments.startLine: expected integer, got string "10"');
		assert.equal(rejection(byName('find_files'), { glob: 42 }), 'arguments.glob: expected string, got number 42');
		assert.equal(rejection(byName('create_file'), { path: 'b.ts', content: 'x', overwrite: 'yes' }), 'arguments.overwrite: expected boolean, got string "yes"');
		assert.equal(rejection(byName('edit_file'), { path: 'a.ts', edits: [{ search: 'x', replace: { text: 'y' } }] }), 'arguments.edits[0].replace: expected string, got object {"text":"y"}');
		assert.equal(rejection(byName('list_directory'), null), 'arguments: expected object, got null');
	});

	it('missing, extra and out-of-range fields are each named, one line apiece', () => {
		assert.equal(rejection(byName('search_text'), { query: '' }), 'arguments.query: must be at least 1 characters long, got 0');
		assert.equal(rejection(byName('edit_file'), { path: 'a.ts', edits: [] }), 'arguments.edits: must have at least 1 items, got 0');
		assert.deepEqual(rejection(byName('read_file'), { file: 'a.ts', startLine: 0 }).split('\n'), [
			'arguments.path: is required but missing',
			'arguments.file: is not allowed (allowed: path, startLine, endLine)',
			'arguments.startLine: must be >= 1, got 0',
		]);
		assert.equal(rejection(byName('run_task'), { mode: 'stop' }), 'arguments.mode: must be one of "run", "list", got "stop"');
	});

	it('run_task keeps its own rule on top of the schema: running needs a task label', () => {
		assert.match(rejection(byName('run_task'), { mode: 'run', task: '  ' }), /arguments\.task: give the label of the task to run/);
		assert.deepEqual(byName('run_task').parse({ task: 'build' }), { task: 'build' });
	});

	it('shows at most a short preview of what the model wrote, however large or deep', () => {
		const huge = rejection(byName('read_file'), { path: ['x'.repeat(1_000_000)] });
		assert.match(huge, /^arguments\.path: expected string, got array \["x{50,}/);
		assert.ok(huge.length < 150, huge);
		let deep: unknown = [];
		for (let index = 0; index < 100_000; index++) deep = [deep];
		const nested = rejection(byName('find_files'), { glob: deep });
		assert.match(nested, /^arguments\.glob: expected string, got array \[\[\[/);
		assert.ok(nested.length < 150, nested);
	});
});

describe('FromSchema and parseArguments', () => {
	const schema = objectSchema({
		type: 'object',
		properties: {
			name: { type: 'string' },
			count: { type: 'integer' },
			tags: { type: 'array', items: { type: 'string' } },
			mode: { type: 'string', enum: ['a', 'b'] },
		},
		required: ['name'],
		additionalProperties: false,
	});

	it('returns the value with the type the schema declares', () => {
		const parsed: FromSchema<typeof schema> = parseArguments(schema, { name: 'n', tags: ['x'], mode: 'b' });
		// Each field has its declared type: these lines would not compile otherwise.
		const name: string = parsed.name;
		const count: number | undefined = parsed.count;
		const tags: string[] | undefined = parsed.tags;
		const mode: 'a' | 'b' | undefined = parsed.mode;
		assert.deepEqual({ name, count, tags, mode }, { name: 'n', count: undefined, tags: ['x'], mode: 'b' });
	});

	it('throws a ToolError listing each problem', () => {
		assert.throws(() => parseArguments(schema, { name: 1, tags: ['x', 2] }), (error: unknown) =>
			error instanceof ToolError && error.reason === 'invalid-arguments'
			&& error.message === 'arguments.name: expected string, got number 1\narguments.tags[1]: expected string, got number 2');
	});
});
