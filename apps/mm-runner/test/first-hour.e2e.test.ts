import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { closedPort, killAllRunners, startRunnerProcess, tempDir } from "@matchingo-mm/testkit";
import { afterAll, expect, it } from "vitest";

afterAll(() => killAllRunners());

const APP_DIR = new URL("..", import.meta.url).pathname;

it("bin/mm-runner.js before `pnpm build` says to run it, in one line, and exits 1", () => {
  // A copy of the bin in a package folder with no dist/, as in a fresh clone.
  const fresh = tempDir("mm-fresh-clone-");
  mkdirSync(join(fresh, "bin"));
  copyFileSync(join(APP_DIR, "bin", "mm-runner.js"), join(fresh, "bin", "mm-runner.js"));
  for (const args of [[], ["report"]]) {
    const result = spawnSync(process.execPath, [join(fresh, "bin", "mm-runner.js"), ...args], {
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "mm-runner: not built yet; run `pnpm build` first (or `pnpm --filter mm-runner start` to run from source)\n",
    );
  }
});

it("an unreachable venue at start: one line per attempt, then exit 1 naming the address; a mistyped variable is warned about", async () => {
  const address = `127.0.0.1:${await closedPort()}`;
  const stateDir = tempDir();
  const runner = startRunnerProcess({
    MATCHINGO_GRPC_ADDR: address,
    VENUE_START_TIMEOUT_SECONDS: "3",
    PRICE_SOURCES: "synthetic",
    STATE_DIR: stateDir,
    METRICS_ADDR: "off",
    NUM_LEVLES: "5",
  });
  const { code } = await runner.exited;
  expect(code).toBe(1);
  // The start line says where the state (journal, ledger) is kept.
  const starting = runner.logs.find((line) => line.msg.startsWith("mm-runner starting"));
  expect(starting?.msg).toContain(`state (journal, ledger) in ${stateDir}`);
  const typo = runner.logs.find((line) => line.msg.startsWith("NUM_LEVLES:"));
  expect(typo?.msg).toMatch(/^NUM_LEVLES: did you mean NUM_LEVELS\?/);
  expect(typo?.level).toBe(40);
  const attempts = runner.logs.filter((line) =>
    /^venue at .* not reachable \(attempt/.test(line.msg),
  );
  expect(attempts.length).toBeGreaterThanOrEqual(2);
  expect(attempts[0]?.msg).toContain(address);
  const last = runner.logs.at(-1);
  expect(last?.level).toBe(50);
  expect(last?.msg).toMatch(
    new RegExp(
      `^could not start: the Matchingo venue at ${address} could not be reached in \\d+ s`,
    ),
  );
  // Nothing started quoting.
  expect(runner.logs.some((line) => /^quoting /.test(line.msg))).toBe(false);
});

it("one default state folder whatever the working directory, shown by --print-config: $XDG_STATE_HOME/matchingo-mm", () => {
  const xdg = tempDir("mm-xdg-");
  for (const cwd of [APP_DIR, tempDir("mm-elsewhere-")]) {
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", join(APP_DIR, "src", "main.ts"), "--print-config"],
      {
        cwd: APP_DIR,
        env: { PATH: process.env.PATH ?? "", XDG_STATE_HOME: xdg, INIT_CWD: cwd },
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).stateDir).toBe(join(xdg, "matchingo-mm"));
  }
});
