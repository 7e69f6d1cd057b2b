import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RUNNER_DIR, startRunnerProcess, tempDir, waitFor } from "../src/index.ts";

describe("startRunnerProcess", () => {
  it("finds the runner's entry point", () => {
    expect(existsSync(join(RUNNER_DIR, "src", "main.ts"))).toBe(true);
  });

  it("collects the JSON log lines and says why a wait failed when the runner exits", async () => {
    // A bad setting: the runner logs what is wrong and exits non-zero before any venue.
    const runner = startRunnerProcess({ STATE_DIR: tempDir(), NUM_LEVELS: "lots" });
    const wait = runner.waitForLog((line) => line.msg === "never logged", 60_000, "a quote");
    await expect(wait).rejects.toThrow(/the runner exited before a quote came/);
    const { code } = await runner.exited;
    expect(code).not.toBe(0);
    expect(runner.stdout() + runner.stderr()).toMatch(/NUM_LEVELS/);
  });
});

describe("waitFor", () => {
  it("answers the probe's first value that is not undefined or false", async () => {
    let calls = 0;
    expect(await waitFor(() => (++calls === 3 ? "ready" : false), 5_000)).toBe("ready");
    expect(calls).toBe(3);
  });

  it("names what it waited for when time runs out", async () => {
    await expect(waitFor(() => undefined, 100, "the moon")).rejects.toThrow(
      "timed out waiting for the moon",
    );
  });
});
