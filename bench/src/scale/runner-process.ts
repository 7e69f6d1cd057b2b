import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));

/** One JSON log line of the runner (pino). */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly time?: string;
  readonly [field: string]: unknown;
}

export interface RunnerProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly logs: LogLine[];
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first line that matches, or rejects at the deadline / on exit. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine>;
}

/**
 * The real runner as production starts it: the built
 * `node --max-semi-space-size=1 apps/mm-runner/dist/main.js`
 * (`pnpm bench` builds it first: turbo's bench task depends on mm-runner's build),
 * configured by environment only, JSON logs on stdout.
 */
export interface RunnerProcessOptions {
  /**
   * Which log lines `logs` keeps (default every one): a long run keeps only those it waits
   * for, so the bench's own memory does not grow with the runner's log.
   */
  readonly keep?: (line: LogLine) => boolean;
  /** Node flags before the script, after `--max-semi-space-size=1` and BENCH_RUNNER_NODE_ARGS. */
  readonly nodeArgs?: readonly string[];
}

export function startRunnerProcess(
  env: Record<string, string>,
  options: RunnerProcessOptions = {},
): RunnerProcess {
  // BENCH_RUNNER_NODE_ARGS: extra Node flags for the runner, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`
  // to profile it (its workers inherit them); not for figures meant to be compared.
  const nodeArgs = (process.env.BENCH_RUNNER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(
    process.execPath,
    [
      "--max-semi-space-size=1",
      ...nodeArgs,
      ...(options.nodeArgs ?? []),
      "apps/mm-runner/dist/main.js",
    ],
    {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        LOG_FORMAT: "json",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  if (child.pid === undefined) throw new Error("could not start the runner");
  const logs: LogLine[] = [];
  let partial = "";
  let err = "";
  const waiters = new Set<() => void>();
  // BENCH_RUNNER_LOG: a file that gets the runner's log lines too (its start, cycle by cycle).
  const logFile = process.env.BENCH_RUNNER_LOG
    ? createWriteStream(process.env.BENCH_RUNNER_LOG)
    : undefined;
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    logFile?.write(chunk);
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
      if (options.keep?.(parsed) ?? true) logs.push(parsed);
    }
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => {
      resolve({ code, signal });
      for (const wake of waiters) wake();
    });
  });
  return {
    pid: child.pid,
    child,
    logs,
    stderr: () => err,
    exited,
    waitFor(match, timeoutMs, what) {
      return new Promise<LogLine>((resolve, reject) => {
        const check = () => {
          const found = logs.find(match);
          if (found) {
            finish();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            reject(new Error(`the runner exited before ${what}\n${err.slice(-2000)}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no ${what} within ${timeoutMs} ms\n${err.slice(-2000)}`));
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
