// Memory a test can bound: sampled right after a full collection, so it measures what is held, not garbage that a
// plain sample may or may not catch depending on the GC's timing (bounds on raw heap peaks flaked in CI).
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** A full collection, also in a process started without --expose-gc (the extension host, mocha). */
export function collectGarbage(): void {
	v8.setFlagsFromString('--expose-gc');
	(vm.runInNewContext('gc') as () => void)();
}

/** Heap and buffers after a full collection. Buffers' backing stores are freed by a concurrent sweeper, so their
 * figure can lag a collection; bound them loosely or only report them. */
export function liveMemory(): NodeJS.MemoryUsage {
	collectGarbage();
	return process.memoryUsage();
}
