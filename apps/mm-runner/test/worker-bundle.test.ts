import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { expect, it } from "vitest";

/**
 * Every worker is an isolate that parses what its bundle holds, so what a worker imports
 * costs once per symbol (the bench's memory per symbol). The main thread makes the venue
 * calls, reads the prices and validates the settings: none of that belongs in a worker.
 */
it("a worker thread's bundle holds no price source, gRPC, Kafka, SQLite, ky, valibot or settings table", async () => {
  const result = await build({
    absWorkingDir: fileURLToPath(new URL("..", import.meta.url)),
    entryPoints: ["src/workers/thread/worker.ts"],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["better-sqlite3", "pino", "pino-pretty"],
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((path) => path.includes("packages/core/"))).toBe(true);
  const unwanted = inputs.filter((path) =>
    /packages\/(price-sources|grpc-client|venue)\/|node_modules\/.*(ky|valibot|better-sqlite3|@grpc|nice-grpc|kafkajs)\/|src\/config\/settings/.test(
      path,
    ),
  );
  expect(unwanted).toEqual([]);
});
