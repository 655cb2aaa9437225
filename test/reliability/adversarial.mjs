#!/usr/bin/env node
// `npm run test:adversarial`: the long fuzz run, 100,000 generated inputs per target (SSE streams of both
// protocols, the tool-call accumulator, the argument validator). `npm test` runs the same fuzzers with 2,000
// inputs as part of its reliability suite. Options: --inputs N, --seed S (replay a failure).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { inputs: { type: 'string', default: '100000' }, seed: { type: 'string' } } });
const started = Date.now();
const env = { ...process.env, SWITCHBOARD_FUZZ_INPUTS: values.inputs, ...(values.seed ? { SWITCHBOARD_FUZZ_SEED: values.seed } : {}) };
const child = spawn(process.execPath, [
	path.join(repo, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--require', 'test/support/register.cjs', '--extension', 'ts',
	'--reporter', 'spec', '--timeout', '0', 'test/reliability/fuzz/*.test.ts',
], { cwd: repo, env, stdio: 'inherit' });
child.on('close', (code) => {
	console.log(`[test:adversarial] ${values.inputs} inputs per target, finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	process.exit(code ?? 1);
});
