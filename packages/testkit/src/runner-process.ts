import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** apps/mm-runner: the runner's `src/main.ts` and built `dist/main.js` are relative to it. */
export const RUNNER_DIR = fileURLToPath(new URL("../../../apps/mm-runner/", import.meta.url));

/** One JSON log line of the runner (pino); a line that is not JSON comes as `{level: 0, msg}`. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly time?: string;
  readonly [field: string]: unknown;
}

export interface RunnerProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  readonly logs: LogLine[];
  stderr(): string;
  stdout(): string;
  /** Resolves with the first line that matches, or rejects at the deadline or on exit. */
  waitForLog(
    match: (line: LogLine) => boolean,
    timeoutMs?: number,
    what?: string,
  ): Promise<LogLine>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

export interface StartHow {
  /**
   * `source` (default): `node --import tsx src/main.ts`, as in development. `built`:
   * `node dist/main.js`, as production runs it (mm-runner's test globalSetup builds dist/,
   * and `pnpm bench` builds it first).
   */
  readonly command?: "source" | "built";
  /** Node flags before the entry point (the bench: `--max-semi-space-size=1`, profiling). */
  readonly nodeArgs?: readonly string[];
  /** Test-only hooks loaded with `--import` in the process and each worker thread. */
  readonly preload?: readonly string[];
  /** Run as this user (a root test run checking what an unprivileged runner sees). */
  readonly user?: { readonly uid: number; readonly gid: number };
  /** A file that gets the runner's stdout too (the bench's BENCH_RUNNER_LOG). */
  readonly logFile?: string;
  /**
   * Which log lines `logs` keeps (default every one). A long run (the soak) keeps only those
   * it waits for, and then `stdout()` keeps only its last 64 KiB, so the caller's memory
   * does not grow with the runner's log.
   */
  readonly keep?: (line: LogLine) => boolean;
}

const KEPT_STDOUT = 64 * 1024;

const running = new Set<ChildProcess>();

/** A fresh temp folder (STATE_DIR and the like). */
export function tempDir(prefix = "mm-runner-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Starts the runner as a user would, with only the given environment (plus PATH and HOME)
 * and JSON logs on stdout.
 */
export function startRunnerProcess(
  env: Record<string, string>,
  args: readonly string[] = [],
  how: StartHow = {},
): RunnerProcess {
  const preload = (how.preload ?? []).flatMap((path) => ["--import", path]);
  const entry = how.command === "built" ? ["dist/main.js"] : ["--import", "tsx", "src/main.ts"];
  const child = spawn(process.execPath, [...(how.nodeArgs ?? []), ...preload, ...entry, ...args], {
    cwd: RUNNER_DIR,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      // A run that sets no STATE_DIR must not write into the real ~/.local/state.
      XDG_STATE_HOME: tempDir("mm-xdg-"),
      LOG_FORMAT: "json",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    ...(how.user ? { uid: how.user.uid, gid: how.user.gid } : {}),
  });
  if (child.pid === undefined) throw new Error("could not start the runner");
  running.add(child);
  const logFile = how.logFile ? createWriteStream(how.logFile) : undefined;
  const logs: LogLine[] = [];
  let out = "";
  let err = "";
  let partial = "";
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    logFile?.write(chunk);
    out += chunk;
    if (how.keep && out.length > 2 * KEPT_STDOUT) out = out.slice(-KEPT_STDOUT);
    partial += chunk;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      let parsed: LogLine;
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        parsed = { level: 0, msg: line };
      }
      if (how.keep?.(parsed) ?? true) logs.push(parsed);
    }
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => {
      running.delete(child);
      logFile?.end();
      resolve({ code, signal });
      for (const wake of waiters) wake();
    });
  });
  const tail = () => `\n${err.slice(-4000)}\n${out.slice(-4000)}`;

  return {
    pid: child.pid,
    child,
    logs,
    stderr: () => err,
    stdout: () => out,
    exited,
    kill: (signal) => child.kill(signal),
    waitForLog(match, timeoutMs = 20_000, what = "the log line") {
      return new Promise<LogLine>((resolve, reject) => {
        const check = () => {
          const found = logs.find(match);
          if (found) {
            finish();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            reject(new Error(`the runner exited before ${what} came${tail()}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${what} did not come within ${timeoutMs} ms${tail()}`));
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
