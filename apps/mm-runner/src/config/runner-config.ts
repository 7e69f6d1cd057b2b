import { resolve as resolvePath } from "node:path";
import { optional } from "./optional.ts";
import type { SettingValues } from "./settings.ts";
import { defaultStateDir } from "./state-dir.ts";
import type { RunnerConfig, SymbolConfig } from "./types.ts";

export interface RunnerConfigInput {
  /** Every runner-wide setting, each passed its schema. */
  readonly values: SettingValues;
  readonly symbols: readonly SymbolConfig[];
  readonly origins: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (REPLAY_FILE, STATE_DIR) are relative to it. */
  readonly cwd: string;
}

/** The runner's configuration from its settings' values: seconds to ms, paths absolute. */
export function runnerConfigOf({
  values,
  symbols,
  origins,
  env,
  cwd,
}: RunnerConfigInput): RunnerConfig {
  return {
    runnerId: values.marketMakerId,
    ...optional("matchingoGrpcAddr", values.matchingoGrpcAddr),
    matchingoTls: values.matchingoTls,
    matchingoMetadata: values.matchingoMetadata ?? {},
    matchingoDeadlineMs: values.matchingoDeadlineSeconds,
    matchingoRetryAttempts: values.matchingoRetryAttempts,
    venueStartTimeoutMs: values.venueStartTimeoutSeconds,
    symbols,
    priceSources: values.priceSources,
    binanceUrl: values.binanceUrl,
    coinbaseUrl: values.coinbaseUrl,
    krakenUrl: values.krakenUrl,
    maxJumpPercent: values.maxJumpPercent,
    firstPriceConfirmations: values.firstPriceConfirmations,
    jumpAcceptMs: values.jumpAcceptSeconds,
    priceFeed: values.priceFeed,
    priceType: values.priceType,
    priceMode: values.priceMode,
    maxSourceDeviationPercent: values.maxSourceDeviationPercent,
    streamStaleMs: values.streamStaleSeconds,
    binanceWsUrl: values.binanceWsUrl,
    coinbaseWsUrl: values.coinbaseWsUrl,
    krakenWsUrl: values.krakenWsUrl,
    syntheticSeed: values.syntheticSeed,
    sandboxTakers: values.sandboxTakers,
    ...optional(
      "replayFile",
      values.replayFile === undefined ? undefined : resolvePath(cwd, values.replayFile),
    ),
    fillFeed: values.fillFeed ?? (values.kafkaBrokers === undefined ? "poll" : "kafka"),
    ...optional("kafkaBrokers", values.kafkaBrokers),
    kafkaTopic: values.kafkaTopic,
    kafkaClientId: values.kafkaClientId,
    createOrderBook: values.createOrderBook,
    stateDir:
      values.stateDir === undefined ? defaultStateDir(env) : resolvePath(cwd, values.stateDir),
    resume: values.resume,
    metricsAddr: values.metricsAddr.toLowerCase() === "off" ? "off" : values.metricsAddr,
    ...optional("controlToken", values.controlToken),
    opsAllowedHosts: values.opsAllowedHosts ?? [],
    opsMaxEventClients: values.opsMaxEventClients,
    logLevel: values.logLevel,
    ...optional("logFormat", values.logFormat),
    shutdownTimeoutMs: values.shutdownTimeoutSeconds,
    origins,
  };
}
