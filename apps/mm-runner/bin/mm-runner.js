#!/usr/bin/env node
// The mm-runner command without a package manager in between, so SIGINT/SIGTERM reach
// the runner itself: the built runner (`pnpm build` writes dist/). Equivalent:
// node apps/mm-runner/dist/main.js
await import("../dist/main.js");
