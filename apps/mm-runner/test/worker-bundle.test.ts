import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { bundleWorker } from "../src/workers/bundle.ts";
import { tempDir } from "./helpers/runner-process.ts";

it("bundles the worker entry into one plain ESM file that loads with no TypeScript loader", async () => {
  const cacheDir = tempDir("mm-bundle-");
  const bundle = await bundleWorker({ cacheDir });
  const path = fileURLToPath(bundle.url);
  expect(path.startsWith(cacheDir)).toBe(true);
  const code = readFileSync(path, "utf8");
  const specifiers = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
  // Our workspace packages are inside; third-party ones are imported by absolute file URL.
  expect(specifiers.some((s) => s.includes("@matchingo-mm/") || s.endsWith(".ts"))).toBe(false);
  const external = specifiers.filter((s) => !s.startsWith("node:"));
  expect(external.length).toBeGreaterThan(0);
  for (const specifier of external) {
    expect(specifier.startsWith("file://")).toBe(true);
    expect(existsSync(fileURLToPath(specifier))).toBe(true);
  }
  // Plain node, no loader: every import resolves; the module itself then refuses to run
  // outside a worker thread, which proves it was evaluated.
  const run = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", `await import(${JSON.stringify(bundle.url.href)})`],
    {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    },
  );
  expect(run.stderr).toContain("runs as a worker thread");
  expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|ERR_UNKNOWN_FILE_EXTENSION/);

  // The same content again: the cached file is reused.
  const again = await bundleWorker({ cacheDir });
  expect(again.url.href).toBe(bundle.url.href);
});
