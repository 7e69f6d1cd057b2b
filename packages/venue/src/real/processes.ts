/**
 * Child processes that must not outlive us: each runs in a process group of its own (so a
 * JVM's or a server's own children go with it), stopped by signalling the whole group, and
 * killed when this Node process exits with them still running: at once on a normal exit (a
 * test file that forgot to close), and by a watchdog when we die of a signal (Ctrl-C on
 * `pnpm test`, a SIGKILL), which no handler of ours would see. Plus the small helpers the
 * real venue needs around them.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname } from "node:path";
import { delay } from "@matchingo-mm/core";

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL, no waiting.
  process.once("exit", () => {
    for (const child of running) killGroup(child, "SIGKILL");
  });
}

/**
 * A shell in a process group of its own that polls, once a second, whether we are alive; when
 * we are gone it kills the child's group and removes `orphanedDirs` (a broker's data folder),
 * and it leaves quietly once that group is gone while we live (a stop; the data may be needed
 * again). Being in no terminal's foreground group, a Ctrl-C that kills us does not kill it.
 */
function watchdog(child: ChildProcess, orphanedDirs: readonly string[]): void {
  if (child.pid === undefined) return;
  const script = [
    'while kill -0 "$0" 2>/dev/null && kill -0 "-$1" 2>/dev/null; do sleep 1; done',
    'kill -0 "$0" 2>/dev/null && exit 0',
    'kill -9 "-$1" 2>/dev/null',
    "shift",
    'sleep 1; rm -rf "$@"',
  ].join("\n");
  const dog = spawn("sh", ["-c", script, String(process.pid), String(child.pid), ...orphanedDirs], {
    stdio: "ignore",
    detached: true,
  });
  dog.on("error", () => {}); // No sh: the exit hook still covers a normal exit.
  dog.unref();
}

export interface Managed {
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Whether it has exited. */
  exited(): boolean;
  /** SIGTERM to its group, SIGKILL after `graceMs`; resolves once it exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The tail of the output kept in memory (the server logs every request, ~400 bytes each):
 * about 40 000 requests. Whoever needs every line takes `onLine`.
 */
const OUTPUT_LIMIT = 32 * 1024 * 1024;

export function spawnManaged(
  command: string,
  args: readonly string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    onLine?: (line: string) => void;
    /** Folders to remove should we die with the child still running. */
    orphanedDirs?: readonly string[];
  } = {},
): Managed {
  installExitHook();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  watchdog(child, options.orphanedDirs ?? []);
  let output = "";
  // One partial line per stream: stdout and stderr chunks interleave.
  const reader = (chunk: string, partial: { text: string }) => {
    output += chunk;
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT / 2);
    if (options.onLine) {
      const lines = (partial.text + chunk).split("\n");
      partial.text = lines.pop() ?? "";
      for (const line of lines) options.onLine(line);
    }
  };
  const outPartial = { text: "" };
  const errPartial = { text: "" };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => reader(chunk, outPartial));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => reader(chunk, errPartial));
  let done = false;
  const exit = new Promise<void>((resolve) => {
    const finish = () => {
      done = true;
      running.delete(child);
      resolve();
    };
    child.once("exit", finish);
    child.once("error", finish);
  });
  let stopping: Promise<void> | undefined;
  return {
    child,
    output: () => output,
    exited: () => done || child.exitCode !== null || child.signalCode !== null,
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (!done) {
          killGroup(child, "SIGTERM");
          const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
          await exit;
          clearTimeout(timer);
        }
        // What the group leader left behind (none expected): no stragglers.
        killGroup(child, "SIGKILL");
      })();
      return stopping;
    },
  };
}

/** Runs a command to completion; rejects with its output on a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 15 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
        killSignal: "SIGKILL",
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `${command} ${args.join(" ")} failed:\n${`${stdout}${stderr}`.slice(-6000)}`,
              { cause: error },
            ),
          );
        } else resolve(`${stdout}${stderr}`);
      },
    );
  });
}

/** A port nobody listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `work` while holding a lock file (its content: our pid), so that test files running in
 * parallel build a cache entry once instead of each burning the 2 cores on the same build.
 * A lock whose owner died is taken over.
 */
export async function withLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(lockFile, "utf8"));
      } catch {
        continue; // Released between our two calls.
      }
      if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
        rmSync(lockFile, { force: true });
        continue;
      }
      await delay(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
