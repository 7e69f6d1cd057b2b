import type { StrategyName } from "@matchingo-mm/core";
import type { LogLevel, SourceName } from "./schemas.ts";

export type RequoteMode = "diff" | "replace-all";

/** Where a value in effect came from; `control`: changed while running (control API). */
export type ValueSource = "default" | "file" | "env" | "flag" | "control";

/** Everything one worker needs to quote one symbol. Prices and sizes stay decimal strings. */
export interface SymbolConfig {
  /** Canonical `BASE-QUOTE`. */
  readonly symbol: string;
  /** The Matchingo book (the symbol unless overridden in the config file). */
  readonly book: string;
  readonly marketMakerId: string;
  /** Binance's symbol, when the user overrides the derived one. */
  readonly externalSymbol?: string;
  readonly numLevels: number;
  readonly baseSpreadPercent: string;
  readonly priceStepPercent: string;
  /** One size, or one per level as a comma list (`0.01,0.02,0.04`). */
  readonly orderSize: string;
  /** ORDER_SIZE_STEP; absent: not this form. */
  readonly orderSizeStep?: string;
  /** ORDER_SIZE_MULTIPLIER; absent: not this form. */
  readonly orderSizeMultiplier?: string;
  readonly strategy: StrategyName;
  readonly asGamma: string;
  readonly asKappa: string;
  /** Seconds; absent: infinite horizon. */
  readonly asHorizonSeconds?: string;
  readonly volatilityWindowSeconds: string;
  readonly updateIntervalMs: number;
  readonly priceTick: string;
  readonly qtyStep: string;
  readonly requoteMode: RequoteMode;
  readonly refreshTolerancePercent: string;
  /** With a feed that pushes ticks: at most one requote per this many ms. */
  readonly minRequoteIntervalMs: number;
  readonly maxPriceAgeMs: number;
  readonly syntheticStartPrice: string;
  /** MAX_POSITION, base units; absent: no limit. */
  readonly maxPosition?: string;
  /** INVENTORY_SKEW_PERCENT; "0" = off. */
  readonly inventorySkewPercent: string;
  /** MAKER_FEE_BPS. */
  readonly makerFeeBps: string;
  /** MAX_LOSS, quote units; absent: none. */
  readonly maxLoss?: string;
  /** MAX_DRAWDOWN, quote units from the peak P&L; absent: none. */
  readonly maxDrawdown?: string;
  /** PRICE_MIN / PRICE_MAX: the sanity band of the reference price; absent: unbounded. */
  readonly priceMin?: string;
  readonly priceMax?: string;
  /** Setting key → the name its value was given under (`--num-levels`, `NUM_LEVELS (default)`). */
  readonly origins: Readonly<Record<string, string>>;
  /** Setting key → the layer its value came from. */
  readonly sources: Readonly<Record<string, ValueSource>>;
}

export interface RunnerConfig {
  /** MARKET_MAKER_ID: names the journal folder and the lock. */
  readonly runnerId: string;
  /** Not set: the embedded venue. */
  readonly matchingoGrpcAddr?: string;
  readonly matchingoTls: boolean;
  /** Secret: never logged. */
  readonly matchingoMetadata: Readonly<Record<string, string>>;
  /** Budget of one gRPC call (retries included), in ms. */
  readonly matchingoDeadlineMs: number;
  /** Attempts of one gRPC call on transient failures; 1 means no retry. */
  readonly matchingoRetryAttempts: number;
  /** VENUE_START_TIMEOUT_SECONDS, in ms: how long a start waits for a venue that does not answer. */
  readonly venueStartTimeoutMs: number;
  readonly symbols: readonly SymbolConfig[];
  readonly priceSources: readonly SourceName[];
  readonly binanceUrl: string;
  readonly coinbaseUrl: string;
  readonly krakenUrl: string;
  readonly maxJumpPercent: string;
  /** FIRST_PRICE_CONFIRMATIONS: rounds a lone source's first price must hold. */
  readonly firstPriceConfirmations: number;
  /** JUMP_ACCEPT_SECONDS, in ms. */
  readonly jumpAcceptMs: number;
  /** `stream`: WebSockets with REST fallback; `poll`: REST only (the seed's behaviour). */
  readonly priceFeed: "stream" | "poll";
  /** Stream feed's reference price: mid of best bid/ask, or last trade. */
  readonly priceType: "mid" | "last";
  readonly priceMode: "failover" | "median";
  readonly maxSourceDeviationPercent: string;
  /** Silence (no data, no heartbeat) after which a stream is taken as dead, in ms. */
  readonly streamStaleMs: number;
  readonly binanceWsUrl: string;
  readonly coinbaseWsUrl: string;
  readonly krakenWsUrl: string;
  readonly syntheticSeed: number;
  /** SANDBOX_TAKERS: the embedded venue's taker flow (the sandbox only). */
  readonly sandboxTakers: boolean;
  readonly replayFile?: string;
  /**
   * How fills are learned: `kafka`, the venue's trade stream (polls reconcile and stand
   * in while it is down); `poll`, GetOrder only. The sandbox always has the embedded
   * venue's stream (in process, or through Kafka when brokers are set).
   */
  readonly fillFeed: "kafka" | "poll";
  readonly kafkaBrokers?: readonly string[];
  readonly kafkaTopic: string;
  readonly kafkaClientId: string;
  readonly createOrderBook: boolean;
  /** Absolute. */
  readonly stateDir: string;
  /** RESUME: lift the kill switch's halts (kept in the ledger) at start. */
  readonly resume: boolean;
  /** `off` or host:port. */
  readonly metricsAddr: string;
  /** CONTROL_TOKEN. Secret: never logged. Absent: the ops server has no control API. */
  readonly controlToken?: string;
  /** OPS_ALLOWED_HOSTS: Host header names the ops server answers to (besides IPs and localhost). */
  readonly opsAllowedHosts: readonly string[];
  /** OPS_MAX_EVENT_CLIENTS: /events streams open at once. */
  readonly opsMaxEventClients: number;
  readonly logLevel: LogLevel;
  /** Not set: pretty on a TTY, JSON otherwise. */
  readonly logFormat?: "json" | "pretty";
  readonly shutdownTimeoutMs: number;
  /** Where each setting's value came from, for `--print-config` and the start log. */
  readonly origins: Readonly<Record<string, string>>;
}
