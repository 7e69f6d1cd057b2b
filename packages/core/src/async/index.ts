export { callListener } from "./call-listener.ts";
export { type DelayOptions, delay, delayEndingOnAbort } from "./delay.ts";
export { forEachBounded } from "./for-each-bounded.ts";
export { Mutex } from "./mutex.ts";
export { Semaphore } from "./semaphore.ts";
