import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests start the runner as a child process and wait on the venue's records.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
