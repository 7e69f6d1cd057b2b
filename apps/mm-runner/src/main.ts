/**
 * The mm-runner command. In production the built `node apps/mm-runner/dist/main.js` (or
 * `bin/mm-runner.js`, which imports it), so signals reach this process directly, not a
 * package manager in between; in development `pnpm --filter mm-runner start` (tsx).
 */
import { readFileSync } from "node:fs";
import { helpText } from "./config/help.ts";
import { describeProblem, type Problem } from "./config/raw.ts";
import { resolveConfig } from "./config/resolve.ts";
import { userCwd } from "./config/state-dir.ts";
import type { RunnerConfig } from "./config/types.ts";
import { runnerStateDir } from "./journal/files.ts";
import { LockedError } from "./journal/lock.ts";
import { StateDirError } from "./journal/state-dir-error.ts";
import { LedgerError } from "./ledger/ledger.ts";
import { createLogger } from "./log/logger.ts";
import { type Runner, StartupConfigError, startRunner } from "./runner.ts";
import { VenueUnreachableError } from "./venue-reach.ts";

// Relative paths are the user's: under `pnpm --filter mm-runner start` the process runs in
// apps/mm-runner, and INIT_CWD says where the command was typed.
const resolveInput = {
  argv: process.argv.slice(2),
  env: process.env,
  cwd: userCwd(process.env, process.cwd()),
};
const resolved = resolveConfig(resolveInput);

if (resolved.commandLine.help) {
  process.stdout.write(`${helpText()}\n`);
  process.exit(0);
}
if (resolved.commandLine.version) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`mm-runner ${pkg.version}\n`);
  process.exit(0);
}
if (!resolved.config) refuse(resolved.problems);
const config: RunnerConfig = resolved.config;
if (resolved.commandLine.printConfig) {
  process.stdout.write(`${JSON.stringify(redacted(config), null, 2)}\n`);
  process.exit(0);
}

const logger = createLogger({
  level: config.logLevel,
  ...(config.logFormat ? { format: config.logFormat } : {}),
});
for (const warning of resolved.warnings) logger.warn(warning);
logger.info(
  {
    runnerId: config.runnerId,
    symbols: config.symbols.map((symbol) => symbol.symbol),
    venue: config.matchingoGrpcAddr ?? "embedded",
    sources: config.priceSources,
    stateDir: config.stateDir,
  },
  `mm-runner starting: ${config.runnerId} quoting ${config.symbols.map((symbol) => symbol.symbol).join(", ")} on ${config.matchingoGrpcAddr ?? "the embedded venue"}, prices from ${config.priceSources.join(" → ")}; state (journal, ledger) in ${config.stateDir}`,
);

const startAbort = new AbortController();
let runner: Runner | undefined;
let signals = 0;

const onSignal = (signal: NodeJS.Signals) => {
  signals++;
  if (signals > 1) {
    logger.error(
      `second ${signal}: exiting now; orders that may remain are in the journal and are cancelled at the next start`,
    );
    process.exit(130);
  }
  // Whatever happens, the process ends within the timeout.
  setTimeout(() => {
    logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
    process.exit(1);
  }, config.shutdownTimeoutMs).unref();
  if (runner) void stop(runner, signal);
  else startAbort.abort(new Error(signal));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
// Re-reads the config file and applies what may change live (see control/reload.ts).
process.on("SIGHUP", () =>
  runner
    ? void runner.control.reload(resolveConfig(resolveInput))
    : logger.warn("SIGHUP while starting: ignored; send it again once quoting"),
);

process.on("uncaughtException", (error) => {
  logger.fatal({ err: error }, "uncaught exception; shutting down");
  if (runner) void stop(runner, "uncaught exception", "crash");
  else process.exit(1);
});
process.on("unhandledRejection", (reason) => {
  logger.error({ err: reason }, "unhandled promise rejection");
});

try {
  runner = await startRunner(config, logger, { signal: startAbort.signal });
} catch (error) {
  if (error instanceof StartupConfigError) refuse(error.problems);
  if (startAbort.signal.aborted) {
    logger.info("stopped during start; nothing was placed");
    process.exit(0);
  }
  // What the operator must fix is in the one line; the cause stays in the log's fields.
  if (
    error instanceof LockedError ||
    error instanceof StateDirError ||
    error instanceof LedgerError ||
    error instanceof VenueUnreachableError
  ) {
    logger.error({ err: error.cause }, `could not start: ${error.message}`);
    process.exit(1);
  }
  logger.fatal({ err: error }, "could not start");
  process.exit(1);
}

if (startAbort.signal.aborted)
  void stop(runner, String(startAbort.signal.reason?.message ?? "signal"));
void runner.stateLost.then((message) => {
  const dir = runnerStateDir(config.stateDir, config.runnerId);
  logger.error(
    { stateDir: dir },
    `state folder ${dir} is no longer this run's: ${message}. Stopping: no new order; every order this run placed is cancelled (known from memory), then exit 1. Its journal and ledger went with the folder`,
  );
  setTimeout(() => {
    logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
    process.exit(1);
  }, config.shutdownTimeoutMs).unref();
  void stop(runner!, "state folder lost", "state");
});
void runner.fatal.then((problems) => {
  for (const problem of problems) logger.error(describeProblem(problem));
  process.stderr.write(formatProblems(problems));
  void stop(runner!, "invalid configuration at the first price", "config");
});

/**
 * Every exit code of the command is decided here: 0 when the venue holds none of our
 * orders, 1 when some could not be cancelled (or on a crash, or when the state folder was
 * lost while running), 2 for a configuration that
 * cannot work (found only at the first price).
 */
async function stop(
  active: Runner,
  reason: string,
  cause: "signal" | "crash" | "config" | "state" = "signal",
): Promise<void> {
  const report = await active.shutdown(reason);
  if (cause === "crash" || cause === "state" || report.failed.length > 0) process.exit(1);
  process.exit(cause === "config" ? 2 : 0);
}

function refuse(problems: readonly Problem[]): never {
  process.stderr.write(formatProblems(problems));
  process.exit(2);
}

function formatProblems(problems: readonly Problem[]): string {
  const list = problems.map((problem) => `  - ${describeProblem(problem)}`).join("\n");
  return `mm-runner: invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was sent to the venue:\n${list}\nSee --help for every setting.\n`;
}

function redacted(value: RunnerConfig): object {
  return {
    ...value,
    matchingoMetadata: Object.fromEntries(
      Object.keys(value.matchingoMetadata).map((key) => [key, "[redacted]"]),
    ),
    ...(value.controlToken === undefined ? {} : { controlToken: "[redacted]" }),
  };
}
