#!/usr/bin/env node
// The mm-runner command without a package manager in between, so SIGINT/SIGTERM reach
// the runner itself: registers tsx (the source is TypeScript, there is no build step),
// then starts the CLI. Equivalent: node --import tsx apps/mm-runner/src/main.ts
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
