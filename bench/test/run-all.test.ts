import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("`pnpm bench --help` explains the benchmarks and their knobs, not turbo's options", () => {
  const script = fileURLToPath(new URL("../run-all.mjs", import.meta.url));
  for (const flag of ["--help", "-h"]) {
    const result = spawnSync(process.execPath, [script, flag], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: pnpm bench /);
    expect(result.stdout).toContain("pnpm --filter @matchingo-mm/bench bench");
    expect(result.stdout).toContain(
      "BENCH_PARTS=latency,tape,scale,streaming,strategies,peer,fills",
    );
    expect(result.stdout).toContain("BENCH_FILLS_SIZES");
    expect(result.stdout).toContain("BENCH_PARTS=soak");
    expect(result.stdout).toContain("SOAK_MINUTES (30), SOAK_SYMBOLS (32)");
    expect(result.stdout).not.toContain("turbo run");
  }
});
