import type { CallOptions, PriceTick } from "@matchingo-mm/core";
import { PriceError, type PriceErrorKind } from "@matchingo-mm/core";
import * as v from "valibot";
import { asPriceError, createExchangeContext, type ExchangeOptions } from "../../exchange.ts";
import { checkPrice } from "../../guards.ts";
import { failAll, type PriceSource, type TickResults } from "../../source.ts";
import { createBatchedSource } from "../../unknown-symbols.ts";
import { canonicalFromKrakenKey, krakenResultKeys, toKrakenSymbol } from "./symbols.ts";

export interface KrakenOptions extends ExchangeOptions {
  /** How long a pair Kraken called unknown is answered from memory. Default 10 min. */
  readonly unknownSymbolTtlMs?: number;
}

export const KRAKEN_REST_URL = "https://api.kraken.com";

/** Kraken's public endpoints tolerate about one request per second per IP. */
export const KRAKEN_DEFAULT_BUDGET = { capacity: 2, perSecond: 1 } as const;

/** `[price, ...volumes]`: only the first element is read. */
const Level = v.tupleWithRest([v.string()], v.unknown());
const PairTicker = v.looseObject({ a: Level, b: Level, c: Level });
const Answer = v.looseObject({
  error: v.array(v.string()),
  result: v.optional(v.record(v.string(), v.unknown())),
});

const RATE_LIMIT_ERRORS = ["EGeneral:Too many requests", "EAPI:Rate limit exceeded"];

function kindOfKrakenError(messages: readonly string[]): PriceErrorKind {
  if (messages.some((m) => RATE_LIMIT_ERRORS.some((limit) => m.startsWith(limit)))) {
    return "rate-limited";
  }
  if (messages.some((m) => m.startsWith("EQuery:Unknown asset pair"))) return "unknown-symbol";
  return "http-status";
}

/**
 * Kraken `GET /0/public/Ticker?pair=XBTUSDT,ETHUSDT`. Errors arrive with HTTP 200 in
 * `error[]`; results are keyed by Kraken's own pair name (`XBTUSD` answers as `XXBTZUSD`).
 */
export function kraken(options: KrakenOptions = {}): PriceSource {
  const context = createExchangeContext(
    {
      exchange: "kraken",
      baseUrl: KRAKEN_REST_URL,
      budget: KRAKEN_DEFAULT_BUDGET,
      spell: toKrakenSymbol,
    },
    options,
  );
  const { name, clock } = context;
  const defaultRetryAfterMs = options.defaultRetryAfterMs ?? 10_000;

  async function fetchResult(
    pairs: readonly string[],
    callOptions: CallOptions | undefined,
  ): Promise<Record<string, unknown>> {
    const answer = await context.get(
      `/0/public/Ticker?pair=${pairs.map(encodeURIComponent).join(",")}`,
      1,
      callOptions,
    );
    if (answer.status >= 400 && !v.is(Answer, answer.body)) {
      throw new PriceError(`${name}: HTTP ${answer.status}`, {
        kind: "http-status",
        source: name,
        status: answer.status,
        cause: answer.body,
      });
    }
    const body = context.parse(Answer, answer.body, "Ticker");
    if (body.error.length > 0) {
      const kind = kindOfKrakenError(body.error);
      const retryAfterMs = kind === "rate-limited" ? defaultRetryAfterMs : undefined;
      if (retryAfterMs !== undefined) context.gate.coolDown(retryAfterMs);
      throw new PriceError(`${name}: ${body.error.join("; ")}`, {
        kind,
        source: name,
        status: answer.status,
        retryAfterMs,
        cause: body.error,
      });
    }
    if (answer.status >= 400) {
      throw new PriceError(`${name}: HTTP ${answer.status}`, {
        kind: "http-status",
        source: name,
        status: answer.status,
        cause: answer.body,
      });
    }
    if (!body.result) {
      throw new PriceError(`${name}: Ticker answer has neither error nor result`, {
        kind: "bad-payload",
        source: name,
      });
    }
    return body.result;
  }

  /** Which result key answers which asked symbol (see `krakenResultKeys`). */
  function matchKeys(
    wanted: Map<string, string>,
    result: Record<string, unknown>,
  ): Map<string, string | PriceError> {
    const keys = Object.keys(result);
    const matched = new Map<string, string | PriceError>();
    const used = new Set<string>();
    for (const [symbol, pair] of wanted) {
      const key = krakenResultKeys(symbol, pair).find((candidate) => candidate in result);
      if (key !== undefined) {
        matched.set(symbol, key);
        used.add(key);
      }
    }
    const leftover = keys.filter((key) => !used.has(key));
    for (const [symbol, pair] of wanted) {
      if (matched.has(symbol)) continue;
      const named = leftover.find((key) => canonicalFromKrakenKey(key) === symbol);
      if (named !== undefined) {
        matched.set(symbol, named);
        continue;
      }
      // One pair asked, one answered under a name we cannot read: Kraken renamed it.
      const only = leftover[0];
      if (wanted.size === 1 && leftover.length === 1 && only !== undefined) {
        if (canonicalFromKrakenKey(only) === undefined) {
          matched.set(symbol, only);
          continue;
        }
      }
      matched.set(
        symbol,
        new PriceError(
          `${name}: asked for ${pair}, the answer has ${leftover.length > 0 ? leftover.join(", ") : "no entry for it"}`,
          { kind: leftover.length > 0 ? "wrong-symbol" : "bad-payload", source: name, symbol },
        ),
      );
    }
    return matched;
  }

  function toTick(symbol: string, key: string, entry: unknown, receivedAt: number): PriceTick {
    const ticker = context.parse(PairTicker, entry, `Ticker result ${key}`);
    const priceContext = { source: name, symbol };
    return {
      symbol,
      price: checkPrice(ticker.c[0], "c[0]", priceContext),
      bid: checkPrice(ticker.b[0], "b[0]", priceContext),
      ask: checkPrice(ticker.a[0], "a[0]", priceContext),
      receivedAt,
      source: name,
    };
  }

  async function fetchRound(
    wanted: Map<string, string>,
    results: TickResults,
    callOptions: CallOptions | undefined,
  ): Promise<void> {
    const result = await fetchResult([...new Set(wanted.values())], callOptions);
    const receivedAt = clock.now();
    for (const [symbol, key] of matchKeys(wanted, result)) {
      if (key instanceof PriceError) {
        results.set(symbol, key);
        continue;
      }
      try {
        results.set(symbol, toTick(symbol, key, result[key], receivedAt));
      } catch (error) {
        failAll(results, [symbol], asPriceError(error, name));
      }
    }
  }

  return createBatchedSource(context, fetchRound, options.unknownSymbolTtlMs);
}
