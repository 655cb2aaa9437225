// run_task's rebuilt command lines in plain Node: variables, quoting (checked against a real /bin/sh), shell
// arguments, the working directory and the environment.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { absoluteCwd, defaultShellArgs, quoteArgument, resolveAll, resolveEnv, resolveVariables, stripAnsi, type Quoting } from '../../../../src/vscode/workspace/taskCommandLine';

const folder = path.join(os.tmpdir(), 'my project');

describe('task command lines', () => {
	describe('resolveVariables', () => {
		it('fills in the folder, its name, the home directory, the separator and environment variables', () => {
			process.env.SWITCHBOARD_TASK_TEST = 'from-env';
			try {
				assert.equal(resolveVariables('${workspaceFolder}/out', folder), `${folder}/out`);
				assert.equal(resolveVariables('${workspaceRoot}', folder), folder);
				assert.equal(resolveVariables('name=${workspaceFolderBasename}', folder), 'name=my project');
				assert.equal(resolveVariables('${userHome}', folder), os.homedir());
				assert.equal(resolveVariables('a${pathSeparator}b${/}c', folder), `a${path.sep}b${path.sep}c`);
				assert.equal(resolveVariables('${env:SWITCHBOARD_TASK_TEST}-${env:SWITCHBOARD_TASK_UNSET}', folder), 'from-env-');
			} finally {
				delete process.env.SWITCHBOARD_TASK_TEST;
			}
		});

		it('a variable only the editor knows makes the whole text unresolvable, so VS Code runs the task itself', () => {
			for (const text of ['${file}', 'echo ${input:name}', '${command:pick}', '${config:editor.tabSize}']) assert.equal(resolveVariables(text, folder), undefined, text);
			assert.equal(resolveVariables('${workspaceFolder}', undefined), undefined, 'no folder to fill in');
			assert.equal(resolveVariables('no variables', undefined), 'no variables');
		});

		it('resolveAll and resolveEnv fail as a whole when one text cannot be resolved', () => {
			const resolve = (text: string) => resolveVariables(text, folder);
			assert.deepEqual(resolveAll(['${workspaceFolder}', 'x'], resolve), [folder, 'x']);
			assert.equal(resolveAll(['ok', '${file}'], resolve), undefined);
			assert.deepEqual(resolveEnv({ OUT: '${workspaceFolder}/out' }, resolve, { PATH: '/bin', OUT: 'old' }), { PATH: '/bin', OUT: `${folder}/out` });
			assert.equal(resolveEnv({ OUT: '${file}' }, resolve, { PATH: '/bin' }), undefined);
			assert.deepEqual(resolveEnv(undefined, resolve, { PATH: '/bin' }), { PATH: '/bin' });
		});
	});

	describe('quoteArgument', () => {
		it('leaves plain words alone and quotes anything a shell would read differently', () => {
			assert.equal(quoteArgument('--watch'), '--watch');
			assert.equal(quoteArgument('src/app.ts'), 'src/app.ts');
			assert.equal(quoteArgument('${workspaceFolder}'), '${workspaceFolder}', 'variables are resolved after quoting');
			assert.equal(quoteArgument('$HOME'), '$HOME', 'the shell expands it, as in the task\'s own command line');
			assert.equal(quoteArgument('two words'), `'two words'`);
			assert.equal(quoteArgument(`it's`), `'it'\\''s'`);
			assert.equal(quoteArgument('plain', 'strong'), `'plain'`, 'strong quoting always quotes');
			assert.equal(quoteArgument('a b', 'escape'), 'a\\ b');
			assert.equal(quoteArgument('$HOME "x"', 'weak'), '"\\$HOME \\"x\\""');
		});

		const hostile = ['two words', `it's`, '$(touch /tmp/pwned)', '`id`', '"; rm -rf / #', 'tab\there', 'back\\slash', '*.ts', 'a;b|c&d', '$HOME', ''];
		for (const quoting of [undefined, 'strong', 'escape', 'weak'] satisfies Array<Quoting | undefined>) {
			it(`${quoting ?? 'plain'} quoting: /bin/sh gets back exactly the argument that was quoted`, function () {
				if (process.platform === 'win32') this.skip();
				// Escape quoting cannot express an empty argument (VS Code has the same limit); a plain argument keeps its
				// $NAME for the shell to expand, as a task's own command line would.
				const expressible = hostile.filter((value) => (quoting !== 'escape' || value !== '') && (quoting !== undefined || value !== '$HOME'));
				for (const argument of expressible) {
					const printed = execFileSync('/bin/sh', ['-c', `printf '%s' ${quoteArgument(argument, quoting)}`], { encoding: 'utf8', cwd: os.tmpdir() });
					assert.equal(printed, argument, `${quoting ?? 'plain'}: ${argument}`);
				}
			});
		}
	});

	it('chooses the shell\'s own way to take a command line', () => {
		assert.deepEqual(defaultShellArgs('/bin/bash'), ['-c']);
		assert.deepEqual(defaultShellArgs('/usr/bin/pwsh'), ['-NoProfile', '-Command']);
		assert.deepEqual(defaultShellArgs('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'.replace(/\\/g, '/')), ['-NoProfile', '-Command']);
		assert.deepEqual(defaultShellArgs('cmd.exe'), ['/d', '/c']);
	});

	it('a relative cwd is taken from the task\'s folder, else from the home directory', () => {
		assert.equal(absoluteCwd('build', folder), path.join(folder, 'build'));
		assert.equal(absoluteCwd('build', undefined), path.join(os.homedir(), 'build'));
		assert.equal(absoluteCwd(path.join(os.tmpdir(), 'x'), folder), path.join(os.tmpdir(), 'x'));
	});

	it('takes colours and cursor moves out of the output and keeps the text', () => {
		const esc = String.fromCharCode(27);
		assert.equal(stripAnsi(`${esc}[31merror${esc}[0m: ${esc}[2Kfailed${esc}[?25h`), 'error: failed');
		assert.equal(stripAnsi('no escapes [31m here'), 'no escapes [31m here');
	});
});
