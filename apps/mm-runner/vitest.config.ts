import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds dist/ once before any test: some tests start the built runner as production does.
    globalSetup: ["test/support/build.ts"],
    // End-to-end tests start the runner as a child process and wait on the venue's records.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
