import * as assert from 'node:assert/strict';
import { createCommandTool, parseToolDefinitions, ToolDefinitionError } from '../../../src/tools/commandTool';
import { noWorkspace } from '../../../src/tools/noWorkspace';
import type { ToolContext } from '../../../src/tools/types';

const context = (signal = new AbortController().signal): ToolContext => ({ workspace: noWorkspace, signal });
const weatherSchema = { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] };

describe('tool definitions file', () => {
	it('reads OpenAI-shaped and flat definitions, with command at either level', () => {
		const definitions = parseToolDefinitions([
			{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: weatherSchema }, command: 'cat' },
			{ name: 'lookup', description: 'Look up', parameters: { type: 'object', properties: {} }, command: 'echo hi' },
			{ type: 'function', function: { name: 'no_cmd', parameters: weatherSchema } },
		]);
		assert.deepEqual(definitions.map((d) => [d.name, d.command]), [['get_weather', 'cat'], ['lookup', 'echo hi'], ['no_cmd', undefined]]);
		assert.deepEqual(definitions[0].parameters, weatherSchema);
	});

	it('rejects a non-array, a bad name and a duplicate name, saying which entry', () => {
		assert.throws(() => parseToolDefinitions({}), ToolDefinitionError);
		assert.throws(() => parseToolDefinitions([{ name: 'has space' }]), /Tool #1: "name" must be/);
		assert.throws(() => parseToolDefinitions([{ name: 'a' }, { name: 'a' }]), /Tool #2: the name 'a' is used twice/);
	});
});

describe('command tools', () => {
	it('pipes the arguments JSON to the command on stdin and returns its stdout', async () => {
		const tool = createCommandTool({ name: 'echo_args', description: '', parameters: weatherSchema, command: 'cat' });
		assert.equal(tool.risk, 'execute');
		const output = await tool.invoke({ location: 'Boston, MA' }, context());
		assert.deepEqual(output, { type: 'text', value: '{"location":"Boston, MA"}' });
	});

	it('runs a real shell pipeline', async () => {
		const tool = createCommandTool({ name: 'upper', description: '', parameters: {}, command: 'tr a-z A-Z | sed "s/BOSTON/boston/"' });
		assert.deepEqual(await tool.invoke({ city: 'boston' }, context()), { type: 'text', value: '{"CITY":"boston"}' });
	});

	it('turns a non-zero exit into an error result carrying stderr', async () => {
		const tool = createCommandTool({ name: 'fails', description: '', parameters: {}, command: 'echo "no such city" >&2; exit 3' });
		assert.deepEqual(await tool.invoke({}, context()), { type: 'error-text', value: 'The tool \'fails\' failed (exit code 3): no such city' });
	});

	it('answers with an error result when no command is configured, and does not ask as a risky tool', async () => {
		const tool = createCommandTool({ name: 'get_weather', description: '', parameters: weatherSchema });
		assert.equal(tool.risk, 'read');
		const output = await tool.invoke({ location: 'x' }, context());
		assert.equal(output.type, 'error-text');
		assert.match(output.type === 'error-text' ? output.value : '', /has no command configured/);
	});

	it('kills a command that runs past its timeout, children included', async () => {
		const tool = createCommandTool({ name: 'slow', description: '', parameters: {}, command: 'sleep 5; echo late' }, { timeoutMs: 200 });
		const started = Date.now();
		const output = await tool.invoke({}, context());
		assert.ok(Date.now() - started < 2000);
		assert.deepEqual(output, { type: 'error-text', value: 'The tool \'slow\' timed out after 0.2 s.' });
	});

	it('kills the command when the signal aborts', async () => {
		const controller = new AbortController();
		const tool = createCommandTool({ name: 'slow', description: '', parameters: {}, command: 'sleep 5' });
		setTimeout(() => controller.abort(), 100);
		const started = Date.now();
		await assert.rejects(tool.invoke({}, context(controller.signal)), /cancelled/);
		assert.ok(Date.now() - started < 2000);
	});

	it('summarizes the call with its arguments and command for the approval prompt', async () => {
		const tool = createCommandTool({ name: 'get_weather', description: '', parameters: weatherSchema, command: './weather.sh' });
		const info = await tool.approval({ location: 'Boston' }, context());
		assert.deepEqual(info, { risk: 'execute', summary: 'get_weather {"location":"Boston"} → ./weather.sh' });
	});
});
