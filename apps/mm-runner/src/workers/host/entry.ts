/**
 * How a worker thread starts: one way in each mode, chosen by what this process runs.
 *
 * - Built (`node dist/main.js`, production): this module is inside `dist/main.js`, and
 *   every worker starts from `dist/worker.js`, bundled by `pnpm build` next to it.
 * - From source (`pnpm start`, tests: `node --import tsx src/main.ts`): Node 20 does not
 *   hand the parent's tsx loader to a worker whose entry is a .ts file, so each worker
 *   starts from `boot.mjs`, which registers tsx and imports `worker.ts`.
 */
export interface WorkerEntry {
  readonly url: URL;
  /** Merged into the worker's `workerData`. */
  readonly data: Readonly<Record<string, unknown>>;
}

export function workerEntry(): WorkerEntry {
  if (import.meta.url.endsWith(".ts")) {
    return {
      url: new URL("../thread/boot.mjs", import.meta.url),
      data: { entry: new URL("../thread/worker.ts", import.meta.url).href },
    };
  }
  return { url: new URL("./worker.js", import.meta.url), data: {} };
}
