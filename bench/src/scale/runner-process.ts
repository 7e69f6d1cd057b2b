import { type RunnerProcess, startRunnerProcess as startRunner } from "@matchingo-mm/testkit";

export type { LogLine, RunnerProcess } from "@matchingo-mm/testkit";

/**
 * The real runner as production starts it: the built
 * `node --max-semi-space-size=1 apps/mm-runner/dist/main.js`
 * (`pnpm bench` builds it first: turbo's bench task depends on mm-runner's build),
 * configured by environment only, JSON logs on stdout.
 */
export function startRunnerProcess(env: Record<string, string>): RunnerProcess {
  // BENCH_RUNNER_NODE_ARGS: extra Node flags for the runner, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`
  // to profile it (its workers inherit them); not for figures meant to be compared.
  const nodeArgs = (process.env.BENCH_RUNNER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  return startRunner(env, [], {
    command: "built",
    nodeArgs: ["--max-semi-space-size=1", ...nodeArgs],
    // BENCH_RUNNER_LOG: a file that gets the runner's log lines too (its start, cycle by cycle).
    ...(process.env.BENCH_RUNNER_LOG ? { logFile: process.env.BENCH_RUNNER_LOG } : {}),
  });
}
