import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real servers and child processes on a machine shared with other suites.
    testTimeout: 30_000,
  },
});
