/**
 * Every setting of the runner, once: its config-file key, environment name(s), flag,
 * default and meaning. Parsing, validation messages, `--help` and the README table all
 * come from this list, so they cannot drift apart.
 */

export type SettingKind =
  | "address"
  | "boolean"
  | "brokers"
  | "fill-feed"
  | "kafka-topic"
  | "decimal-positive"
  | "decimal-non-negative"
  | "id"
  | "integer-attempts"
  | "integer-clients"
  | "host-list"
  | "integer-confirmations"
  | "integer-levels"
  | "integer-seed"
  | "log-format"
  | "log-level"
  | "metadata"
  | "milliseconds"
  | "metrics-address"
  | "path"
  | "price-feed"
  | "price-mode"
  | "price-type"
  | "requote-mode"
  | "seconds"
  | "sizes"
  | "sources"
  | "strategy"
  | "symbol"
  | "symbol-list"
  | "text"
  | "url"
  | "ws-url";

/** `runner`: one value for the whole process. `symbol`: may differ per symbol (config file `symbols:`). */
export type SettingScope = "runner" | "symbol";

export interface Setting {
  /** Key in the config file (camelCase), also the key of the resolved value. */
  readonly key: string;
  /** Environment variable; the seed's names are kept. */
  readonly env: string;
  /** Other environment names with the same meaning (the seed's `SPREAD_PERCENT`). */
  readonly aliases?: readonly string[];
  readonly kind: SettingKind;
  readonly scope: SettingScope;
  /** As the user would write it; absent means "not set" (the meaning says what happens then). */
  readonly default?: string;
  readonly meaning: string;
  /** Holds a secret: never logged, never printed back. */
  readonly secret?: boolean;
}

export const SETTINGS: readonly Setting[] = [
  {
    key: "matchingoGrpcAddr",
    env: "MATCHINGO_GRPC_ADDR",
    kind: "address",
    scope: "runner",
    meaning:
      "host:port of the Matchingo gRPC server. Not set: start the embedded venue on 127.0.0.1 (sandbox).",
  },
  {
    key: "matchingoTls",
    env: "MATCHINGO_TLS",
    kind: "boolean",
    scope: "runner",
    default: "false",
    meaning: "Use TLS for the gRPC connection.",
  },
  {
    key: "matchingoMetadata",
    env: "MATCHINGO_METADATA",
    kind: "metadata",
    scope: "runner",
    secret: true,
    meaning:
      "gRPC metadata sent with every call, `key=value,key2=value2` (e.g. a token). Never logged.",
  },
  {
    key: "matchingoDeadlineSeconds",
    env: "MATCHINGO_DEADLINE_SECONDS",
    kind: "seconds",
    scope: "runner",
    default: "5",
    meaning:
      "Time budget of one gRPC call to the venue, retries included. A CreateOrder that runs out of it has an unknown outcome: the order stays tracked and is cancelled on the next cycle.",
  },
  {
    key: "matchingoRetryAttempts",
    env: "MATCHINGO_RETRY_ATTEMPTS",
    kind: "integer-attempts",
    scope: "runner",
    default: "3",
    meaning:
      "Attempts of one gRPC call when the venue is unavailable (reads also on a timeout). 1 turns retries off, which closes the window in which a lost CreateOrder answer, a full fill and a retry place a second order.",
  },
  {
    key: "venueStartTimeoutSeconds",
    env: "VENUE_START_TIMEOUT_SECONDS",
    kind: "seconds",
    scope: "runner",
    default: "30",
    meaning:
      "At start, how long to keep trying a MATCHINGO_GRPC_ADDR that does not answer (one log line per attempt) before exiting 1 with its address. Once running, an outage is retried for as long as it lasts.",
  },
  {
    key: "marketSymbol",
    env: "MARKET_SYMBOL",
    kind: "symbol",
    scope: "runner",
    default: "BTC-USDT",
    meaning: "The symbol to quote, `BASE-QUOTE`; also the Matchingo book name.",
  },
  {
    key: "marketSymbols",
    env: "MARKET_SYMBOLS",
    kind: "symbol-list",
    scope: "runner",
    meaning:
      "Several symbols at once, comma separated (one worker thread each); replaces MARKET_SYMBOL.",
  },
  {
    key: "externalSymbol",
    env: "EXTERNAL_SYMBOL",
    kind: "text",
    scope: "symbol",
    meaning:
      "Binance's symbol when the derived one (BTC-USDT → BTCUSDT) is wrong. With several symbols: only in the config file, per symbol.",
  },
  {
    key: "marketMakerId",
    env: "MARKET_MAKER_ID",
    kind: "id",
    scope: "symbol",
    default: "mm-01",
    meaning:
      "This market maker's id: order ids, user_address, journal. With several symbols each gets `<id>-<SYMBOL>` unless set per symbol.",
  },
  {
    key: "numLevels",
    env: "NUM_LEVELS",
    kind: "integer-levels",
    scope: "symbol",
    default: "3",
    meaning: "Price levels on each side.",
  },
  {
    key: "baseSpreadPercent",
    env: "BASE_SPREAD_PERCENT",
    aliases: ["SPREAD_PERCENT"],
    kind: "decimal-positive",
    scope: "symbol",
    default: "0.1",
    meaning: "Spread of the innermost level, percent of the price (bid at P - P*s/200).",
  },
  {
    key: "priceStepPercent",
    env: "PRICE_STEP_PERCENT",
    kind: "decimal-non-negative",
    scope: "symbol",
    default: "0.05",
    meaning: "Distance between levels, percent of the price.",
  },
  {
    key: "orderSize",
    env: "ORDER_SIZE",
    kind: "sizes",
    scope: "symbol",
    default: "0.01",
    meaning:
      "Quantity of every order, or one per level innermost first (`0.01,0.02,0.04`, as many as NUM_LEVELS); each quantized down to QTY_STEP.",
  },
  {
    key: "orderSizeStep",
    env: "ORDER_SIZE_STEP",
    kind: "decimal-non-negative",
    scope: "symbol",
    meaning:
      "Added to the size at each level outward: level i gets ORDER_SIZE + (i − 1) × step (Hummingbot's order_level_amount). Not with a list or ORDER_SIZE_MULTIPLIER.",
  },
  {
    key: "orderSizeMultiplier",
    env: "ORDER_SIZE_MULTIPLIER",
    kind: "decimal-positive",
    scope: "symbol",
    meaning:
      "Each level's size is the previous one's times this: level i gets ORDER_SIZE × m^(i − 1). Not with a list or ORDER_SIZE_STEP.",
  },
  {
    key: "strategy",
    env: "STRATEGY",
    kind: "strategy",
    scope: "symbol",
    default: "layered",
    meaning:
      "`layered`: the seed's symmetric ladder around the price; `avellaneda-stoikov`: centre and spread from volatility, inventory and risk aversion (AS_*). Needs a restart to change.",
  },
  {
    key: "asGamma",
    env: "AS_GAMMA",
    kind: "decimal-positive",
    scope: "symbol",
    default: "0.1",
    meaning:
      "avellaneda-stoikov: risk aversion γ, per order size of inventory per price unit. Higher: the centre leans harder against the position.",
  },
  {
    key: "asKappa",
    env: "AS_KAPPA",
    kind: "decimal-positive",
    scope: "symbol",
    default: "1.5",
    meaning:
      "avellaneda-stoikov: order-book liquidity κ, per price unit; the spread's (2/γ)·ln(1 + γ/κ) term narrows as κ grows.",
  },
  {
    key: "asHorizonSeconds",
    env: "AS_HORIZON_SECONDS",
    kind: "decimal-positive",
    scope: "symbol",
    meaning:
      "avellaneda-stoikov: a finite horizon T, in back-to-back sessions of this many seconds (1 to 604800): T − t is the time left in the current one. Not set: infinite (T − t held at 1 s).",
  },
  {
    key: "volatilityWindowSeconds",
    env: "VOLATILITY_WINDOW_SECONDS",
    kind: "decimal-positive",
    scope: "symbol",
    default: "60",
    meaning:
      "avellaneda-stoikov: σ² is the realized variance per second of the prices streamed over this many seconds (1 to 86400).",
  },
  {
    key: "updateIntervalSeconds",
    env: "UPDATE_INTERVAL_SECONDS",
    kind: "seconds",
    scope: "symbol",
    default: "10",
    meaning: "Seconds between cycles (fractions allowed, e.g. 0.5).",
  },
  {
    key: "priceTick",
    env: "PRICE_TICK",
    kind: "decimal-positive",
    scope: "symbol",
    default: "0.001",
    meaning: "Price tick: bids round down, asks round up to it. A multiple of the venue's 0.001.",
  },
  {
    key: "qtyStep",
    env: "QTY_STEP",
    kind: "decimal-positive",
    scope: "symbol",
    default: "0.001",
    meaning: "Lot step of order sizes. A multiple of the venue's 0.001.",
  },
  {
    key: "requoteMode",
    env: "REQUOTE_MODE",
    kind: "requote-mode",
    scope: "symbol",
    default: "diff",
    meaning:
      "`diff`: replace only orders off their target; `replace-all`: the seed's cancel-all, place-all.",
  },
  {
    key: "refreshTolerancePercent",
    env: "REFRESH_TOLERANCE_PERCENT",
    kind: "decimal-non-negative",
    scope: "symbol",
    default: "0",
    meaning: "diff mode: an order within this percent of its target price stays.",
  },
  {
    key: "minRequoteIntervalMs",
    env: "MIN_REQUOTE_INTERVAL_MS",
    kind: "milliseconds",
    scope: "symbol",
    default: "100",
    meaning:
      "With a streaming price feed: at most one requote per this many ms; ticks in between coalesce into one on the newest price.",
  },
  {
    key: "maxPriceAgeSeconds",
    env: "MAX_PRICE_AGE_SECONDS",
    kind: "seconds",
    scope: "symbol",
    default: "30",
    meaning: "Without a good price for this long, quotes are pulled until one returns.",
  },
  {
    key: "maxPosition",
    env: "MAX_POSITION",
    kind: "decimal-positive",
    scope: "symbol",
    meaning:
      "Position limit, base units: no order rests that, filled with every other live order of its side, would take |position| past it. Not set: no limit.",
  },
  {
    key: "inventorySkewPercent",
    env: "INVENTORY_SKEW_PERCENT",
    kind: "decimal-non-negative",
    scope: "symbol",
    default: "0",
    meaning:
      "Moves the ladder's centre to P × (1 − skew%/100 × position/MAX_POSITION), clamped at the limit; needs MAX_POSITION. 0: off.",
  },
  {
    key: "makerFeeBps",
    env: "MAKER_FEE_BPS",
    kind: "decimal-non-negative",
    scope: "symbol",
    default: "0",
    meaning: "Maker fee in basis points of each fill's notional, subtracted from realized P&L.",
  },
  {
    key: "maxLoss",
    env: "MAX_LOSS",
    kind: "decimal-positive",
    scope: "symbol",
    meaning:
      "Quote units: when the symbol's realized + unrealized P&L reaches −MAX_LOSS its quotes are pulled until resumed. Not set: no limit.",
  },
  {
    key: "maxDrawdown",
    env: "MAX_DRAWDOWN",
    kind: "decimal-positive",
    scope: "symbol",
    meaning:
      "Quote units below the symbol's peak P&L since start at which its quotes are pulled until resumed. Not set: no limit.",
  },
  {
    key: "priceSources",
    env: "PRICE_SOURCES",
    kind: "sources",
    scope: "runner",
    default: "binance,coinbase,kraken",
    meaning: "Price sources in failover order: binance, coinbase, kraken, synthetic, replay.",
  },
  {
    key: "binanceUrl",
    env: "BINANCE_URL",
    aliases: ["PRICE_SOURCE_URL"],
    kind: "url",
    scope: "runner",
    default: "https://api.binance.com",
    meaning: "Base URL of Binance (the seed's PRICE_SOURCE_URL).",
  },
  {
    key: "coinbaseUrl",
    env: "COINBASE_URL",
    kind: "url",
    scope: "runner",
    default: "https://api.exchange.coinbase.com",
    meaning: "Base URL of Coinbase Exchange.",
  },
  {
    key: "krakenUrl",
    env: "KRAKEN_URL",
    kind: "url",
    scope: "runner",
    default: "https://api.kraken.com",
    meaning: "Base URL of Kraken.",
  },
  {
    key: "priceFeed",
    env: "PRICE_FEED",
    kind: "price-feed",
    scope: "runner",
    default: "stream",
    meaning:
      "`stream`: WebSockets, each falling back to its REST poll while down; `poll`: REST only (the seed). An exchange with its REST URL set but not its WS URL is polled.",
  },
  {
    key: "priceType",
    env: "PRICE_TYPE",
    kind: "price-type",
    scope: "runner",
    default: "mid",
    meaning:
      "Stream feed's reference price: `mid` of best bid and ask, or `last` trade. (`poll` keeps the REST tickers' last price.)",
  },
  {
    key: "priceMode",
    env: "PRICE_MODE",
    kind: "price-mode",
    scope: "runner",
    default: "failover",
    meaning:
      "Stream feed: `failover` takes the first usable source in PRICE_SOURCES order; `median` the median of every fresh source.",
  },
  {
    key: "maxSourceDeviationPercent",
    env: "MAX_SOURCE_DEVIATION_PERCENT",
    kind: "decimal-positive",
    scope: "runner",
    default: "1",
    meaning:
      "median mode: a source further than this from the median is left out (and logged). Both modes: two sources within this agree on a first price.",
  },
  {
    key: "streamStaleSeconds",
    env: "STREAM_STALE_SECONDS",
    kind: "seconds",
    scope: "runner",
    default: "5",
    meaning:
      "A stream with no data and no heartbeat for this long is dead: closed, reconnected, REST meanwhile.",
  },
  {
    key: "binanceWsUrl",
    env: "BINANCE_WS_URL",
    kind: "ws-url",
    scope: "runner",
    default: "wss://stream.binance.com/stream",
    meaning: "Binance combined-stream endpoint (`bookTicker`, live SUBSCRIBE).",
  },
  {
    key: "coinbaseWsUrl",
    env: "COINBASE_WS_URL",
    kind: "ws-url",
    scope: "runner",
    default: "wss://ws-feed.exchange.coinbase.com",
    meaning: "Coinbase Exchange feed (`ticker` + `heartbeat`).",
  },
  {
    key: "krakenWsUrl",
    env: "KRAKEN_WS_URL",
    kind: "ws-url",
    scope: "runner",
    default: "wss://ws.kraken.com/v2",
    meaning: "Kraken WebSocket v2 (`ticker`, `event_trigger: bbo`).",
  },
  {
    key: "maxJumpPercent",
    env: "MAX_JUMP_PERCENT",
    kind: "decimal-positive",
    scope: "runner",
    default: "5",
    meaning: "A price further than this from the last accepted one is held until confirmed.",
  },
  // A first price must earn trust (issue 22): these four settings stay together.
  {
    key: "firstPriceConfirmations",
    env: "FIRST_PRICE_CONFIRMATIONS",
    kind: "integer-confirmations",
    scope: "runner",
    default: "3",
    meaning:
      "A first price (at start, and after MAX_PRICE_AGE_SECONDS without one) is quoted on when two sources agree within MAX_SOURCE_DEVIATION_PERCENT, or when the one source answering held it (within that deviation) for this many rounds, at least a second apart. 1: a lone source's first price is taken at once.",
  },
  {
    key: "jumpAcceptSeconds",
    env: "JUMP_ACCEPT_SECONDS",
    kind: "seconds",
    scope: "runner",
    default: "60",
    meaning:
      "A jump beyond MAX_JUMP_PERCENT that no second source confirms is taken once every answering source has kept saying it this long (the guard never locks a symbol out). Meanwhile the symbol's quotes are pulled.",
  },
  {
    key: "priceMin",
    env: "PRICE_MIN",
    kind: "decimal-positive",
    scope: "symbol",
    meaning:
      "Sanity band: a reference price below this is never quoted on (quotes pulled, the reason in logs, /status, /readyz). Not set: no lower bound.",
  },
  {
    key: "priceMax",
    env: "PRICE_MAX",
    kind: "decimal-positive",
    scope: "symbol",
    meaning:
      "Sanity band: a reference price above this is never quoted on. Not set: no upper bound (prices with more than 16 digits before the point are always refused).",
  },
  {
    key: "syntheticSeed",
    env: "SYNTHETIC_SEED",
    kind: "integer-seed",
    scope: "runner",
    default: "1",
    meaning: "Seed of the synthetic random walk (same seed, same prices).",
  },
  {
    key: "sandboxTakers",
    env: "SANDBOX_TAKERS",
    kind: "boolean",
    scope: "runner",
    default: "true",
    meaning:
      "Sandbox only (no MATCHINGO_GRPC_ADDR): a small seeded flow of taker orders (IOC, from `sandbox-taker`, every ~2.5 s a symbol) trades against the ladder around the price, and `sandbox-maker` rests two orders a side beyond it, so fills, position, P&L and a book show. `false`/`0`: off. Never used with a real venue.",
  },
  {
    key: "syntheticStartPrice",
    env: "SYNTHETIC_START_PRICE",
    kind: "decimal-positive",
    scope: "symbol",
    meaning:
      "Start of the synthetic random walk. Not set: a plausible price for well-known bases (BTC 50000, ETH 3000), else 100.",
  },
  {
    key: "replayFile",
    env: "REPLAY_FILE",
    kind: "path",
    scope: "runner",
    meaning:
      "Tape of the `replay` source: CSV `time,price[,symbol]` (.csv) or JSON lines `{time, price, symbol?}`; replayed in a loop.",
  },
  {
    key: "fillFeed",
    env: "FILL_FEED",
    kind: "fill-feed",
    scope: "runner",
    meaning:
      "How fills are learned: `kafka`, the venue's trade stream (Matchingo's DoneMessages on KAFKA_TOPIC), with polls as a slow reconciliation and the fallback while the broker is down; `poll`: GetOrder polls only. Not set: `kafka` when KAFKA_BROKERS is set, else `poll` (the sandbox: the embedded venue's own stream).",
  },
  {
    key: "kafkaBrokers",
    env: "KAFKA_BROKERS",
    kind: "brokers",
    scope: "runner",
    meaning:
      "Comma list of host:port of the Kafka brokers the venue publishes its trades to (its `kafka.broker_addr`). Not set: no trade stream.",
  },
  {
    key: "kafkaTopic",
    env: "KAFKA_TOPIC",
    kind: "kafka-topic",
    scope: "runner",
    default: "test-msg-queue",
    meaning: "The venue's trade topic (its `kafka.topic`; Matchingo's default).",
  },
  {
    key: "kafkaClientId",
    env: "KAFKA_CLIENT_ID",
    kind: "id",
    scope: "runner",
    default: "matchingo-mm",
    meaning: "Client id the runner gives Kafka (it shows in the broker's logs and quotas).",
  },
  {
    key: "createOrderBook",
    env: "CREATE_ORDER_BOOK",
    kind: "boolean",
    scope: "runner",
    default: "true",
    meaning: "Create the book on the venue when it does not exist (else: refuse to start).",
  },
  {
    key: "stateDir",
    env: "STATE_DIR",
    kind: "path",
    scope: "runner",
    meaning:
      "Folder of the order journal, lock and ledger. Keep it across restarts. Not set: `$XDG_STATE_HOME/matchingo-mm`, else `~/.local/state/matchingo-mm`, whatever the working directory (shown at start and by `--print-config`).",
  },
  {
    key: "resume",
    env: "RESUME",
    kind: "boolean",
    scope: "runner",
    default: "false",
    meaning:
      "At start, resume the symbols the loss kill switch halted (kept in the ledger across restarts).",
  },
  {
    key: "metricsAddr",
    env: "METRICS_ADDR",
    kind: "metrics-address",
    scope: "runner",
    default: "127.0.0.1:9464",
    meaning: "host:port of /healthz, /readyz, /metrics, /status; `off` disables it.",
  },
  {
    key: "controlToken",
    env: "CONTROL_TOKEN",
    kind: "text",
    scope: "runner",
    secret: true,
    meaning:
      "Bearer token of the ops server's control API (/control: pause, resume, cancel-all, live parameters). Not set: no control API. Prefer the environment to the flag (a flag shows in `ps`). At least 16 characters when METRICS_ADDR is not a loopback address (shorter: refused; on loopback: a warning).",
  },
  {
    key: "opsAllowedHosts",
    env: "OPS_ALLOWED_HOSTS",
    kind: "host-list",
    scope: "runner",
    meaning:
      "Host names the ops server answers to, besides IP addresses and `localhost` (e.g. `mm-1.internal,mm-1`). Any other `Host` header gets 421, so a web page that rebinds its DNS name to this address cannot read /status or /metrics.",
  },
  {
    key: "opsMaxEventClients",
    env: "OPS_MAX_EVENT_CLIENTS",
    kind: "integer-clients",
    scope: "runner",
    default: "32",
    meaning: "Live pages (/events streams) open at once; one more gets 503 until one closes.",
  },
  {
    key: "logLevel",
    env: "LOG_LEVEL",
    kind: "log-level",
    scope: "runner",
    default: "info",
    meaning: "trace, debug, info, warn, error, fatal or silent.",
  },
  {
    key: "logFormat",
    env: "LOG_FORMAT",
    kind: "log-format",
    scope: "runner",
    meaning: "`json` or `pretty`. Not set: pretty on a terminal, JSON lines otherwise.",
  },
  {
    key: "shutdownTimeoutSeconds",
    env: "SHUTDOWN_TIMEOUT_SECONDS",
    kind: "seconds",
    scope: "runner",
    default: "10",
    meaning: "On SIGINT/SIGTERM: time to cancel every order and exit. A second signal forces exit.",
  },
];

/** `NUM_LEVELS` → `--num-levels`. */
export function flagOf(setting: Setting): string {
  return `--${setting.env.toLowerCase().replaceAll("_", "-")}`;
}

export const SETTINGS_BY_KEY: ReadonlyMap<string, Setting> = new Map(
  SETTINGS.map((setting) => [setting.key, setting]),
);
