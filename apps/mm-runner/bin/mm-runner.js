#!/usr/bin/env node
// The mm-runner command without a package manager in between, so SIGINT/SIGTERM reach
// the runner itself: the built runner (`pnpm build` writes dist/). Equivalent:
// node apps/mm-runner/dist/main.js (and node apps/mm-runner/dist/report.js for the report)
if (process.argv[2] === "report") {
  // `mm-runner report --since 2026-11-30`: the ledger report instead of the runner.
  process.argv.splice(2, 1);
  await import("../dist/report.js");
} else {
  await import("../dist/main.js");
}
