import { ConfigError, describeValue } from "../config-error.ts";
import { validateMarketMakerId } from "../order-id.ts";
import { resolveRequoter } from "../planner.ts";
import { type ParsedRisk, parseRisk } from "../risk/risk-settings.ts";
import { STRATEGIES, STRATEGY_NAMES } from "../strategies/index.ts";
import type { Strategy } from "../strategies/types.ts";
import type { Settings } from "./context.ts";
import { type ParsedQuoteParams, parseQuoteParams } from "./quote-params.ts";
import type { MarketMakerOptions } from "./types.ts";

export function positiveInteger(field: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ConfigError(
      `${field} must be a whole number >= ${min}, got ${describeValue(value)}`,
      field,
      value,
    );
  }
  return value;
}

function requiredString(field: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "" || value.trim() !== value) {
    throw new ConfigError(
      `${field} must be a non-empty string, got ${describeValue(value)}`,
      field,
      value,
    );
  }
  return value;
}

function requiredPort(field: string, value: unknown, methods: readonly string[]): void {
  const ok =
    value !== null &&
    typeof value === "object" &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === "function");
  if (!ok) {
    throw new ConfigError(`${field} must implement ${methods.join(", ")}`, field, value);
  }
}

/** Validates the options, failing with a `ConfigError` that names the field and value. */
export function parseOptions(options: MarketMakerOptions): {
  settings: Settings;
  params: ParsedQuoteParams;
  risk: ParsedRisk;
} {
  const symbol = requiredString("symbol", options.symbol);
  const book = requiredString("book", options.book);
  const marketMakerId = validateMarketMakerId(options.marketMakerId);
  const params = parseQuoteParams({
    ladder: options.ladder,
    refreshTolerancePercent: options.refreshTolerancePercent,
    minRequoteIntervalMs: options.minRequoteIntervalMs,
    ...(options.asGamma === undefined ? {} : { asGamma: options.asGamma }),
    ...(options.asKappa === undefined ? {} : { asKappa: options.asKappa }),
    ...(options.asHorizonMs === undefined ? {} : { asHorizonMs: options.asHorizonMs }),
    ...(options.volatilityWindowMs === undefined
      ? {}
      : { volatilityWindowMs: options.volatilityWindowMs }),
  });
  const strategy = resolveStrategy(options.strategy);
  const risk = parseRisk(options.risk);
  const { restored, halted } = options;
  if (
    restored !== undefined &&
    (restored === null || typeof restored !== "object" || typeof restored.pnl !== "object")
  ) {
    throw new ConfigError(
      `restored must be { pnl, baseVolume? }, got ${describeValue(restored)}`,
      "restored",
      restored,
    );
  }
  if (halted !== undefined && (typeof halted !== "string" || halted === "")) {
    throw new ConfigError(
      `halted must be a non-empty reason, got ${describeValue(halted)}`,
      "halted",
      halted,
    );
  }
  const intervalMs = positiveInteger("intervalMs", options.intervalMs, 10_000);
  const alignToInterval = options.alignToInterval ?? false;
  if (typeof alignToInterval !== "boolean") {
    throw new ConfigError(
      `alignToInterval must be true or false, got ${describeValue(alignToInterval)}`,
      "alignToInterval",
      alignToInterval,
    );
  }
  const fillPolling = options.fillPolling ?? "priority";
  if (!["priority", "all", "off"].includes(fillPolling)) {
    throw new ConfigError(
      `fillPolling must be priority, all or off, got ${describeValue(fillPolling)}`,
      "fillPolling",
      fillPolling,
    );
  }
  const { timestampAfter } = options;
  if (
    timestampAfter !== undefined &&
    (typeof timestampAfter !== "number" || !Number.isSafeInteger(timestampAfter))
  ) {
    throw new ConfigError(
      `timestampAfter must be a whole number, got ${describeValue(timestampAfter)}`,
      "timestampAfter",
      timestampAfter,
    );
  }
  requiredPort("feed", options.feed, ["latest"]);
  if (options.feed.subscribe !== undefined && typeof options.feed.subscribe !== "function") {
    throw new ConfigError("feed.subscribe must be a function when given", "feed", options.feed);
  }
  if (options.fills !== undefined) requiredPort("fills", options.fills, ["subscribe", "live"]);
  requiredPort("gateway", options.gateway, ["placeOrder", "cancelOrder", "getOrder", "getBook"]);
  if (options.journal !== undefined) requiredPort("journal", options.journal, ["opened", "closed"]);
  const settings: Settings = {
    symbol,
    book,
    marketMakerId,
    intervalMs,
    alignToInterval,
    maxPriceAgeMs: positiveInteger("maxPriceAgeMs", options.maxPriceAgeMs, 30_000),
    concurrency: positiveInteger("concurrency", options.concurrency, 8),
    maxBackoffMs: positiveInteger(
      "maxBackoffMs",
      options.maxBackoffMs,
      Math.max(intervalMs, 5_000),
    ),
    shutdownTimeoutMs: positiveInteger("shutdownTimeoutMs", options.shutdownTimeoutMs, 10_000),
    uncertainGraceMs: positiveInteger("uncertainGraceMs", options.uncertainGraceMs, 0, 0),
    requoter: resolveRequoter(options.requoteMode),
    strategy,
    fillPolling,
    reconcileIntervalMs: positiveInteger(
      "reconcileIntervalMs",
      options.reconcileIntervalMs,
      60_000,
    ),
    streamGraceMs: positiveInteger("streamGraceMs", options.streamGraceMs, 5_000, 0),
    ...(timestampAfter === undefined ? {} : { timestampAfter }),
  };
  return { settings, params, risk };
}

/** A built-in strategy by name, or the caller's own (anything with a name and `quote`). */
export function resolveStrategy(strategy: MarketMakerOptions["strategy"]): Strategy {
  if (strategy === undefined) return STRATEGIES.layered;
  if (typeof strategy === "string") {
    const named = (STRATEGIES as Record<string, Strategy>)[strategy];
    if (named !== undefined && Object.hasOwn(STRATEGIES, strategy)) return named;
  } else if (
    strategy !== null &&
    typeof strategy === "object" &&
    typeof strategy.quote === "function" &&
    typeof strategy.name === "string" &&
    strategy.name !== ""
  ) {
    return strategy;
  }
  throw new ConfigError(
    `strategy must be ${STRATEGY_NAMES.join(" or ")}, or an object with a name and quote(view), got ${describeValue(strategy)}`,
    "strategy",
    strategy,
  );
}
