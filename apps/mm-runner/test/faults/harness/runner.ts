import {
  type LogLine,
  type RunnerProcess,
  type StartHow,
  startRunnerProcess,
  tempDir,
} from "@matchingo-mm/testkit";
import { onTestFinished } from "vitest";
import type { RunnerStatus } from "../../../src/ops/index.ts";
import { LADDER_ENV } from "./ladder.ts";

export interface FaultRunnerOptions {
  /** MARKET_MAKER_ID: order id prefix and user_address. */
  readonly id: string;
  /** host:port of the venue. */
  readonly venue: string;
  /** Base URL of the fake exchanges (all three). */
  readonly prices: string;
  /** Default: a new temp folder. Pass the same one to restart "the same" runner. */
  readonly stateDir?: string;
  /** Default BTC-USDT. */
  readonly symbols?: readonly string[];
  /** Serve /status on a free port (read it with `status()`). */
  readonly ops?: boolean;
  /**
   * How to start it: built (default: what production runs, and far less CPU per process
   * than tsx when a test runs several runners at once) or from source; test-only
   * `--import` hooks.
   */
  readonly how?: StartHow;
  /** Anything else (wins over the defaults). */
  readonly env?: Record<string, string>;
  /** The test context's `onTestFinished` (concurrent tests must pass theirs). */
  readonly onTestFinished?: (cleanup: () => void) => void;
}

export interface FaultRunner extends RunnerProcess {
  readonly id: string;
  readonly stateDir: string;
  /** Log lines whose `msg` matches, optionally of one symbol. */
  lines(msg: RegExp, symbol?: string): LogLine[];
  /** Cycle lines (one per cycle), optionally of one symbol. */
  cycles(symbol?: string): LogLine[];
  /** `/status` of the runner's ops endpoint (needs `ops: true`). */
  status(): Promise<RunnerStatus>;
  /** The process exited and its output has been read to the end. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal and waits until the process has exited and its output is read. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Intervals short enough for tests, the seed's ladder, JSON logs, no ops endpoint. */
export const FAST_ENV: Record<string, string> = {
  ...LADDER_ENV,
  UPDATE_INTERVAL_SECONDS: "0.3",
  SHUTDOWN_TIMEOUT_SECONDS: "5",
  METRICS_ADDR: "off",
};

/**
 * The runner as a child process (`node dist/main.js`), killed with SIGKILL when
 * the test ends if it is still running.
 */
export function startFaultRunner(options: FaultRunnerOptions): FaultRunner {
  const stateDir = options.stateDir ?? tempDir("mm-faults-");
  const symbols = options.symbols ?? ["BTC-USDT"];
  const child = startRunnerProcess(
    {
      ...FAST_ENV,
      MATCHINGO_GRPC_ADDR: options.venue,
      BINANCE_URL: options.prices,
      COINBASE_URL: options.prices,
      KRAKEN_URL: options.prices,
      MARKET_MAKER_ID: options.id,
      STATE_DIR: stateDir,
      ...(symbols.length === 1
        ? { MARKET_SYMBOL: symbols[0]! }
        : { MARKET_SYMBOLS: symbols.join(",") }),
      ...(options.ops ? { METRICS_ADDR: "127.0.0.1:0" } : {}),
      ...options.env,
    },
    [],
    { command: "built", ...options.how },
  );
  (options.onTestFinished ?? onTestFinished)(() => child.kill("SIGKILL"));
  // "exit" can come before the last lines of stdout have been read; "close" does not.
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.child.once("close", (code, signal) => resolve({ code, signal }));
  });
  let ops: Promise<string> | undefined;
  const ofSymbol = (line: LogLine, symbol?: string) => !symbol || line.symbol === symbol;
  return {
    ...child,
    id: options.id,
    stateDir,
    closed,
    lines: (msg, symbol) =>
      child.logs.filter((line) => msg.test(String(line.msg)) && ofSymbol(line, symbol)),
    cycles: (symbol) =>
      child.logs.filter((line) => typeof line.cycle === "number" && ofSymbol(line, symbol)),
    async status() {
      ops ??= child
        .waitForLog((line) => typeof line.ops === "string", 20_000)
        .then((line) => line.ops as string);
      const response = await fetch(`http://${await ops}/status`);
      return (await response.json()) as RunnerStatus;
    },
    async stop(signal = "SIGTERM") {
      child.kill(signal);
      return closed;
    },
  };
}
