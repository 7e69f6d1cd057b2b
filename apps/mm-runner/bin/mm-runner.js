#!/usr/bin/env -S node --max-semi-space-size=1
// The mm-runner command without a package manager in between, so SIGINT/SIGTERM reach
// the runner itself: the built runner (`pnpm build` writes dist/). Equivalent:
// node --max-semi-space-size=1 apps/mm-runner/dist/main.js (and dist/report.js for the
// report). The flag keeps the main thread's young generation small (see the README).
import { existsSync } from "node:fs";

const report = process.argv[2] === "report";
const entry = new URL(report ? "../dist/report.js" : "../dist/main.js", import.meta.url);
if (!existsSync(entry)) {
  // A fresh clone has no dist/ yet: say what to do instead of a module-not-found trace.
  process.stderr.write(
    "mm-runner: not built yet; run `pnpm build` first (or `pnpm --filter mm-runner start` to run from source)\n",
  );
  process.exit(1);
}
if (report) {
  // `mm-runner report --since 2026-11-30`: the ledger report instead of the runner.
  process.argv.splice(2, 1);
}
await import(entry.href);
