import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface RunnerProcess {
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  readonly logs: LogLine[];
  stderr(): string;
  stdout(): string;
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

const running = new Set<ChildProcess>();

/** A temp folder for STATE_DIR. */
export function tempDir(prefix = "mm-runner-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface StartHow {
  /**
   * `source` (default): `node --import tsx src/main.ts`, as in development. `built`:
   * `node dist/main.js`, as production runs it (the suite's globalSetup builds dist/).
   */
  readonly command?: "source" | "built";
  /** Test-only hooks loaded with `--import` in the process and each worker thread. */
  readonly preload?: readonly string[];
  /** Run as this user (a root test run checking what an unprivileged runner sees). */
  readonly user?: { readonly uid: number; readonly gid: number };
}

/** The test-only hook that crashes a worker (see support/crash-worker.mjs). */
export const CRASH_WORKER_HOOK = fileURLToPath(
  new URL("../support/crash-worker.mjs", import.meta.url),
);

/**
 * Starts the runner as a user would, with only the given environment (plus PATH and HOME)
 * and JSON logs on stdout.
 */
export function startRunnerProcess(
  env: Record<string, string>,
  args: string[] = [],
  how: StartHow = {},
): RunnerProcess {
  const preload = (how.preload ?? []).flatMap((path) => ["--import", path]);
  const command =
    how.command === "built"
      ? [...preload, "dist/main.js"]
      : [...preload, "--import", "tsx", "src/main.ts"];
  const child = spawn(process.execPath, [...command, ...args], {
    cwd: APP_DIR,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      // A test that sets no STATE_DIR must not write into the real ~/.local/state.
      XDG_STATE_HOME: tempDir("mm-xdg-"),
      LOG_FORMAT: "json",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    ...(how.user ? { uid: how.user.uid, gid: how.user.gid } : {}),
  });
  running.add(child);
  const logs: LogLine[] = [];
  let out = "";
  let err = "";
  let partial = "";
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    partial += chunk;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ level: 0, msg: line });
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
      for (const wake of waiters) wake();
    });
  });

  return {
    child,
    logs,
    stderr: () => err,
    stdout: () => out,
    exited,
    kill: (signal) => child.kill(signal),
    waitForLog(match, timeoutMs = 20_000) {
      return new Promise<LogLine>((resolve, reject) => {
        const check = () => {
          const found = logs.find(match);
          if (found) {
            finish();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            reject(
              new Error(`the runner exited before the log line came\n${err}\n${out.slice(-4000)}`),
            );
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no such log line within ${timeoutMs} ms\n${err}\n${out.slice(-4000)}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Kills whatever a failed test left running. */
export function killAllRunners(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

/** Polls `probe` until it returns a value other than undefined/false. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Crash `symbol`'s worker thread after `cycles` cycles, once (the restarted worker quotes
 * on): the environment and the start flags of the test-only hook.
 */
export function crashWorkerAfter(
  symbol: string,
  cycles: number,
): { env: Record<string, string>; preload: string[] } {
  return {
    env: { MM_TEST_CRASH_WORKER: `${symbol}:${cycles}`, MM_TEST_CRASH_DIR: tempDir("mm-crash-") },
    preload: [CRASH_WORKER_HOOK],
  };
}
