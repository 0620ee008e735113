/**
 * The V8 flags `npm run relay` starts Node with (package.json's `relay` script; a unit test keeps
 * the two in step), for the benches and tests that start the relay as it ships.
 *
 * --no-memory-reducer: V8's memory reducer starts a full GC when a process's allocation slows
 * down, as a relay's does whenever its load drops. In bench:relay that GC threw away the optimized
 * code of some 50 of the relay's hot functions at once ('weak objects'), and their recompiles on
 * V8's helper threads took the CPU from the relay's thread: in about every second run 0.6-2.3% of
 * the edits stalled 1-4 ms and the 1 writer -> 1 reader p99 with durability disk missed its target.
 * Without it, 3 runs of 3 stayed at 0.03-0.20% and met it. A relay's heap is then not shrunk when
 * it goes quiet; ordinary GCs still collect what is dead.
 *
 * It has to be on Node's command line. V8 gives an isolate its memory reducer when it sets up the
 * isolate's heap, so v8.setFlagsFromString('--no-memory-reducer') in a running process takes
 * nothing away: tried, two processes that set it at start-up still ran their two reducer GCs when
 * they went quiet. A worker thread's isolate is set up when the worker starts, though: one started
 * while the flag was set ran none (3 runs of 3; the same worker without it, 1-2 each), even after
 * the flag was turned back. So the desktop app hosts its relay in a worker thread started that way
 * (thread-relay.ts).
 */
export const RELAY_V8_FLAGS: readonly string[] = ['--no-memory-reducer']

/** `--no-x` → `--x` and back: the flag that undoes a boolean V8 flag. */
export function oppositeFlag(flag: string): string {
  return flag.startsWith('--no-') ? `--${flag.slice(5)}` : `--no-${flag.slice(2)}`
}
