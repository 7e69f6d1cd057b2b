import {
  type LogLine,
  type RunnerProcess,
  startRunnerProcess as startRunner,
} from "@matchingo-mm/testkit";

export type { LogLine, RunnerProcess } from "@matchingo-mm/testkit";

export interface RunnerProcessOptions {
  /**
   * Which log lines `logs` keeps (default every one): a long run keeps only those it waits
   * for, so the bench's own memory does not grow with the runner's log.
   */
  readonly keep?: (line: LogLine) => boolean;
  /** Node flags before the script, after `--max-semi-space-size=1` and BENCH_RUNNER_NODE_ARGS. */
  readonly nodeArgs?: readonly string[];
}

/**
 * The real runner as production starts it: the built
 * `node --max-semi-space-size=1 apps/mm-runner/dist/main.js`
 * (`pnpm bench` builds it first: turbo's bench task depends on mm-runner's build),
 * configured by environment only, JSON logs on stdout.
 */
export function startRunnerProcess(
  env: Record<string, string>,
  options: RunnerProcessOptions = {},
): RunnerProcess {
  // BENCH_RUNNER_NODE_ARGS: extra Node flags for the runner, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`
  // to profile it (its workers inherit them); not for figures meant to be compared.
  const nodeArgs = (process.env.BENCH_RUNNER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  return startRunner(env, [], {
    command: "built",
    nodeArgs: ["--max-semi-space-size=1", ...nodeArgs, ...(options.nodeArgs ?? [])],
    // BENCH_RUNNER_LOG: a file that gets the runner's log lines too (its start, cycle by cycle).
    ...(process.env.BENCH_RUNNER_LOG ? { logFile: process.env.BENCH_RUNNER_LOG } : {}),
    ...(options.keep ? { keep: options.keep } : {}),
  });
}
