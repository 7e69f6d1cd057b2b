import { resolve as resolvePath } from "node:path";
import * as v from "valibot";
import { checkControlToken } from "./control-token.ts";
import { crossCheck } from "./cross-check.ts";
import { readEnvironment } from "./env.ts";
import { mistypedEnvironmentNames } from "./env-names.ts";
import { readConfigFile } from "./file.ts";
import { type CommandLine, parseCommandLine } from "./flags.ts";
import type { Layer, Problem, RawValue } from "./raw.ts";
import { SCHEMAS } from "./schemas.ts";
import { SETTINGS, type Setting } from "./settings.ts";
import { defaultStateDir } from "./state-dir.ts";
import type { RunnerConfig, SymbolConfig, ValueSource } from "./types.ts";

export interface ResolveInput {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface Resolved {
  readonly commandLine: CommandLine;
  /** Present when there are no problems. */
  readonly config?: RunnerConfig;
  readonly problems: readonly Problem[];
  /** The config file read (`--config` or MM_CONFIG), absolute; SIGHUP re-reads it. */
  readonly configFile?: string;
  /** Not wrong, but probably not meant (logged at start). */
  readonly warnings: readonly string[];
}

/** A value that passed its schema, with the name it was given under. */
export interface Valued<T = unknown> {
  readonly value: T;
  /** `NUM_LEVELS`, `--num-levels`, a file path and key, or `NUM_LEVELS (default)`. */
  readonly name: string;
  /** As written, for messages. */
  readonly raw: unknown;
  /** Which layer gave it. */
  readonly source: ValueSource;
}

const SECRET_MASK = "<redacted>";

/**
 * Configuration from, highest first: flags, environment, config file (`--config` or
 * MM_CONFIG), defaults. Per-symbol settings of the config file win over global ones for
 * their symbol. Every problem is collected; none stops the others from being found.
 */
export function resolveConfig(input: ResolveInput): Resolved {
  const commandLine = parseCommandLine(input.argv);
  const environment = readEnvironment(input.env);
  const problems: Problem[] = [...commandLine.problems, ...environment.problems];
  const warnings: string[] = mistypedEnvironmentNames(input.env);

  const filePath = commandLine.configFile ?? nonEmpty(input.env.MM_CONFIG);
  const configFile = filePath === undefined ? undefined : resolvePath(input.cwd, filePath);
  const file = configFile === undefined ? undefined : readConfigFile(configFile);
  const fileShown = configFile === undefined ? {} : { configFile };
  if (file) problems.push(...file.problems);

  const layers: Layer[] = [commandLine.layer, environment.layer, file?.layer ?? new Map()];

  const global = new Map<string, Valued>();
  for (const setting of SETTINGS) {
    const picked = pick(layers, setting.key) ?? defaultOf(setting);
    if (picked === undefined) continue;
    const checked = check(setting, picked.raw, problems, picked.source);
    if (checked !== undefined) global.set(setting.key, checked);
  }

  const symbols = chooseSymbols(layers, file?.symbols, global);
  if (file) {
    for (const symbol of file.symbols.keys()) {
      if (!symbols.includes(symbol)) {
        warnings.push(
          `${filePath}: symbols.${symbol} is not among the symbols quoted (${symbols.join(", ")}); its settings are not used`,
        );
      }
    }
  }

  const perSymbol = symbols.map((symbol) =>
    resolveSymbol(symbol, symbols.length, global, file?.symbols.get(symbol), problems),
  );

  problems.push(...crossCheck(global, perSymbol, input.cwd));
  const token = checkControlToken(global);
  problems.push(...token.problems);
  warnings.push(...token.warnings);

  if (problems.length > 0) return { commandLine, problems, warnings, ...fileShown };

  const value = <T>(key: string): T => global.get(key)?.value as T;
  const origins: Record<string, string> = {};
  for (const [key, valued] of global) origins[key] = valued.name;

  const config: RunnerConfig = {
    runnerId: value("marketMakerId"),
    ...optional("matchingoGrpcAddr", value<string | undefined>("matchingoGrpcAddr")),
    matchingoTls: value("matchingoTls") ?? false,
    matchingoMetadata: value("matchingoMetadata") ?? {},
    matchingoDeadlineMs: value("matchingoDeadlineSeconds"),
    matchingoRetryAttempts: value("matchingoRetryAttempts"),
    venueStartTimeoutMs: value("venueStartTimeoutSeconds"),
    symbols: perSymbol.map((resolved) => resolved.config),
    priceSources: value("priceSources"),
    binanceUrl: value("binanceUrl"),
    coinbaseUrl: value("coinbaseUrl"),
    krakenUrl: value("krakenUrl"),
    maxJumpPercent: value("maxJumpPercent"),
    firstPriceConfirmations: value("firstPriceConfirmations"),
    jumpAcceptMs: value("jumpAcceptSeconds"),
    priceFeed: value("priceFeed"),
    priceType: value("priceType"),
    priceMode: value("priceMode"),
    maxSourceDeviationPercent: value("maxSourceDeviationPercent"),
    streamStaleMs: value("streamStaleSeconds"),
    binanceWsUrl: value("binanceWsUrl"),
    coinbaseWsUrl: value("coinbaseWsUrl"),
    krakenWsUrl: value("krakenWsUrl"),
    syntheticSeed: value("syntheticSeed"),
    sandboxTakers: value("sandboxTakers") ?? true,
    ...optional(
      "replayFile",
      value<string | undefined>("replayFile") === undefined
        ? undefined
        : resolvePath(input.cwd, value<string>("replayFile")),
    ),
    fillFeed:
      value<"kafka" | "poll" | undefined>("fillFeed") ??
      (value("kafkaBrokers") === undefined ? "poll" : "kafka"),
    ...optional("kafkaBrokers", value<string[] | undefined>("kafkaBrokers")),
    kafkaTopic: value("kafkaTopic"),
    kafkaClientId: value("kafkaClientId"),
    createOrderBook: value("createOrderBook"),
    stateDir:
      value<string | undefined>("stateDir") === undefined
        ? defaultStateDir(input.env)
        : resolvePath(input.cwd, value<string>("stateDir")),
    resume: value("resume") ?? false,
    metricsAddr:
      value<string>("metricsAddr").toLowerCase() === "off" ? "off" : value("metricsAddr"),
    ...optional("controlToken", value<string | undefined>("controlToken")),
    opsAllowedHosts: value<string[] | undefined>("opsAllowedHosts") ?? [],
    opsMaxEventClients: value("opsMaxEventClients"),
    logLevel: value("logLevel"),
    ...optional("logFormat", value<"json" | "pretty" | undefined>("logFormat")),
    shutdownTimeoutMs: value("shutdownTimeoutSeconds"),
    origins,
  };
  return { commandLine, config, problems, warnings, ...fileShown };
}

export interface ResolvedSymbol {
  readonly config: SymbolConfig;
  /** Setting key → where its value came from, for cross-check messages. */
  readonly names: ReadonlyMap<string, Valued>;
}

function resolveSymbol(
  symbol: string,
  symbolCount: number,
  global: ReadonlyMap<string, Valued>,
  overrides: Layer | undefined,
  problems: Problem[],
): ResolvedSymbol {
  const names = new Map<string, Valued>();
  for (const setting of SETTINGS) {
    if (setting.scope !== "symbol") continue;
    const raw = overrides?.get(setting.key);
    const checked =
      raw === undefined ? global.get(setting.key) : check(setting, raw, problems, "file");
    if (checked !== undefined) names.set(setting.key, checked);
  }
  const bookRaw = overrides?.get("book");
  let book = symbol;
  if (bookRaw !== undefined) {
    const checked = check(BOOK_SETTING, bookRaw, problems, "file");
    if (checked !== undefined) {
      book = checked.value as string;
      names.set("book", checked);
    }
  }

  const globalId = global.get("marketMakerId");
  if (overrides?.get("marketMakerId") === undefined && symbolCount > 1 && globalId) {
    // Several symbols must not share an id: order ids and the trade log's user_address
    // tell them apart.
    names.set("marketMakerId", {
      ...globalId,
      value: `${globalId.value}-${symbol}`,
      name: `${globalId.name} + symbol`,
    });
  }
  const externalGlobal = global.get("externalSymbol");
  if (overrides?.get("externalSymbol") === undefined && externalGlobal && symbolCount > 1) {
    names.delete("externalSymbol");
  }

  const value = <T>(key: string): T => names.get(key)?.value as T;
  const config: SymbolConfig = {
    symbol,
    book,
    marketMakerId: value("marketMakerId"),
    ...optional("externalSymbol", value<string | undefined>("externalSymbol")),
    numLevels: value("numLevels"),
    baseSpreadPercent: value("baseSpreadPercent"),
    priceStepPercent: value("priceStepPercent"),
    orderSize: value("orderSize"),
    ...optional("orderSizeStep", value<string | undefined>("orderSizeStep")),
    ...optional("orderSizeMultiplier", value<string | undefined>("orderSizeMultiplier")),
    strategy: value("strategy"),
    asGamma: value("asGamma"),
    asKappa: value("asKappa"),
    ...optional("asHorizonSeconds", value<string | undefined>("asHorizonSeconds")),
    volatilityWindowSeconds: value("volatilityWindowSeconds"),
    updateIntervalMs: value("updateIntervalSeconds"),
    priceTick: value("priceTick"),
    qtyStep: value("qtyStep"),
    requoteMode: value("requoteMode"),
    refreshTolerancePercent: value("refreshTolerancePercent"),
    minRequoteIntervalMs: value("minRequoteIntervalMs"),
    maxPriceAgeMs: value("maxPriceAgeSeconds"),
    syntheticStartPrice: value<string | undefined>("syntheticStartPrice") ?? plausiblePrice(symbol),
    ...optional("maxPosition", value<string | undefined>("maxPosition")),
    inventorySkewPercent: value("inventorySkewPercent"),
    makerFeeBps: value("makerFeeBps"),
    ...optional("maxLoss", value<string | undefined>("maxLoss")),
    ...optional("maxDrawdown", value<string | undefined>("maxDrawdown")),
    ...optional("priceMin", value<string | undefined>("priceMin")),
    ...optional("priceMax", value<string | undefined>("priceMax")),
    origins: Object.fromEntries([...names].map(([key, valued]) => [key, valued.name])),
    sources: Object.fromEntries([...names].map(([key, valued]) => [key, valued.source])),
  };
  return { config, names };
}

const BOOK_SETTING: Setting = {
  key: "book",
  env: "book",
  kind: "id",
  scope: "symbol",
  meaning: "The Matchingo book of this symbol.",
};

/** The highest layer that names the symbols decides them; MARKET_SYMBOLS beats MARKET_SYMBOL. */
function chooseSymbols(
  layers: readonly Layer[],
  fileSymbols: ReadonlyMap<string, Layer> | undefined,
  global: ReadonlyMap<string, Valued>,
): string[] {
  // When the chosen value is invalid (already reported), the default symbol stands in so
  // the per-symbol checks still run and report everything at once.
  const fallback = [(global.get("marketSymbol")?.value as string | undefined) ?? "BTC-USDT"];
  for (const layer of layers) {
    if (layer.has("marketSymbols")) {
      return (global.get("marketSymbols")?.value as string[] | undefined) ?? fallback;
    }
    if (layer.has("marketSymbol")) {
      const single = global.get("marketSymbol")?.value as string | undefined;
      return single === undefined ? ["BTC-USDT"] : [single];
    }
  }
  if (fileSymbols !== undefined && fileSymbols.size > 0) return [...fileSymbols.keys()];
  return [(global.get("marketSymbol")?.value as string | undefined) ?? "BTC-USDT"];
}

/**
 * One value against its setting's schema, exactly as configuration checks it: the control
 * API and SIGHUP use it so their messages are the configuration's.
 */
export function checkSetting(
  setting: Setting,
  raw: RawValue,
  problems: Problem[],
  source: ValueSource = "control",
): Valued | undefined {
  return check(setting, raw, problems, source);
}

function check(
  setting: Setting,
  raw: RawValue,
  problems: Problem[],
  source: ValueSource,
): Valued | undefined {
  const result = v.safeParse(SCHEMAS[setting.kind], raw.value, { abortPipeEarly: true });
  if (result.success) return { value: result.output, name: raw.name, raw: raw.value, source };
  problems.push({
    name: raw.name,
    value: setting.secret ? SECRET_MASK : raw.value,
    message: result.issues.map((issue) => issue.message).join("; "),
  });
  return undefined;
}

/** The layers' sources, in the order `resolveConfig` stacks them. */
const LAYER_SOURCES: readonly ValueSource[] = ["flag", "env", "file"];

function pick(
  layers: readonly Layer[],
  key: string,
): { raw: RawValue; source: ValueSource } | undefined {
  for (const [index, layer] of layers.entries()) {
    const raw = layer.get(key);
    if (raw !== undefined) return { raw, source: LAYER_SOURCES[index]! };
  }
  return undefined;
}

function defaultOf(setting: Setting): { raw: RawValue; source: ValueSource } | undefined {
  return setting.default === undefined
    ? undefined
    : { raw: { value: setting.default, name: `${setting.env} (default)` }, source: "default" };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

const PLAUSIBLE: Record<string, string> = {
  BTC: "50000",
  XBT: "50000",
  ETH: "3000",
  SOL: "150",
  BNB: "600",
};

/** A start for the synthetic walk that looks like the asset (the sandbox only). */
function plausiblePrice(symbol: string): string {
  return PLAUSIBLE[symbol.split("-")[0] ?? ""] ?? "100";
}
