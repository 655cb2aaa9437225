// What the bench runs inside the chat panel's webview frame (installed once with frame.evaluate): watchers that
// resolve with the epoch time (performance.timeOrigin + performance.now(), as the model server stamps) of the
// first task after the frame that painted what they wait for, and a long-task log.
/* global window, ProgressEvent, TextDecoder, document, performance, requestAnimationFrame, PerformanceObserver, MutationObserver, ResizeObserver, NodeFilter */

/** Installed in the page; must not close over anything (it is serialized). */
export function installPageProbe() {
	const now = () => performance.timeOrigin + performance.now();
	// Painted = the first task after the frame that rendered the change. A change made inside a frame's
	// animation callbacks (where the panel renders streamed Markdown) is painted by that frame, so a task queued
	// then runs after it; a change made in an ordinary task is painted by the next frame. This loop, registered
	// before anything the panel schedules in a frame, marks the animation-callback phase of each frame.
	// The phase ends at the frame's resize-observer step (after its style and layout): a task that runs after the
	// frame but before a timer queued in it (a message, say) is not taken for part of the frame.
	let inFrame = false;
	const sentinel = document.createElement('div');
	sentinel.style.cssText = 'position: absolute; top: 0; left: 0; height: 0; width: 1px; visibility: hidden; pointer-events: none';
	document.documentElement.append(sentinel);
	new ResizeObserver(() => { inFrame = false; }).observe(sentinel);
	const markFrame = () => {
		inFrame = true;
		sentinel.style.width = sentinel.style.width === '1px' ? '2px' : '1px';
		setTimeout(() => { inFrame = false; }, 0);
		requestAnimationFrame(markFrame);
	};
	requestAnimationFrame(markFrame);
	const afterTask = (resolve) => setTimeout(() => resolve(now()), 0);
	const afterFrame = () => new Promise((resolve) => (inFrame ? afterTask(resolve) : requestAnimationFrame(() => afterTask(resolve))));
	const answers = () => document.querySelectorAll('article.turn.assistant');
	const lastAnswer = () => { const list = answers(); return list[list.length - 1]; };
	const longTasks = [];
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) longTasks.push({ at: performance.timeOrigin + entry.startTime, ms: entry.duration });
	}).observe({ type: 'longtask' });
	/** Resolves with { at, ...extra() } at the first task after the frame following the first DOM change where test() holds. */
	const when = (test, extra = () => ({})) => new Promise((resolve) => {
		let fired = false;
		const check = () => {
			if (fired || !test()) return;
			fired = true;
			observer.disconnect();
			void afterFrame().then((at) => resolve({ at, ...extra() }));
		};
		const observer = new MutationObserver(check);
		observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
		check();
	});
	const clickable = (button) => !button.disabled && button.offsetParent !== null && button.getBoundingClientRect().height > 0;
	const approveButtons = () => [...document.querySelectorAll('.tool-card button')].filter((button) => button.textContent?.trim() === 'Approve' && clickable(button));
	// The composer hides Send (and shows Stop) while a turn runs.
	const sendShown = () => [...document.querySelectorAll('button')].some((button) => button.textContent?.trim() === 'Send' && !button.hidden && button.offsetParent !== null);
	// When the host's messages reached the panel (text batches and card updates), for the breakdown of a latency.
	const arrivals = [];
	window.addEventListener('message', (event) => {
		const type = event.data?.type;
		if (typeof type === 'string') arrivals.push({ type, at: now(), state: event.data.call?.state });
	}, true);
	// Registered after the panel's own listener, so it runs once the panel has handled the message.
	window.addEventListener('message', (event) => {
		const last = arrivals[arrivals.length - 1];
		if (last && last.type === event.data?.type) last.handled = now() - last.at;
	});
	const pending = new Map();
	window.__bench = {
		now,
		longTasks,
		/** Arrivals in [from, to] (epoch ms), oldest first; older ones are dropped. */
		arrivals(from, to) {
			const found = arrivals.filter((entry) => entry.at >= from && entry.at <= to);
			arrivals.splice(0, arrivals.findIndex((entry) => entry.at > to) === -1 ? arrivals.length : arrivals.findIndex((entry) => entry.at > to));
			return found;
		},
		/** The last answer contains `needle`. */
		armText(key, needle) { pending.set(key, when(() => lastAnswer()?.textContent?.includes(needle) ?? false)); },
		/** A new answer (beyond `count`) shows text; reports how many characters that first paint showed. */
		armFirstText(key, count) {
			pending.set(key, when(
				() => answers().length > count && (lastAnswer()?.querySelector('.markdown')?.textContent?.trim().length ?? 0) > 0,
				() => ({ chars: lastAnswer()?.querySelector('.markdown')?.textContent?.length ?? 0 }),
			));
		},
		armApprove(key) { pending.set(key, when(() => approveButtons().length > 0)); },
		/** Armed before the prompt is sent: Send goes away, then comes back. */
		armTurnEnd(key) {
			let busy = false;
			pending.set(key, when(() => {
				if (!sendShown()) busy = true;
				return busy && sendShown();
			}));
		},
		wait: (key) => pending.get(key).finally(() => pending.delete(key)),
		answerLength: () => lastAnswer()?.querySelector('.markdown')?.textContent?.length ?? 0,
		answerCount: () => answers().length,
		domNodes() {
			const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
			let nodes = 0;
			while (walker.nextNode()) nodes++;
			return { nodes, elements: document.getElementsByTagName('*').length };
		},
		heapUsed: () => performance.memory?.usedJSHeapSize,
	};
}

/**
 * BENCH_E2E_ROUTE: where a message from the host spends its way to the panel. Added to every frame before its own
 * scripts run (page.addInitScript). In the workbench it stamps each WebSocket frame from the server (the extension
 * host's RPC messages travel in them; they arrive as Blobs) and when the workbench's FileReader has read it, keeping
 * the frames that hold the armed needle; in the webview's outer frame, each message the workbench passes it over its
 * MessageChannel. Must not close over anything (it is serialized).
 *
 * With `arrayBuffers` (BENCH_E2E_ROUTE=arraybuffer, an experiment, never a row) the workbench's sockets deliver
 * ArrayBuffers (binaryType 'arraybuffer') and its reader hands each one over at once: what the route would cost if
 * the workbench did not read every frame through a FileReader.
 */
export function installRouteProbe({ arrayBuffers = false } = {}) {
	const now = () => performance.timeOrigin + performance.now();
	const seen = [];
	let needle;
	let decoder;
	window.__route = {
		arm(text) { needle = text; },
		/** Stamps in [from, to] (epoch ms), oldest first; all are dropped. */
		take(from, to) {
			const found = seen.filter((entry) => entry.at >= from && entry.at <= to);
			seen.splice(0, seen.length);
			return found;
		},
	};
	const arrived = new WeakMap();
	const NativeSocket = window.WebSocket;
	window.WebSocket = class extends NativeSocket {
		constructor(...args) {
			super(...args);
			if (arrayBuffers) this.binaryType = 'arraybuffer';
			this.addEventListener('message', (event) => {
				if (typeof event.data === 'object') arrived.set(event.data, { at: now(), queued: reading });
			});
		}
	};
	let reading = 0;
	const NativeReader = window.FileReader;
	window.FileReader = class extends NativeReader {
		constructor() {
			super();
			// Registered before the workbench sets its onload: it runs first, while `result` is still this frame's (the
			// workbench starts reading its next frame from its onload, and a read started there suppresses loadend).
			this.addEventListener('load', () => {
				const frame = this.frame;
				this.frame = undefined;
				if (!frame) return;
				reading--;
				if (!needle || !(this.result instanceof ArrayBuffer)) return;
				decoder ??= new TextDecoder('latin1');
				const text = decoder.decode(this.result);
				// The panel messages in the frame, by type (the webview message is JSON inside the RPC message's JSON).
				const types = [...text.matchAll(/type\\?":\\?"([a-z-]+)/g)].map((match) => match[1]);
				seen.push({ where: 'socket', hit: text.includes(needle), types, at: frame.at, started: frame.started, read: now(), bytes: this.result.byteLength, queued: frame.queued });
			});
		}

		readAsArrayBuffer(blob) {
			const frame = arrived.get(blob);
			if (frame) {
				reading++;
				frame.started = now();
				this.frame = frame;
			}
			if (!(blob instanceof ArrayBuffer)) return super.readAsArrayBuffer(blob);
			Object.defineProperty(this, 'result', { value: blob, configurable: true });
			this.dispatchEvent(new ProgressEvent('load'));
			this.dispatchEvent(new ProgressEvent('loadend'));
			return undefined;
		}
	};
	const NativeChannel = window.MessageChannel;
	window.MessageChannel = class extends NativeChannel {
		constructor() {
			super();
			this.port1.addEventListener('message', (event) => {
				if (event.data?.channel === 'message') seen.push({ where: 'outer', at: now(), type: event.data.args?.message?.type });
			});
		}
	};
}
