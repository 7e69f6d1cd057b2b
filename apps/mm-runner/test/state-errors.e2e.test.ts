/**
 * Issue 22, defects 6 and 8: what the runner says about an unusable state folder, a
 * corrupt ledger and unreadable journal lines, in one line naming the file or folder.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { killAllRunners, startRunnerProcess, tempDir } from "@matchingo-mm/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { journalPath, runnerStateDir } from "../src/journal/files.ts";
import { ledgerPath } from "../src/ledger/path.ts";
import { runReportCommand } from "../src/ledger/report-command.ts";

afterAll(() => killAllRunners());

const ID = "mm-state-errors";
/** The sandbox: embedded venue, synthetic prices, nothing outside 127.0.0.1. */
const SANDBOX = {
  PRICE_SOURCES: "synthetic",
  MARKET_MAKER_ID: ID,
  METRICS_ADDR: "off",
  UPDATE_INTERVAL_SECONDS: "0.3",
};
/** Root ignores permissions: the runner then runs as nobody to see a read-only folder. */
const UNPRIVILEGED = process.getuid?.() === 0 ? { user: { uid: 65534, gid: 65534 } } : {};

describe("start errors say which file or folder is unusable and why (defect 8)", () => {
  it("a read-only STATE_DIR: exit 1, one line naming the folder that cannot be written", async () => {
    const stateDir = join(tempDir("mm-ro-"), "state");
    mkdirSync(stateDir);
    chmodSync(join(stateDir, ".."), 0o755);
    chmodSync(stateDir, 0o555);
    const runner = startRunnerProcess({ ...SANDBOX, STATE_DIR: stateDir }, [], {
      command: "built",
      ...UNPRIVILEGED,
    });
    const exit = await runner.exited;
    expect(exit.code).toBe(1);
    const refusal = runner.logs.filter((line) => /could not start/.test(line.msg));
    expect(refusal.map((line) => line.msg)).toEqual([
      `could not start: ${runnerStateDir(stateDir, ID)}: cannot create the state folder (STATE_DIR): ${stateDir} is not writable (EACCES)`,
    ]);
    expect(runner.stdout()).not.toMatch(/unable to open database file|ENOENT/);
  });

  it("a corrupt ledger: exit 1, one line naming the ledger file and what is wrong", async () => {
    const stateDir = tempDir("mm-ledger-");
    const ledger = ledgerPath(stateDir, ID);
    mkdirSync(runnerStateDir(stateDir, ID), { recursive: true });
    writeFileSync(ledger, "this is not a SQLite database, it is a text file ".repeat(100));
    const runner = startRunnerProcess({ ...SANDBOX, STATE_DIR: stateDir }, [], {
      command: "built",
    });
    const exit = await runner.exited;
    expect(exit.code).toBe(1);
    const refusal = runner.logs.filter((line) => /could not start/.test(line.msg));
    expect(refusal).toHaveLength(1);
    expect(refusal[0]!.msg).toBe(
      `could not start: cannot open the ledger ${ledger}: file is not a database (SQLITE_NOTADB); it is damaged or not a ledger: move it away to start an empty one (its fills, position and halts are then forgotten)`,
    );
    expect(runner.stderr()).not.toMatch(/\n\s+at /);
  });

  it("`report` on a corrupt ledger prints one line naming it, no stack trace, exit 1", () => {
    const stateDir = tempDir("mm-report-");
    const ledger = ledgerPath(stateDir, ID);
    mkdirSync(runnerStateDir(stateDir, ID), { recursive: true });
    writeFileSync(ledger, "garbage ".repeat(1000));
    let stderr = "";
    let stdout = "";
    const code = runReportCommand({
      argv: [],
      env: { STATE_DIR: stateDir, MARKET_MAKER_ID: ID },
      cwd: "/tmp",
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        new RegExp(`^mm-runner report: cannot open the ledger ${ledger}: file is not a database`),
      ),
    ]);
  });
});

it("unreadable journal lines are reported at start with their count and file (defect 6)", async () => {
  const stateDir = tempDir("mm-journal-bad-");
  const dir = runnerStateDir(stateDir, ID);
  mkdirSync(dir, { recursive: true });
  const journal = journalPath(dir, "BTC-USDT");
  writeFileSync(
    journal,
    [
      '{"op":"open","book":"BTC-USDT","id":"mm-state-errors-buy-1-1","side":"buy","price":"1","qty":"1","at":1}',
      "\u0000\u0000garbage from a bad disk",
      '{"op":"open","book":"BTC-USDT","id":"mm-state-errors-sell-1-1",',
      '{"op":"closed","book":"BTC-USDT","id":"mm-state-errors-buy-1-1"}',
      "",
    ].join("\n"),
  );
  const runner = startRunnerProcess({ ...SANDBOX, STATE_DIR: stateDir }, [], { command: "built" });
  const warning = await runner.waitForLog((line) => /could not be read/.test(line.msg));
  expect(warning).toMatchObject({ level: 40, journal, unreadableLines: 2 });
  expect(warning.msg).toMatch(new RegExp(`^journal ${journal}: 2 lines could not be read`));
  await runner.waitForLog((line) => line.cycle === 1);
  runner.kill("SIGTERM");
  expect((await runner.exited).code).toBe(0);
});
