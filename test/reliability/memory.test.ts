// Memory returns to its baseline after faults: a child process with --expose-gc runs the fault scenarios over
// both protocols again and again (10 MB of garbage, 5 MB arguments, resets, error bodies) and reports its heap
// after a full GC, before and after; what a fault leaves behind would add up round after round.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Tally } from './tally';

const repoRoot = path.join(__dirname, '..', '..');
const boundBytes = 4 * 1024 * 1024;

describe('memory after faults', function () {
	this.timeout(180_000);
	const tally = new Tally('memory');
	let summary = '';
	after(() => tally.print(summary));

	it('returns to baseline (within 4 MB) after repeated fault rounds over both protocols, with no unhandled rejection', () => tally.check('memory', () => {
		const rounds = 3;
		const child = spawnSync(process.execPath, ['--expose-gc', '-r', path.join(repoRoot, 'test/support/register.cjs'), path.join(__dirname, 'memoryProbe.ts'), String(rounds)], {
			cwd: repoRoot, encoding: 'utf8', timeout: 170_000,
		});
		assert.equal(child.status, 0, child.stderr);
		const report = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { before: number; after: number; scenarios: number; unhandled: number };
		const growth = report.after - report.before;
		const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
		summary = `${report.scenarios} fault runs after two warm-up rounds; heap ${mb(report.before)} → ${mb(report.after)} (${growth >= 0 ? '+' : ''}${mb(growth)}), ${report.unhandled} unhandled rejections`;
		assert.equal(report.unhandled, 0);
		assert.ok(growth < boundBytes, `heap grew by ${mb(growth)}`);
	}));
});
