// Test-only hook, never part of the runner: loaded with `--import` by the test harness, it
// runs in the main thread and in every worker thread (they inherit the flag). In the worker
// of the symbol named by MM_TEST_CRASH_WORKER=SYMBOL:N it counts the cycle events the worker
// sends and, after the Nth, throws an uncaught error, exactly as a bug would crash the
// thread. Once per run: the first worker to crash leaves a marker in MM_TEST_CRASH_DIR, so
// the restarted worker quotes normally.
import { openSync } from "node:fs";
import { join } from "node:path";
import { isMainThread, parentPort, workerData } from "node:worker_threads";

const spec = process.env.MM_TEST_CRASH_WORKER;
const symbol = workerData?.init?.symbol?.symbol;
if (!isMainThread && parentPort && spec && symbol) {
  const [target, after] = spec.split(":");
  const marker = join(process.env.MM_TEST_CRASH_DIR ?? "", `crashed-${target}`);
  if (target === symbol && Number(after) > 0 && !exists(marker)) {
    const port = parentPort;
    const post = port.postMessage.bind(port);
    let cycles = 0;
    port.postMessage = (message, transfer) => {
      post(message, transfer);
      // The RPC's messages (src/workers/wire/rpc.ts): the worker reports each event as a
      // notification `event` whose request is the event.
      const events = Array.isArray(message?.rpc)
        ? message.rpc.filter((item) => item.kind === "call" && item.method === "event")
        : [];
      for (const item of events) {
        if (item.request?.type !== "cycle") continue;
        cycles++;
        if (cycles === Number(after)) {
          openSync(marker, "wx");
          setImmediate(() => {
            throw new Error(`injected crash after ${cycles} cycles`);
          });
        }
      }
    };
  }
}

function exists(path) {
  try {
    openSync(path, "r");
    return true;
  } catch {
    return false;
  }
}
