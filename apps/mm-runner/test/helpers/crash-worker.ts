import { fileURLToPath } from "node:url";
import { tempDir } from "@matchingo-mm/testkit";

/** The test-only hook that crashes a worker (see support/crash-worker.mjs). */
export const CRASH_WORKER_HOOK = fileURLToPath(
  new URL("../support/crash-worker.mjs", import.meta.url),
);

/**
 * Crash `symbol`'s worker thread after `cycles` cycles, once (the restarted worker quotes
 * on): the environment and the start flags of the test-only hook.
 */
export function crashWorkerAfter(
  symbol: string,
  cycles: number,
): { env: Record<string, string>; preload: string[] } {
  return {
    env: { MM_TEST_CRASH_WORKER: `${symbol}:${cycles}`, MM_TEST_CRASH_DIR: tempDir("mm-crash-") },
    preload: [CRASH_WORKER_HOOK],
  };
}
