/**
 * @matchingo-mm/testkit: what the tests and the bench share (Node only: `node:http`,
 * `node:child_process`, the `ws` package). Fake exchanges on 127.0.0.1, the runner as a
 * child process, and the seed's worked example. It depends on no package of ours, so any of
 * them may use it in its tests without a circle.
 */

export {
  type BinanceTicker,
  type BinanceTickerOptions,
  startBinanceTicker,
} from "./exchanges/binance-ticker.ts";
export {
  type ExchangeRequest,
  type Fault,
  type FaultyExchanges,
  GARBAGE,
  type Garbage,
  POISON,
  type RateWindow,
  startFaultyExchanges,
} from "./exchanges/faulty-exchanges.ts";
export {
  EXCHANGE_NAMES,
  type ExchangeKit,
  type ExchangeKitOptions,
  type ExchangeName,
  type KitQuote,
  type RestFault,
  type StreamControls,
  startExchangeKit,
} from "./exchanges/kit.ts";
export { closedPortUrl } from "./exchanges/ports.ts";
export { closedPort, type PriceServer, startPriceServer } from "./exchanges/price-server.ts";
export {
  killAllRunners,
  type LogLine,
  RUNNER_DIR,
  type RunnerProcess,
  type StartHow,
  startRunnerProcess,
  tempDir,
  waitFor,
} from "./runner-process.ts";
export {
  SEED_CYCLES,
  SEED_ENV,
  SEED_LADDER,
  SEED_PRICES,
  type SeedLadder,
  seedCycle,
} from "./seed-example.ts";
