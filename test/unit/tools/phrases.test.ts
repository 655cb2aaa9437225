// The tools' user-facing texts: English by default (the CLI), in the display language through a bundle lookup
// (what src/vscode/workspace/toolset.ts does with vscode.l10n.bundle), the model-facing side untouched.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMcpTools } from '../../../src/mcp/mcpTools';
import { localizeApproval, localizeTools } from '../../../src/tools/localizeTools';
import { NodeWorkspace } from '../../../src/tools/nodeWorkspace';
import { formatPhrase, phrase, type TemplateLookup } from '../../../src/tools/phrases';
import { workspaceTools } from '../../../src/tools/registry';
import type { AnyTool, ToolContext } from '../../../src/tools/types';
import { createTempWorkspace, type TempWorkspace } from './tempWorkspace';

const root = path.join(__dirname, '../../..');

function bundle(language: string): TemplateLookup {
	const entries = JSON.parse(fs.readFileSync(path.join(root, `l10n/bundle.l10n.${language}.json`), 'utf8')) as Record<string, string>;
	return (english) => entries[english];
}

describe('tool phrases', () => {
	let temp: TempWorkspace;
	let context: ToolContext;
	const zhCn = bundle('zh-cn');
	const zhTw = bundle('zh-tw');
	const byName = (tools: readonly AnyTool[], name: string): AnyTool => tools.find((tool) => tool.name === name) as AnyTool;
	before(() => {
		temp = createTempWorkspace();
		context = { workspace: new NodeWorkspace([temp.root]), signal: new AbortController().signal };
	});
	after(() => temp.cleanup());

	it('fills templates in English by default, nested phrases included', () => {
		assert.equal(formatPhrase(phrase('readLines', 'src/app.ts', 1, 80)), 'Read src/app.ts lines 1–80');
		assert.equal(formatPhrase(phrase('runTask', 'build')), 'Run task \'build\'');
		assert.equal(formatPhrase(phrase('edit', 'a.ts', phrase('blocks', 2), phrase('lineDelta', 3, 1))), 'Edit a.ts (2 blocks, +3 −1 lines)');
	});

	it('translates with a bundle, falling back to English for a template it lacks', () => {
		assert.equal(formatPhrase(phrase('readLines', 'src/app.ts', 1, 80), zhCn), '读取 src/app.ts 第 1–80 行');
		assert.equal(formatPhrase(phrase('runTask', 'build'), zhTw), '執行工作「build」');
		assert.equal(formatPhrase(phrase('edit', 'a.ts', phrase('oneBlock'), phrase('lineDelta', 3, 1)), zhCn), '编辑 a.ts（1 个替换块，+3 −1 行）');
		assert.equal(formatPhrase(phrase('list', 'src'), () => undefined), 'List src');
	});

	it('localizes the card summary and the forced-ask reason of real tools, keeping English for the model', async () => {
		const tools = localizeTools(workspaceTools, zhCn);
		const read = byName(tools, 'read_file');
		const approval = await read.approval(read.parse({ path: 'src/app.ts', startLine: 1, endLine: 80 }), context);
		assert.equal(approval.summary, '读取 src/app.ts 第 1–80 行');
		assert.equal(approval.forcedReason, undefined);
		const git = await read.approval(read.parse({ path: '.git/config' }), context);
		assert.equal(git.forcedReason, '.git/config：位于 .git/ 内');
		const workspaceFile = await read.approval(read.parse({ path: 'project.code-workspace' }), context);
		assert.equal(workspaceFile.forcedReason, 'project.code-workspace：这是 *.code-workspace 文件');
		const outside = await read.approval(read.parse({ path: '../outside/secret.txt' }), context);
		assert.match(outside.forcedReason ?? '', /secret\.txt 在工作区文件夹之外$/);
		// What the model reads is the tool's own: names, descriptions and results are English.
		assert.deepEqual(tools.map((tool) => [tool.name, tool.description]), workspaceTools.map((tool) => [tool.name, tool.description]));
		const result = await read.invoke(read.parse({ path: 'src/app.ts', startLine: 1, endLine: 1 }), context);
		const original = await workspaceTools[0].invoke(workspaceTools[0].parse({ path: 'src/app.ts', startLine: 1, endLine: 1 }), context);
		assert.deepEqual(result, original);
	});

	it('is idempotent and leaves a summary without a phrase alone', async () => {
		const twice = localizeTools(localizeTools(workspaceTools, zhTw), zhTw);
		const search = byName(twice, 'search_text');
		assert.equal((await search.approval(search.parse({ query: 'greeting', include: 'src/**' }), context)).summary, '在 src/** 中搜尋 "greeting"');
		assert.deepEqual(localizeApproval({ risk: 'execute', summary: 'MCP demo: echo' }, zhTw), { risk: 'execute', summary: 'MCP demo: echo' });
	});

	it('shows an MCP tool card in the display language, with the server and tool names as they are', async () => {
		const echo = localizeTools(createMcpTools('demo', { callTool: async () => ({ content: [], isError: false }) }, [{ name: 'echo', inputSchema: { type: 'object' } }]), zhCn)[0];
		const info = await echo.approval(echo.parse({}), context);
		assert.equal(info.summary, 'MCP 服务器 demo 的工具 echo');
		assert.equal(formatPhrase(info.summaryPhrase ?? phrase('list', '?')), 'MCP demo: echo');
	});
});
