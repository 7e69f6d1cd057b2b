#!/usr/bin/env node
// The mm-runner command without a package manager in between, so SIGINT/SIGTERM reach
// the runner itself: registers tsx (the source is TypeScript, there is no build step),
// then starts the CLI. Equivalent: node --import tsx apps/mm-runner/src/main.ts
import { register } from "tsx/esm/api";

register();
if (process.argv[2] === "report") {
  // `mm-runner report --since 2026-11-30`: the ledger report instead of the runner.
  process.argv.splice(2, 1);
  await import("../src/report-main.ts");
} else {
  await import("../src/main.ts");
}
