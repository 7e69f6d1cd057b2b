/**
 * Who decides a worker's fate when a stop meets a worker still starting up: one shared
 * Int32 that the worker moves from `booting` to `running` just before its loop starts,
 * and the supervisor from `booting` to `stopped` when it stops the worker. Whoever moves
 * it first wins, atomically: a worker stopped while booting never starts its loop (so it
 * cannot have placed anything) and may be terminated at once, instead of first loading and
 * compiling everything only to cancel nothing.
 */
export type StartGate = Int32Array;

const BOOTING = 0;
const RUNNING = 1;
const STOPPED = 2;

export function createStartGate(): StartGate {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/** The worker: true when it may run its loop, false when it was stopped while booting. */
export function enterRunning(gate: StartGate): boolean {
  return Atomics.compareExchange(gate, 0, BOOTING, RUNNING) === BOOTING;
}

/** The supervisor: true when the worker had not started its loop (and now never will). */
export function stopWhileBooting(gate: StartGate): boolean {
  return Atomics.compareExchange(gate, 0, BOOTING, STOPPED) === BOOTING;
}
