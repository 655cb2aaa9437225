// Side by side, whole agent: one scripted five-step tool task (read, list, read, read, answer) run headless by our
// CLI and by the other agents' CLIs (pinned in bench/agents), each against the same loopback task server in a
// fresh copy of the sample workspace and a fresh HOME. Per agent: wall time, CPU time, peak RSS of its process
// tree, start-up to its first request, request bytes per step. Run: node -r ./test/support/register.cjs
// bench/sideBySide/wholeAgent.ts (BENCH_AGENTS=switchboard,opencode runs some).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, writeRows, type BenchRow } from '../lib/report';
import { agentVersion } from './agents';
import { agentSpecs, type AgentSpec } from './agentSpecs';
import { runTree } from './processTree';
import { startTaskServer, steps, type TaskServer } from './taskServer';

const root = path.resolve(__dirname, '../..');
const sampleWorkspace = path.join(root, 'test/harness/workspace');
const model = 'bench-1';
const prompt = 'Read README.md, list the workspace root, read src/greet.ts and notes.txt, then summarize the workspace in one sentence.';
/** Timed runs after the warm-up: three of ours (about a second each), one of the others (many seconds each) to keep the suite short. */
const runsOf = (spec: AgentSpec): number => Number(process.env.BENCH_AGENT_RUNS ?? (spec.id === 'switchboard' ? 3 : 1));
const timeoutMs = 90_000;
const only = process.env.BENCH_AGENTS?.split(',');
const logDir = path.join(root, 'bench/tmp/agents');

interface Measured {
	wallMs: number;
	cpuMs: number;
	peakRssMb: number;
	startupMs: number;
	requestBytes: number[];
	toolsBytes: number;
	systemBytes: number;
	tools: number;
}

interface Outcome {
	spec: AgentSpec;
	version: string;
	runs: Measured[];
	failure?: string;
}

async function runOnce(spec: AgentSpec, server: TaskServer): Promise<Measured> {
	const workspace = fs.mkdtempSync(path.join(os.tmpdir(), `switchboard-bench-agent-${spec.id}-`));
	fs.cpSync(sampleWorkspace, workspace, { recursive: true });
	const home = fs.mkdtempSync(path.join(os.tmpdir(), `switchboard-bench-home-${spec.id}-`));
	server.reset(workspace);
	try {
		const run = spec.prepare({ baseUrl: server.baseUrl, model, workspace, home, prompt });
		const env: Record<string, string> = {
			PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'),
			XDG_CACHE_HOME: path.join(home, '.cache'), XDG_STATE_HOME: path.join(home, '.local/state'), TERM: 'dumb', CI: '1', NO_COLOR: '1', LANG: 'C.UTF-8', ...run.env,
		};
		for (const step of run.setup ?? []) {
			const setup = await runTree(step.command, step.args, { cwd: workspace, env, timeoutMs });
			if (setup.exitCode !== 0) throw new Error(`setup ${step.args[0]} failed (exit ${setup.exitCode}): ${setup.stderr.trim().slice(-300)}`);
		}
		server.reset(workspace);
		const result = await runTree(run.command, run.args, { cwd: workspace, env, timeoutMs });
		// The agent's own output, for a look at where its time went (bench/tmp is not committed).
		fs.mkdirSync(logDir, { recursive: true });
		fs.writeFileSync(path.join(logDir, `${spec.id}.log`), `$ ${run.command} ${run.args.join(' ')}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}\n`);
		const taskRequests = server.requests.filter((request) => request.step !== undefined);
		const answered = taskRequests.some((request) => request.step === steps.length);
		if (result.exitCode !== 0 || !answered) {
			const why = result.signal === 'SIGKILL' ? `killed after ${timeoutMs / 1000} s` : `exit ${result.exitCode}`;
			const reached = taskRequests.length ? `reached step ${Math.max(...taskRequests.map((request) => request.step ?? 0)) + 1} of 5` : `sent no request with tools (${server.requests.length} requests)`;
			const tail = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-6).join(' | ').slice(0, 600);
			throw new Error(`${why}, ${reached}${server.problems.length ? `; ${server.problems.join('; ')}` : ''}: ${tail}`);
		}
		const first = taskRequests[0];
		return {
			wallMs: result.wallMs, cpuMs: result.cpuMs, peakRssMb: result.peakRssMb,
			startupMs: (server.requests[0]?.at ?? first.at) - result.startedAt,
			requestBytes: taskRequests.map((request) => request.bytes), toolsBytes: first.toolsBytes, systemBytes: first.systemBytes, tools: first.tools,
		};
	} finally {
		fs.rmSync(workspace, { recursive: true, force: true });
		fs.rmSync(home, { recursive: true, force: true });
	}
}

async function measure(spec: AgentSpec, server: TaskServer): Promise<Outcome> {
	const version = spec.pkg ? agentVersion(spec.pkg) : JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version as string;
	const unavailable = spec.unavailable?.();
	if (unavailable) return { spec, version, runs: [], failure: unavailable };
	const measured: Measured[] = [];
	try {
		// One run first to warm the disk cache and the agent's own first-run setup, then the timed runs.
		await runOnce(spec, server);
		for (let run = 0; run < runsOf(spec); run++) measured.push(await runOnce(spec, server));
	} catch (error) {
		return { spec, version, runs: measured, failure: error instanceof Error ? error.message : String(error) };
	}
	return { spec, version, runs: measured };
}

const summary = (outcome: Outcome): { wallMs: number; cpuMs: number; peakRssMb: number; startupMs: number; bytesPerStep: number; firstBytes: number } => ({
	wallMs: median(outcome.runs.map((run) => run.wallMs)),
	cpuMs: median(outcome.runs.map((run) => run.cpuMs)),
	peakRssMb: median(outcome.runs.map((run) => run.peakRssMb)),
	startupMs: median(outcome.runs.map((run) => run.startupMs)),
	bytesPerStep: median(outcome.runs.map((run) => run.requestBytes.reduce((sum, bytes) => sum + bytes, 0) / run.requestBytes.length)),
	firstBytes: outcome.runs[0].requestBytes[0],
});

async function main(): Promise<void> {
	const cli = process.env.BENCH_SHIPPED ? path.resolve(process.env.BENCH_SHIPPED, 'cli.js') : path.join(root, 'dist/cli.js');
	const specs = agentSpecs(cli).filter((spec) => !only || only.includes(spec.id));
	const server = await startTaskServer(model);
	const outcomes: Outcome[] = [];
	try {
		for (const spec of specs) {
			const outcome = await measure(spec, server);
			outcomes.push(outcome);
			process.stderr.write(`[agents] ${spec.id} ${outcome.version}: ${outcome.failure ? `could not run: ${outcome.failure}` : JSON.stringify(summary(outcome))}\n`);
		}
	} finally {
		await server.close();
	}
	writeRows(rows(outcomes));
}

function rows(outcomes: Outcome[]): BenchRow[] {
	const ran = outcomes.filter((outcome) => !outcome.failure && outcome.runs.length > 0);
	const ours = ran.find((outcome) => outcome.spec.id === 'switchboard');
	if (!ours) {
		const why = outcomes.find((outcome) => outcome.spec.id === 'switchboard')?.failure ?? 'not run';
		return [{ id: 'vs-agents', measure: 'side by side: whole agent, one 5-step task', figure: `n/a (our CLI: ${why})`, budget: 'ours lowest in wall time, CPU and RSS', holds: false }];
	}
	const base = summary(ours);
	const others = ran.filter((outcome) => outcome !== ours);
	const lowest = (key: 'wallMs' | 'cpuMs' | 'peakRssMb'): boolean => others.every((outcome) => summary(outcome)[key] > base[key]);
	const ratio = (value: number, of: number): string => `${(value / of).toFixed(1)}×`;
	const result: BenchRow[] = [{
		id: 'vs-agents',
		measure: `side by side: whole agent, one 5-step tool task (read, list, read, read, answer) against a loopback server; ours vs ${others.map((outcome) => outcome.spec.id).join(', ') || 'none that ran'} (after a warm-up run each: median of ${ours.runs.length} of ours, ${others.map((outcome) => outcome.runs.length).join('/')} of theirs)`,
		figure: `ours ${(base.wallMs / 1000).toFixed(2)} s wall, ${(base.cpuMs / 1000).toFixed(2)} s CPU, ${base.peakRssMb.toFixed(0)} MB peak RSS, first request after ${base.startupMs.toFixed(0)} ms, ${(base.bytesPerStep / 1000).toFixed(1)} KB per request`,
		budget: 'ours lowest in wall time, CPU and RSS of all that ran',
		holds: lowest('wallMs') && lowest('cpuMs') && lowest('peakRssMb'),
		data: { outcomes: outcomes.map((outcome) => ({ id: outcome.spec.id, version: outcome.version, failure: outcome.failure, ...(outcome.runs.length ? summary(outcome) : {}), runs: outcome.runs })) },
	}];
	for (const outcome of outcomes) {
		if (outcome === ours) continue;
		const label = `${outcome.spec.label} ${outcome.version}`;
		if (outcome.failure || outcome.runs.length === 0) {
			result.push({ id: `vs-agents-${outcome.spec.id}`, measure: `  ${label}`, figure: `could not run here: ${outcome.failure}`, budget: 'reported', holds: null });
			continue;
		}
		const theirs = summary(outcome);
		result.push({
			id: `vs-agents-${outcome.spec.id}`,
			measure: `  ${label}: wall / CPU / peak RSS / first request / bytes per request, as a multiple of ours`,
			figure: `${ratio(theirs.wallMs, base.wallMs)} / ${ratio(theirs.cpuMs, base.cpuMs)} / ${ratio(theirs.peakRssMb, base.peakRssMb)} / ${ratio(theirs.startupMs, base.startupMs)} / ${ratio(theirs.bytesPerStep, base.bytesPerStep)} (${(theirs.wallMs / 1000).toFixed(2)} s, ${(theirs.cpuMs / 1000).toFixed(2)} s, ${theirs.peakRssMb.toFixed(0)} MB, ${theirs.startupMs.toFixed(0)} ms, ${(theirs.bytesPerStep / 1000).toFixed(1)} KB)`,
			budget: 'ours lower in wall, CPU, RSS',
			holds: theirs.wallMs > base.wallMs && theirs.cpuMs > base.cpuMs && theirs.peakRssMb > base.peakRssMb,
			data: theirs,
		});
	}
	return result;
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
