/* global window, Buffer */
// End to end in the real VS Code: code-server + headless Chromium with the packaged extension (the .vsix that
// bench/run.mjs built, unpacked), talking to the loopback model of modelServer.mjs. The page stamps paints, the
// server stamps writes, both in epoch ms from performance.timeOrigin + performance.now() on the same machine.
// The extension host's own figures (event-loop delay, heap after a full collection, chat save times) come from
// src/vscode/benchProbe.ts, switched on by SWITCHBOARD_BENCH_PROBE. Run: node bench/e2e/e2e.mjs
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { CODE_SERVER, NODE24, REPO_DIR, SAMPLE_WORKSPACE, copyDir, launchChromium, startCodeServer, webviewFrame, workbenchUrl } from '../../test/harness/lib.mjs';
import { MODEL, sentinelOf, startModelServer } from './modelServer.mjs';
import { installPageProbe, installRouteProbe } from './page.mjs';
import { longSession, percentile, reportRows } from './rows.mjs';

const shipped = process.env.BENCH_SHIPPED;
const extensionDir = shipped && existsSync(join(shipped, 'extension/package.json')) ? join(shipped, 'extension') : REPO_DIR;
const turns = { warmUp: 3, ttft: 30, tool: 20, long: Number(process.env.BENCH_LONG_TURNS ?? 200) };
const streamSizes = [1_000, 10_000, 20_000];
// BENCH_E2E_ONLY=ttft,stream,tool,long runs some parts only (for work on one of them; no rows are written then).
const only = process.env.BENCH_E2E_ONLY ? new Set(process.env.BENCH_E2E_ONLY.split(',')) : undefined;
const part = (name) => !only || only.has(name);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const log = (line) => process.stderr.write(`[e2e] ${line}\n`);
/** The median of each part of a latency, for the log (the rows have them too). */
const medianParts = (samples) => {
	const withParts = samples.filter((sample) => sample.parts);
	if (withParts.length === 0) return 'no breakdown';
	return Object.keys(withParts[0].parts).map((key) => `${key} ${percentile(withParts.map((sample) => sample.parts[key]).filter((ms) => !Number.isNaN(ms)), 50)?.toFixed(1)}`).join(', ');
};
/** BENCH_E2E_PROFILE=dir: a CPU profile of the panel's renderer around each streamed answer, written there. */
const profileDir = process.env.BENCH_E2E_PROFILE;
/** BENCH_E2E_TRACE=dir: a timeline trace of the renderer around the first-token turns, each streamed answer and the tool turns (tasks with their layout and paint). */
const traceDir = process.env.BENCH_E2E_TRACE;
/** BENCH_E2E_HEAP=dir: a heap snapshot of the renderer at each long-session sample (every 20 turns). */
const snapshotDir = process.env.BENCH_E2E_HEAP;
/**
 * BENCH_E2E_ROUTE=1: the first token's way from host to panel split at the workbench's socket and the webview's outer
 * frame; BENCH_E2E_ROUTE=arraybuffer: the same with the workbench's socket frames handed over without a FileReader.
 */
const route = process.env.BENCH_E2E_ROUTE;

/** The probe inside the extension host: a command dropped into its folder, answered by a line in probe.jsonl. */
function hostProbe(dir) {
	let seq = 0;
	const file = join(dir, 'probe.jsonl');
	const records = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : []);
	return {
		records,
		async send(cmd, timeoutMs = 30_000) {
			const id = ++seq;
			writeFileSync(join(dir, 'command.tmp'), JSON.stringify({ seq: id, cmd }));
			renameSync(join(dir, 'command.tmp'), join(dir, 'command.json'));
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				const answer = records().find((record) => record.seq === id);
				if (answer) return answer;
				await sleep(10);
			}
			throw new Error(`the extension host's probe did not answer ${cmd} (is SWITCHBOARD_BENCH_PROBE reaching it?)`);
		},
		async ready(timeoutMs = 60_000) {
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				if (records().some((record) => record.ready)) return;
				await sleep(100);
			}
			throw new Error('the extension host\'s probe never started: the extension did not activate with SWITCHBOARD_BENCH_PROBE set');
		},
	};
}

async function openPanel(page) {
	await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
	await page.locator('.activitybar [aria-label*="Switchboard"]').first().click({ timeout: 30_000 });
	const chat = webviewFrame(page);
	const box = chat.getByRole('textbox', { name: 'Message' });
	await box.waitFor({ timeout: 60_000 });
	const frame = await (await chat.locator('body').elementHandle()).ownerFrame();
	await frame.evaluate(installPageProbe);
	return { chat, box, frame };
}

/** The renderer's heap as a .heapsnapshot (DevTools' Memory panel), numbered in the order taken. */
let snapshots = 0;
async function writeHeapSnapshot(cdp, dir) {
	mkdirSync(dir, { recursive: true });
	const file = join(dir, `heap-${++snapshots}.heapsnapshot`);
	const pieces = [];
	const collect = ({ chunk }) => pieces.push(chunk);
	cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
	await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
	cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
	writeFileSync(file, pieces.join(''));
	log(`heap snapshot written: ${file}`);
}

/** A CDP view of the panel's renderer: its own session when the webview is out of process, else the page's. */
async function panelMetrics(page, frame) {
	let cdp;
	let scope = 'panel';
	try {
		cdp = await page.context().newCDPSession(frame);
	} catch {
		cdp = await page.context().newCDPSession(page);
		scope = 'renderer (workbench and panel share it)';
	}
	return {
		scope,
		async sample() {
			await cdp.send('HeapProfiler.collectGarbage');
			if (snapshotDir) await writeHeapSnapshot(cdp, snapshotDir);
			await cdp.send('Performance.enable');
			const { metrics } = await cdp.send('Performance.getMetrics');
			const value = (name) => metrics.find((metric) => metric.name === name)?.value;
			const dom = await frame.evaluate(() => window.__bench.domNodes());
			return { jsHeapMb: value('JSHeapUsedSize') / 1e6, cdpNodes: value('Nodes'), panelNodes: dom.nodes, panelElements: dom.elements };
		},
		/**
		 * Runs `work` under a timeline trace (tasks, style, layout, paint, GC: what a long task was made of) and writes
		 * it as `name`.trace.json in `dir`, to open in DevTools' Performance panel.
		 */
		async trace(dir, name, work) {
			await cdp.send('Tracing.start', {
				transferMode: 'ReturnAsStream',
				traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'loading', 'toplevel', 'disabled-by-default-v8.cpu_profiler'] },
			});
			try {
				return await work();
			} finally {
				const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
				await cdp.send('Tracing.end');
				const { stream } = await complete;
				const pieces = [];
				for (;;) {
					const { data, eof, base64Encoded } = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
					pieces.push(base64Encoded ? Buffer.from(data, 'base64').toString('utf8') : data);
					if (eof) break;
				}
				await cdp.send('IO.close', { handle: stream });
				mkdirSync(dir, { recursive: true });
				writeFileSync(join(dir, `${name}.trace.json`), pieces.join(''));
				log(`trace written: ${join(dir, `${name}.trace.json`)}`);
			}
		},
		/** Runs `work` under the CPU profiler (1 ms sampling) and writes the profile as `name`.cpuprofile in `dir`. */
		async profile(dir, name, work) {
			await cdp.send('Profiler.enable');
			await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
			await cdp.send('Profiler.start');
			try {
				return await work();
			} finally {
				const { profile } = await cdp.send('Profiler.stop');
				mkdirSync(dir, { recursive: true });
				writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
				log(`CPU profile written: ${join(dir, `${name}.cpuprofile`)}`);
			}
		},
	};
}

/**
 * The host → panel part of a first token or a tool card split up: host post → the workbench's WebSocket frame holding it arrives,
 * → the workbench starts reading it (its FileReader reads one frame at a time), → read, → the webview's outer frame
 * (the workbench's webview code), → the panel's own frame (the outer frame's relay); and how many frames were being
 * read when it arrived.
 */
async function routeParts(page, from, to, postAt, arrivedAt, type = 'text-delta') {
	const outer = page.frames().find((frame) => frame.url().includes('extensionId=switchboard.switchboard-chat') && frame.url().includes('purpose=webviewView'));
	const frames = await page.evaluate(([a, b]) => window.__route.take(a, b), [from, to]);
	const relays = outer ? await outer.evaluate(([a, b]) => window.__route.take(a, b), [from, to]) : [];
	if (process.env.BENCH_E2E_VERBOSE) {
		const since = (at) => (at - from).toFixed(1);
		log(`  route: frames ${frames.map((entry) => `${since(entry.at)}→${since(entry.read)} ${entry.bytes} B [${entry.types.join(' ')}]${entry.hit ? ' *' : ''}`).join(', ')}; outer ${relays.map((entry) => `${since(entry.at)} ${entry.type}`).join(', ')}`);
	}
	const socket = frames.find((entry) => entry.hit && entry.at >= postAt);
	const relayed = relays.find((entry) => entry.type === type && entry.at >= (socket?.at ?? postAt));
	if (!socket || !relayed) return { toSocket: NaN, readWait: NaN, read: NaN, toOuter: NaN, toFrame: NaN, queued: NaN };
	return { toSocket: socket.at - postAt, readWait: socket.started - socket.at, read: socket.read - socket.started, toOuter: relayed.at - socket.read, toFrame: arrivedAt - relayed.at, queued: socket.queued };
}

function driver({ page, panel, server, probe }) {
	const { chat, box, frame } = panel;
	const evaluate = (fn, arg) => frame.evaluate(fn, arg);
	const send = async (text) => {
		await box.fill(text);
		await box.press('Enter');
	};
	const newChat = async () => {
		await chat.getByRole('button', { name: 'New chat' }).click();
		await frame.waitForFunction(() => window.__bench.answerCount() === 0, undefined, { timeout: 30_000 });
	};
	/** One prompt; `arm` sets the page's watchers first. Resolves once the turn has ended (Send is back). */
	const turn = async (prompt, arm = async () => {}, during = async () => {}) => {
		await evaluate((key) => window.__bench.armTurnEnd(key), `end:${prompt}`);
		await arm();
		await send(prompt);
		const result = await during();
		await evaluate((key) => window.__bench.wait(key), `end:${prompt}`);
		return result;
	};
	return {
		newChat,
		async ttft(prompt) {
			const needle = `tok${prompt.split(' ')[1]}x`;
			const arm = async () => {
				await evaluate(([key, text]) => window.__bench.armText(key, text), [prompt, needle]);
				if (route) await page.evaluate((text) => window.__route.arm(text), needle);
			};
			return turn(prompt, arm, async () => {
				const painted = await evaluate((key) => window.__bench.wait(key), prompt);
				const written = server.stamps.get(prompt).firstByteAt;
				const around = await evaluate(([from, to]) => window.__bench.arrivals(from, to), [written - 100, painted.at]);
				const arrived = around.find((entry) => entry.type === 'text-delta' && entry.at >= written);
				const host = probe.records().filter((record) => record.at >= written && record.at <= painted.at);
				const delta = host.find((record) => record.event === 'first-delta');
				const post = host.find((record) => record.event === 'first-post');
				// Where the time went: into the host, the host's text batch, host → panel, the panel's render and frame.
				let parts = delta && post && arrived ? { hostIn: delta.at - written, batch: post.at - delta.at, toPanel: arrived.at - post.at, render: painted.at - arrived.at } : undefined;
				if (route && parts) parts = { ...parts, ...(await routeParts(page, written, painted.at, post.at, arrived.at)) };
				if (process.env.BENCH_E2E_VERBOSE) {
					log(`${prompt}: panel ${around.map((entry) => `${(entry.at - written).toFixed(1)} ${entry.type}`).join(', ')}; host ${probe.records().filter((record) => record.at >= written - 100 && record.at <= painted.at).map((record) => `${(record.at - written).toFixed(1)} ${record.event}`).join(', ')}; painted ${(painted.at - written).toFixed(1)}`);
				}
				return { ms: painted.at - written, parts };
			});
		},
		async stream(size) {
			const prompt = `stream ${size}`;
			const count = await evaluate(() => window.__bench.answerCount());
			if (profileDir) await probe.send('profile-start');
			await probe.send('loop-start');
			const tasksBefore = await evaluate(() => window.__bench.longTasks.length);
			const result = await turn(prompt, async () => {
				await evaluate(([key, n]) => window.__bench.armFirstText(key, n), [`first:${prompt}`, count]);
				await evaluate(([key, needle]) => window.__bench.armText(key, needle), [`last:${prompt}`, sentinelOf(prompt)]);
			}, async () => {
				const first = await evaluate((key) => window.__bench.wait(key), `first:${prompt}`);
				const last = await evaluate((key) => window.__bench.wait(key), `last:${prompt}`);
				return { first, last };
			});
			const loop = await probe.send('loop-stop');
			if (profileDir) {
				// The probe's folder goes at the end; the profile is kept beside the panel's.
				const hostProfile = join(profileDir, `host-stream-${size}.cpuprofile`);
				mkdirSync(profileDir, { recursive: true });
				copyFileSync((await probe.send('profile-stop')).file, hostProfile);
				log(`host CPU profile written: ${hostProfile}`);
			}
			const totalChars = await evaluate(() => window.__bench.answerLength());
			const longTasks = await evaluate((from) => window.__bench.longTasks.slice(from), tasksBefore);
			const stamp = server.stamps.get(prompt);
			if (process.env.BENCH_E2E_VERBOSE) {
				// Each stall of the host's loop beside the host's own stamps, in ms from the request's first byte written.
				const since = (at) => (at - stamp.firstByteAt).toFixed(1);
				const host = probe.records().filter((record) => record.event && record.at >= stamp.firstByteAt - 1000 && record.at <= result.last.at);
				log(`${prompt}: host stalls ${loop.stalls.map((stall) => `${stall.ms} ms at ${since(stall.at)}`).join(', ') || 'none'}; host ${host.map((record) => `${since(record.at)} ${record.event}${record.ms === undefined ? '' : ` ${record.ms.toFixed(1)} ms`}`).join(', ')}`);
			}
			const shownFirst = result.first.chars / Math.max(1, totalChars);
			const wholeTokensPerSecond = (stamp.tokens / (result.last.at - stamp.firstByteAt)) * 1000;
			return {
				tokens: stamp.tokens,
				firstPaintMs: result.first.at - stamp.firstByteAt,
				shownByFirstPaint: shownFirst,
				// When the first paint showed (nearly) all of it, nothing was left to stream: the whole-answer rate stands.
				tokensPerSecond: shownFirst > 0.95 ? wholeTokensPerSecond : ((stamp.tokens * (1 - shownFirst)) / (result.last.at - result.first.at)) * 1000,
				wholeTokensPerSecond,
				longestTaskMs: Math.max(0, ...longTasks.map((task) => task.ms)),
				longTasks: longTasks.length,
				longTaskList: longTasks.map((task) => ({ at: task.at, ms: Math.round(task.ms) })),
				hostLoop: { p50: loop.p50, p99: loop.p99, max: loop.max },
			};
		},
		/** A tool-call turn: from the tool call's last byte written to the Approve button clickable; then approves. */
		async tool(prompt) {
			return turn(prompt, async () => {
				if (route) await page.evaluate((text) => window.__route.arm(text), 'awaiting-approval');
				await evaluate((key) => window.__bench.armApprove(key), `approve:${prompt}`);
				await evaluate(([key, needle]) => window.__bench.armText(key, needle), [`last:${prompt}`, sentinelOf(prompt)]);
			}, async () => {
				const card = await evaluate((key) => window.__bench.wait(key), `approve:${prompt}`);
				const written = server.stamps.get(prompt).toolCallEndAt;
				const arrivals = await evaluate(([from, to]) => window.__bench.arrivals(from, to), [written - 100, card.at]);
				const arrived = arrivals.find((entry) => entry.state === 'awaiting-approval' && entry.at >= written);
				if (process.env.BENCH_E2E_VERBOSE) log(`${prompt}: ${arrivals.map((entry) => `${(entry.at - written).toFixed(1)} ${entry.type}${entry.state ? `:${entry.state}` : ''} (${entry.handled?.toFixed(1)})`).join(', ')}; host ${probe.records().filter((record) => record.at >= written - 100 && record.at <= card.at).map((record) => `${(record.at - written).toFixed(1)} ${record.event}`).join(', ')}; card painted ${(card.at - written).toFixed(1)}`);
				const asked = probe.records().find((record) => record.event === 'awaiting-approval' && record.at >= written && record.at <= card.at);
				let parts = asked && arrived ? { hostIn: asked.at - written, toPanel: arrived.at - asked.at, render: card.at - arrived.at } : undefined;
				if (route && parts) parts = { ...parts, ...(await routeParts(page, written, card.at, asked.at, arrived.at, 'tool-call')) };
				const cardMs = { ms: card.at - written, parts };
				await chat.locator('.tool-card').last().getByRole('button', { name: 'Approve', exact: true }).click();
				await evaluate((key) => window.__bench.wait(key), `last:${prompt}`);
				return cardMs;
			});
		},
		page,
	};
}

async function main() {
	if (!existsSync(NODE24) || !existsSync(CODE_SERVER)) throw new Error('harness not installed: bash test/harness/install.sh');
	const probeDir = mkdtempSync(join(os.tmpdir(), 'switchboard-bench-probe-'));
	const server = await startModelServer();
	const provider = { id: 'bench', protocol: 'openai', baseUrl: server.baseUrl, models: [MODEL], auth: 'none' };
	const code = await startCodeServer({
		env: { SWITCHBOARD_BENCH_PROBE: probeDir },
		settings: { 'switchboard.providers': [provider], 'switchboard.defaultModel': `bench/${MODEL}`, 'switchboard.approval.read': 'ask' },
	});
	const folder = copyDir(SAMPLE_WORKSPACE, 'switchboard-bench-e2e-');
	const browser = await launchChromium();
	const probe = hostProbe(probeDir);
	try {
		const page = browser.context.pages()[0] ?? (await browser.context.newPage());
		if (route) await page.addInitScript(installRouteProbe, { arrayBuffers: route === 'arraybuffer' });
		await page.goto(workbenchUrl(code, { folder, extensionDevelopmentPath: extensionDir }));
		const panel = await openPanel(page);
		await probe.ready();
		const run = driver({ page, panel, server, probe });
		const metrics = await panelMetrics(page, panel.frame);
		log(`panel metrics from the ${metrics.scope}`);

		const ttft = [];
		if (part('ttft')) {
			for (let n = 0; n < turns.warmUp; n++) await run.ttft(`ttft w${n}`);
			const measure = async () => { for (let n = 0; n < turns.ttft; n++) ttft.push(await run.ttft(`ttft ${n}`)); };
			await (traceDir ? metrics.trace(traceDir, 'ttft', measure) : measure());
			log(`time to first token (ms): ${ttft.map((sample) => sample.ms.toFixed(1)).join(', ')}`);
			log(`time to first token: p50 ${percentile(ttft.map((sample) => sample.ms), 50).toFixed(1)}, p95 ${percentile(ttft.map((sample) => sample.ms), 95).toFixed(1)}; median parts: ${medianParts(ttft)}`);
		}

		const streaming = {};
		for (const size of part('stream') ? streamSizes : []) {
			await run.newChat();
			const measure = () => run.stream(size);
			const traced = traceDir ? () => metrics.trace(traceDir, `stream-${size}`, measure) : measure;
			streaming[size] = profileDir ? await metrics.profile(profileDir, `stream-${size}`, traced) : await traced();
			log(`stream ${size}: ${JSON.stringify(streaming[size])}`);
		}

		const toolCard = [];
		if (part('tool')) {
			await run.newChat();
			await run.tool('tool w0');
			const measure = async () => { for (let n = 0; n < turns.tool; n++) toolCard.push(await run.tool(`tool ${n}`)); };
			await (traceDir ? metrics.trace(traceDir, 'tool', measure) : measure());
			log(`tool call to Approve clickable (ms): ${toolCard.map((sample) => sample.ms.toFixed(1)).join(', ')}`);
			log(`tool call to Approve clickable: p50 ${percentile(toolCard.map((sample) => sample.ms), 50).toFixed(1)}; median parts: ${medianParts(toolCard)}`);
		}

		let long;
		if (part('long')) {
			await run.newChat();
			long = await longSession(run, probe, metrics, turns.long, log);
			const saves = (from, to) => percentile(long.savePerTurn.slice(from, to), 50).toFixed(1);
			log(`long session: chat save median ${saves(0, 10)} ms at turns 1-10, ${saves(-10)} ms at the last 10 (${long.saves} saves); Approve clickable median ${percentile(long.cards, 50).toFixed(1)} ms`);
		}
		if (only) {
			log('BENCH_E2E_ONLY is set: the figures are in the log above; no rows written');
			return;
		}
		const requestBytes = server.requests.at(-1)?.bytes;
		const rows = reportRows({ ttft, streaming, toolCard, long, extensionDir, requestBytes, metricsScope: metrics.scope });
		const out = process.env.BENCH_OUT;
		if (out) writeFileSync(out, JSON.stringify(rows, null, '\t'));
		else console.log(JSON.stringify(rows, null, '\t'));
	} finally {
		await browser.close();
		await code.stop();
		await server.close();
		rmSync(folder, { recursive: true, force: true });
		rmSync(probeDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
