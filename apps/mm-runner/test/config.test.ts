import { mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkLadderAtPrice } from "../src/config/ladder-check.ts";
import { describeProblem } from "../src/config/raw.ts";
import { resolveConfig } from "../src/config/resolve.ts";
import { defaultStateDir, userCwd } from "../src/config/state-dir.ts";

const cwd = mkdtempSync(join(tmpdir(), "mm-config-"));

function resolve(env: Record<string, string> = {}, argv: string[] = []) {
  return resolveConfig({ argv, env, cwd });
}

function messages(env: Record<string, string> = {}, argv: string[] = []): string {
  return resolve(env, argv).problems.map(describeProblem).join("\n");
}

describe("defaults", () => {
  it("are the seed's worked example", () => {
    const { config, problems } = resolve();
    expect(problems).toEqual([]);
    expect(config?.runnerId).toBe("mm-01");
    expect(config?.matchingoGrpcAddr).toBeUndefined();
    expect(config?.priceSources).toEqual(["binance", "coinbase", "kraken"]);
    expect(config?.binanceUrl).toBe("https://api.binance.com");
    expect(config?.stateDir).toBe(join(homedir(), ".local", "state", "matchingo-mm"));
    expect(config?.sandboxTakers).toBe(true);
    expect(config?.metricsAddr).toBe("127.0.0.1:9464");
    expect(config?.shutdownTimeoutMs).toBe(10_000);
    expect(config?.createOrderBook).toBe(true);
    expect(config?.symbols).toHaveLength(1);
    expect(config?.symbols[0]).toMatchObject({
      symbol: "BTC-USDT",
      book: "BTC-USDT",
      marketMakerId: "mm-01",
      numLevels: 3,
      baseSpreadPercent: "0.1",
      priceStepPercent: "0.05",
      orderSize: "0.01",
      updateIntervalMs: 10_000,
      priceTick: "0.001",
      qtyStep: "0.001",
      requoteMode: "diff",
      refreshTolerancePercent: "0",
    });
  });
});

describe("the state folder", () => {
  it("is one folder whatever the working directory: $XDG_STATE_HOME/matchingo-mm, else ~/.local/state/matchingo-mm", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "mm-elsewhere-"));
    const at = (env: Record<string, string>, from: string) =>
      resolveConfig({ argv: [], env, cwd: from }).config?.stateDir;
    expect(at({ XDG_STATE_HOME: "/var/state" }, cwd)).toBe("/var/state/matchingo-mm");
    expect(at({ XDG_STATE_HOME: "/var/state" }, elsewhere)).toBe("/var/state/matchingo-mm");
    expect(at({ HOME: "/home/ada" }, elsewhere)).toBe("/home/ada/.local/state/matchingo-mm");
    // A relative XDG_STATE_HOME is invalid by the spec: ignored.
    expect(defaultStateDir({ XDG_STATE_HOME: "state", HOME: "/home/ada" })).toBe(
      "/home/ada/.local/state/matchingo-mm",
    );
    // STATE_DIR, when set, is taken relative to the working directory.
    expect(at({ STATE_DIR: "here", XDG_STATE_HOME: "/var/state" }, elsewhere)).toBe(
      join(elsewhere, "here"),
    );
  });

  it("relative paths are the user's: INIT_CWD (set by pnpm/npm scripts) beats the package folder", () => {
    const user = mkdtempSync(join(tmpdir(), "mm-user-"));
    expect(userCwd({ INIT_CWD: user }, "/repo/apps/mm-runner")).toBe(user);
    expect(userCwd({}, "/repo/apps/mm-runner")).toBe("/repo/apps/mm-runner");
    expect(userCwd({ INIT_CWD: join(user, "gone") }, "/repo")).toBe("/repo");
    expect(userCwd({ INIT_CWD: "relative" }, "/repo")).toBe("/repo");
  });
});

describe("a mistyped environment variable", () => {
  it("is warned about with the closest known name; other programs' variables are not", () => {
    const { warnings, config } = resolve({
      NUM_LEVLES: "5",
      MATCHINGO_GRPC_ADRR: "venue:50051",
      LOGLEVEL: "debug",
      MATCHINGO_TOKEN: "x",
      PATH: "/usr/bin",
      HOME: "/home/ada",
      NODE_OPTIONS: "--max-old-space-size=100",
      npm_config_user_agent: "pnpm",
      GITHUB_ACTIONS: "true",
      USER_NAME: "ada",
      MM_TEST_CRASH_WORKER: "BTC-USDT:3",
      MATCHINGO_SERVER_BIN: "/usr/local/bin/matchingo",
      NUM_LEVELS: "4",
    });
    expect(warnings).toEqual([
      "LOGLEVEL: did you mean LOG_LEVEL? (not a setting of mm-runner, so it is ignored; --help lists every setting)",
      "MATCHINGO_GRPC_ADRR: did you mean MATCHINGO_GRPC_ADDR? (not a setting of mm-runner, so it is ignored; --help lists every setting)",
      expect.stringMatching(/^MATCHINGO_TOKEN: did you mean MATCHINGO_\w+\?/),
      "NUM_LEVLES: did you mean NUM_LEVELS? (not a setting of mm-runner, so it is ignored; --help lists every setting)",
    ]);
    // Ignored, as the warning says: the known name decides.
    expect(config?.symbols[0]?.numLevels).toBe(4);
  });
});

describe("whole numbers", () => {
  it("a negative or fractional level count is told what is wanted", () => {
    expect(messages({ NUM_LEVELS: "-3" })).toBe(
      'NUM_LEVELS="-3": must be a positive whole number (1 to 100)',
    );
    expect(messages({ NUM_LEVELS: "2.5" })).toBe(
      'NUM_LEVELS="2.5": must be a positive whole number (1 to 100)',
    );
  });
});

describe("SANDBOX_TAKERS", () => {
  it("is on by default and off with 0 or false", () => {
    expect(resolve({ SANDBOX_TAKERS: "0" }).config?.sandboxTakers).toBe(false);
    expect(resolve({ SANDBOX_TAKERS: "false" }).config?.sandboxTakers).toBe(false);
    expect(messages({ SANDBOX_TAKERS: "maybe" })).toMatch(/^SANDBOX_TAKERS="maybe": /);
  });
});

describe("precedence", () => {
  it("flags beat environment beats file beats defaults", () => {
    const file = join(cwd, "precedence.yaml");
    writeFileSync(file, "numLevels: 7\norderSize: 0.20\nupdateIntervalSeconds: 2\n");
    const { config, problems } = resolve({ MM_CONFIG: file, NUM_LEVELS: "5", ORDER_SIZE: "0.05" }, [
      "--num-levels",
      "4",
    ]);
    expect(problems).toEqual([]);
    expect(config?.symbols[0]?.numLevels).toBe(4);
    expect(config?.symbols[0]?.orderSize).toBe("0.05");
    expect(config?.symbols[0]?.updateIntervalMs).toBe(2000);
    expect(config?.symbols[0]?.origins.numLevels).toBe("--num-levels");
  });

  it("keeps the digits a YAML file wrote, never a float", () => {
    const file = join(cwd, "digits.yaml");
    writeFileSync(file, "orderSize: 0.010\nbaseSpreadPercent: 0.10\n");
    const { config } = resolve({}, ["--config", file]);
    expect(config?.symbols[0]?.orderSize).toBe("0.010");
    expect(config?.symbols[0]?.baseSpreadPercent).toBe("0.10");
  });

  it("reads JSON files too", () => {
    const file = join(cwd, "config.json");
    writeFileSync(file, JSON.stringify({ marketSymbol: "ETH-USDT", numLevels: 2 }));
    const { config, problems } = resolve({}, [`--config=${file}`]);
    expect(problems).toEqual([]);
    expect(config?.symbols[0]).toMatchObject({ symbol: "ETH-USDT", numLevels: 2 });
  });

  it("accepts the seed's SPREAD_PERCENT and PRICE_SOURCE_URL aliases, and their flags", () => {
    expect(resolve({ SPREAD_PERCENT: "0.2" }).config?.symbols[0]?.baseSpreadPercent).toBe("0.2");
    expect(resolve({ PRICE_SOURCE_URL: "http://127.0.0.1:1" }).config?.binanceUrl).toBe(
      "http://127.0.0.1:1",
    );
    expect(resolve({}, ["--spread-percent", "0.3"]).config?.symbols[0]?.baseSpreadPercent).toBe(
      "0.3",
    );
  });

  it("refuses an alias that contradicts its canonical name", () => {
    const text = messages({ SPREAD_PERCENT: "0.2", BASE_SPREAD_PERCENT: "0.3" });
    expect(text).toContain("SPREAD_PERCENT");
    expect(text).toContain("conflicts with BASE_SPREAD_PERCENT");
  });

  it("ignores the -- that package managers pass on", () => {
    const { config, problems } = resolve({}, ["--", "--num-levels", "5"]);
    expect(problems).toEqual([]);
    expect(config?.symbols[0]?.numLevels).toBe(5);
  });

  it("gives every venue call a deadline: 5 s by default, MATCHINGO_DEADLINE_SECONDS to change it", () => {
    expect(resolve().config?.matchingoDeadlineMs).toBe(5000);
    expect(resolve({ MATCHINGO_DEADLINE_SECONDS: "0.3" }).config?.matchingoDeadlineMs).toBe(300);
    expect(resolve({}, ["--matchingo-deadline-seconds", "2"]).config?.matchingoDeadlineMs).toBe(
      2000,
    );
    const text = messages({ MATCHINGO_DEADLINE_SECONDS: "0" });
    expect(text).toContain("MATCHINGO_DEADLINE_SECONDS");
    expect(text).toContain("0.05 to 86400");
  });

  it("retries a venue call 3 times by default; MATCHINGO_RETRY_ATTEMPTS=1 turns retries off", () => {
    expect(resolve().config?.matchingoRetryAttempts).toBe(3);
    expect(resolve({ MATCHINGO_RETRY_ATTEMPTS: "1" }).config?.matchingoRetryAttempts).toBe(1);
    expect(resolve({}, ["--matchingo-retry-attempts", "5"]).config?.matchingoRetryAttempts).toBe(5);
    const text = messages({ MATCHINGO_RETRY_ATTEMPTS: "0" });
    expect(text).toContain("MATCHINGO_RETRY_ATTEMPTS");
    expect(text).toContain("must be at least 1");
  });

  it("allows fractions of a second and boolean flags", () => {
    const { config } = resolve({ UPDATE_INTERVAL_SECONDS: "0.5" }, ["--no-create-order-book"]);
    expect(config?.symbols[0]?.updateIntervalMs).toBe(500);
    expect(config?.createOrderBook).toBe(false);
    expect(resolve({}, ["--create-order-book", "false"]).config?.createOrderBook).toBe(false);
  });
});

describe("several symbols", () => {
  it("gives each symbol its own book and market-maker id, with per-symbol file overrides", () => {
    const file = join(cwd, "symbols.yaml");
    writeFileSync(
      file,
      'symbols:\n  "ETH-USDT":\n    orderSize: "0.1"\n    numLevels: 2\n  SOL-USDT:\n    book: sol-book\n',
    );
    const { config, problems } = resolve({
      MM_CONFIG: file,
      MARKET_SYMBOLS: "BTC-USDT, eth-usdt,SOL-USDT",
      ORDER_SIZE: "0.02",
    });
    expect(problems).toEqual([]);
    expect(config?.symbols.map((s) => [s.symbol, s.book, s.marketMakerId, s.orderSize])).toEqual([
      ["BTC-USDT", "BTC-USDT", "mm-01-BTC-USDT", "0.02"],
      ["ETH-USDT", "ETH-USDT", "mm-01-ETH-USDT", "0.1"],
      ["SOL-USDT", "sol-book", "mm-01-SOL-USDT", "0.02"],
    ]);
    expect(config?.symbols[1]?.numLevels).toBe(2);
  });

  it("MARKET_SYMBOLS takes the place of MARKET_SYMBOL", () => {
    const { config } = resolve({ MARKET_SYMBOL: "ETH-USDT", MARKET_SYMBOLS: "BTC-USDT,SOL-USDT" });
    expect(config?.symbols.map((s) => s.symbol)).toEqual(["BTC-USDT", "SOL-USDT"]);
  });

  it("refuses two symbols on one book or with one market-maker id", () => {
    const file = join(cwd, "clash.yaml");
    writeFileSync(
      file,
      "symbols:\n  ETH-USDT:\n    book: shared\n    marketMakerId: same\n  SOL-USDT:\n    book: shared\n    marketMakerId: same\n",
    );
    const text = messages({ MM_CONFIG: file, MARKET_SYMBOLS: "ETH-USDT,SOL-USDT" });
    expect(text).toContain('share the book "shared"');
    expect(text).toContain('share the market-maker id "same"');
  });

  it("refuses a global EXTERNAL_SYMBOL with several symbols", () => {
    expect(messages({ MARKET_SYMBOLS: "BTC-USDT,ETH-USDT", EXTERNAL_SYMBOL: "BTCUSDT" })).toContain(
      'EXTERNAL_SYMBOL="BTCUSDT": applies to a single symbol',
    );
  });
});

describe("validation", () => {
  it("reports every problem at once, each with its name as written and its value", () => {
    const text = messages(
      {
        NUM_LEVELS: "abc",
        BASE_SPREAD_PERCENT: "-1",
        ORDER_SIZE: "1e-2",
        UPDATE_INTERVAL_SECONDS: "0",
        MATCHINGO_GRPC_ADDR: "nowhere",
        PRICE_SOURCES: "binance,bitstamp",
        LOG_FORMAT: "xml",
      },
      ["--price-tick", "zero", "--bogus", "1"],
    );
    for (const expected of [
      'NUM_LEVELS="abc"',
      'BASE_SPREAD_PERCENT="-1"',
      'ORDER_SIZE="1e-2"',
      'UPDATE_INTERVAL_SECONDS="0"',
      'MATCHINGO_GRPC_ADDR="nowhere"',
      'PRICE_SOURCES="binance,bitstamp"',
      'LOG_FORMAT="xml"',
      '--price-tick="zero"',
      "--bogus: unknown flag",
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("names the file and key of a bad file value, and unknown keys", () => {
    const file = join(cwd, "bad.yaml");
    writeFileSync(
      file,
      "numLevels: many\nNUM_LEVELS: 3\nsymbols:\n  ETH-USDT:\n    logLevel: info\n",
    );
    const text = messages({ MM_CONFIG: file, MARKET_SYMBOL: "ETH-USDT" });
    expect(text).toContain(`${file}: numLevels="many"`);
    expect(text).toContain("the config file spells NUM_LEVELS as numLevels");
    expect(text).toContain("symbols.ETH-USDT.logLevel: applies to the whole runner");
  });

  it("refuses a size below the lot step and ticks finer than the venue's", () => {
    const text = messages({ ORDER_SIZE: "0.0005", PRICE_TICK: "0.0001", QTY_STEP: "0.0001" });
    expect(text).toContain('PRICE_TICK="0.0001": must be a multiple of the venue\'s 0.001');
    expect(text).toContain('QTY_STEP="0.0001": must be a multiple of the venue\'s 0.001');
    expect(messages({ ORDER_SIZE: "0.001", QTY_STEP: "0.01" })).toContain(
      'ORDER_SIZE="0.001": is below the lot step QTY_STEP=0.01',
    );
    expect(messages({ ORDER_SIZE: "0.015", QTY_STEP: "0.01" })).toContain("not a multiple");
  });

  it("never prints a secret back", () => {
    const text = messages({ MATCHINGO_METADATA: "=supersecret" });
    expect(text).toContain("MATCHINGO_METADATA");
    expect(text).not.toContain("supersecret");
  });

  it("treats an empty variable as unset", () => {
    expect(resolve({ NUM_LEVELS: "" }).problems).toEqual([]);
  });
});

describe("the ladder at the first price", () => {
  const base = resolve().config!.symbols[0]!;

  it("accepts the seed's example", () => {
    expect(checkLadderAtPrice(base, "50000")).toEqual([]);
  });

  it("refuses a spread that collapses below one tick", () => {
    const problems = checkLadderAtPrice({ ...base, priceTick: "0.01" }, "0.5");
    expect(problems.map(describeProblem).join("\n")).toMatch(
      /BASE_SPREAD_PERCENT \(default\)="0.1": at BTC-USDT's price 0.5 makes a spread of 0.0005, below one PRICE_TICK/,
    );
  });

  it("refuses levels that would reach zero", () => {
    const problems = checkLadderAtPrice({ ...base, numLevels: 100, priceStepPercent: "2" }, "100");
    expect(problems.map((p) => p.message).join()).toContain("outermost bid");
  });
});

describe("venue limits (issue 22, defect 3)", () => {
  it("refuses a size or a tick the venue cannot hold, naming the field, its value and the limit", () => {
    const text = messages({ ORDER_SIZE: "99999999999999999999999999" });
    expect(text).toContain(
      'ORDER_SIZE="99999999999999999999999999": is more than the venue can hold (at most 9223372036854775.807',
    );
    expect(messages({ PRICE_TICK: "9223372036854775.808" })).toContain(
      'PRICE_TICK="9223372036854775.808": is more than the venue can hold (at most 9223372036854775.807',
    );
    expect(resolve({ ORDER_SIZE: "9223372036854775.807" }).problems).toEqual([]);
  });

  it("refuses a size or a step below the venue's precision, naming its 0.001", () => {
    expect(messages({ QTY_STEP: "0.0004", ORDER_SIZE: "0.0004" })).toContain(
      'QTY_STEP="0.0004": must be a multiple of the venue\'s 0.001 (its precision: Matchingo would make it 0)',
    );
    expect(messages({ ORDER_SIZE: "0.0001" })).toContain(
      'ORDER_SIZE="0.0001": is below the lot step QTY_STEP (default)=0.001',
    );
  });
});

describe("first-price trust settings (issue 22)", () => {
  it("default to 3 confirmations, 60 s to accept a jump, and no band", () => {
    const { config } = resolve();
    expect(config).toMatchObject({ firstPriceConfirmations: 3, jumpAcceptMs: 60_000 });
    expect(config?.symbols[0]?.priceMin).toBeUndefined();
    expect(config?.symbols[0]?.priceMax).toBeUndefined();
  });

  it("take a band per symbol from the config file, over the environment's", () => {
    const file = join(cwd, "band.yaml");
    writeFileSync(
      file,
      'marketSymbols: [BTC-USDT, ETH-USDT]\npriceMin: "1"\nsymbols:\n  BTC-USDT:\n    priceMin: "10000"\n    priceMax: "1000000"\n',
    );
    const { config, problems } = resolve({ MM_CONFIG: file, PRICE_MAX: "100000" });
    expect(problems).toEqual([]);
    const [btc, eth] = config!.symbols;
    expect([btc?.priceMin, btc?.priceMax]).toEqual(["10000", "1000000"]);
    expect([eth?.priceMin, eth?.priceMax]).toEqual(["1", "100000"]);
  });

  it("refuse a band no price fits, a band beyond the venue, and confirmations out of range", () => {
    expect(messages({ PRICE_MIN: "60000", PRICE_MAX: "50000" })).toContain(
      'PRICE_MAX="50000": must be above PRICE_MIN=60000',
    );
    expect(messages({ PRICE_MAX: "99999999999999999999" })).toContain(
      'PRICE_MAX="99999999999999999999": is more than the venue can hold',
    );
    expect(messages({ FIRST_PRICE_CONFIRMATIONS: "0" })).toContain(
      'FIRST_PRICE_CONFIRMATIONS="0": must be at least 1',
    );
    expect(messages({ JUMP_ACCEPT_SECONDS: "never" })).toContain('JUMP_ACCEPT_SECONDS="never"');
  });
});

describe("the fill feed", () => {
  it("is kafka when KAFKA_BROKERS is set, else poll; the topic is Matchingo's default", () => {
    expect(resolve().config).toMatchObject({ fillFeed: "poll", kafkaTopic: "test-msg-queue" });
    expect(resolve({ KAFKA_BROKERS: "127.0.0.1:9092, 10.0.0.2:9092" }).config).toMatchObject({
      fillFeed: "kafka",
      kafkaBrokers: ["127.0.0.1:9092", "10.0.0.2:9092"],
      kafkaClientId: "matchingo-mm",
    });
    expect(resolve({ KAFKA_BROKERS: "127.0.0.1:9092", FILL_FEED: "poll" }).config?.fillFeed).toBe(
      "poll",
    );
  });

  it("refuses every bad value at start, each named with its value", () => {
    const text = messages({
      FILL_FEED: "kafak",
      KAFKA_BROKERS: "localhost",
      KAFKA_TOPIC: "no spaces",
      KAFKA_CLIENT_ID: "-x",
    });
    expect(text).toContain("FILL_FEED");
    expect(text).toContain("kafak");
    expect(text).toContain("KAFKA_BROKERS");
    expect(text).toContain("localhost");
    expect(text).toContain("KAFKA_TOPIC");
    expect(text).toContain("KAFKA_CLIENT_ID");
    expect(messages({ FILL_FEED: "kafka" })).toMatch(/FILL_FEED.*needs KAFKA_BROKERS/);
  });
});
