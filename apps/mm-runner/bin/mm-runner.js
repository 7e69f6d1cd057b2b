#!/usr/bin/env -S node --max-semi-space-size=1
// The mm-runner command without a package manager in between, so SIGINT/SIGTERM reach
// the runner itself: the built runner (`pnpm build` writes dist/). Equivalent:
// node --max-semi-space-size=1 apps/mm-runner/dist/main.js (and dist/report.js for the
// report). The flag keeps the main thread's young generation small (see the README).
if (process.argv[2] === "report") {
  // `mm-runner report --since 2026-11-30`: the ledger report instead of the runner.
  process.argv.splice(2, 1);
  await import("../dist/report.js");
} else {
  await import("../dist/main.js");
}
