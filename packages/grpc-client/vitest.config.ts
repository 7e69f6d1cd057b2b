import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Property tests are CPU-bound and CI shares 2 cores with other suites: the default 5 s
    // is about the machine, not the code. Hangs still fail, just later.
    testTimeout: 30_000,
  },
});
