import type { SettingOutput, SettingValues, SymbolSettingKey } from "./settings.ts";

export type RequoteMode = SettingOutput<"requoteMode">;

/** Where a value in effect came from; `control`: changed while running (control API). */
export type ValueSource = "default" | "file" | "env" | "flag" | "control";

/** Per-symbol settings that resolve under another name (seconds → ms) or always to a value. */
type RenamedSymbolKey = "updateIntervalSeconds" | "maxPriceAgeSeconds" | "syntheticStartPrice";

/**
 * Everything one worker needs to quote one symbol. Prices and sizes stay decimal strings.
 * Every setting's type is its schema's output (settings/); a setting without a default
 * (MAX_POSITION, ORDER_SIZE_STEP...) is absent when not set.
 */
export interface SymbolConfig
  extends Pick<SettingValues, Exclude<SymbolSettingKey, RenamedSymbolKey>> {
  /** Canonical `BASE-QUOTE`. */
  readonly symbol: string;
  /** The Matchingo book (the symbol unless overridden in the config file). */
  readonly book: string;
  /** UPDATE_INTERVAL_SECONDS, in ms. */
  readonly updateIntervalMs: SettingValues["updateIntervalSeconds"];
  /** MAX_PRICE_AGE_SECONDS, in ms. */
  readonly maxPriceAgeMs: SettingValues["maxPriceAgeSeconds"];
  /** SYNTHETIC_START_PRICE, or a plausible price for the symbol's base. */
  readonly syntheticStartPrice: string;
  /** Setting key → the name its value was given under (`--num-levels`, `NUM_LEVELS (default)`). */
  readonly origins: Readonly<Record<string, string>>;
  /** Setting key → the layer its value came from. */
  readonly sources: Readonly<Record<string, ValueSource>>;
}

/** Runner settings that resolve as they are given (same key, same type). */
type SameRunnerKey =
  | "matchingoGrpcAddr"
  | "matchingoTls"
  | "matchingoRetryAttempts"
  | "priceSources"
  | "binanceUrl"
  | "coinbaseUrl"
  | "krakenUrl"
  | "maxJumpPercent"
  | "firstPriceConfirmations"
  | "priceFeed"
  | "priceType"
  | "priceMode"
  | "maxSourceDeviationPercent"
  | "binanceWsUrl"
  | "coinbaseWsUrl"
  | "krakenWsUrl"
  | "syntheticSeed"
  | "sandboxTakers"
  | "replayFile"
  | "kafkaBrokers"
  | "kafkaTopic"
  | "kafkaClientId"
  | "createOrderBook"
  | "resume"
  | "metricsAddr"
  | "controlToken"
  | "opsMaxEventClients"
  | "logLevel"
  | "logFormat";

/**
 * The whole runner's configuration; each setting typed by its schema's output. Seconds
 * resolve to ms (`matchingoDeadlineMs`); REPLAY_FILE and STATE_DIR are absolute; CONTROL_TOKEN
 * and MATCHINGO_METADATA are secrets, never logged.
 */
export interface RunnerConfig extends Pick<SettingValues, SameRunnerKey> {
  /** MARKET_MAKER_ID: names the journal folder and the lock. */
  readonly runnerId: SettingValues["marketMakerId"];
  readonly matchingoMetadata: NonNullable<SettingValues["matchingoMetadata"]>;
  /** MATCHINGO_DEADLINE_SECONDS: budget of one gRPC call (retries included), in ms. */
  readonly matchingoDeadlineMs: SettingValues["matchingoDeadlineSeconds"];
  /** VENUE_START_TIMEOUT_SECONDS, in ms: how long a start waits for a venue that does not answer. */
  readonly venueStartTimeoutMs: SettingValues["venueStartTimeoutSeconds"];
  readonly symbols: readonly SymbolConfig[];
  /** JUMP_ACCEPT_SECONDS, in ms. */
  readonly jumpAcceptMs: SettingValues["jumpAcceptSeconds"];
  /** STREAM_STALE_SECONDS, in ms. */
  readonly streamStaleMs: SettingValues["streamStaleSeconds"];
  /** FILL_FEED; not set: `kafka` when brokers are set, else `poll`. */
  readonly fillFeed: NonNullable<SettingValues["fillFeed"]>;
  /** Absolute. */
  readonly stateDir: string;
  readonly opsAllowedHosts: NonNullable<SettingValues["opsAllowedHosts"]>;
  /** SHUTDOWN_TIMEOUT_SECONDS, in ms. */
  readonly shutdownTimeoutMs: SettingValues["shutdownTimeoutSeconds"];
  /** Where each setting's value came from, for `--print-config` and the start log. */
  readonly origins: Readonly<Record<string, string>>;
}
