import type { CallOptions, PriceTick } from "@matchingo-mm/core";
import { PriceError } from "@matchingo-mm/core";
import * as v from "valibot";
import { asPriceError, createExchangeContext, type ExchangeOptions } from "../../exchange.ts";
import { checkPrice } from "../../guards.ts";
import {
  failAll,
  latestOf,
  type PriceSource,
  type TickResults,
  uniqueSymbols,
} from "../../source.ts";
import { parseRfc3339 } from "../../time.ts";
import { toCoinbaseSymbol } from "./symbols.ts";

export type CoinbaseOptions = ExchangeOptions;

export const COINBASE_REST_URL = "https://api.exchange.coinbase.com";

/** Coinbase Exchange's public limit is about 10 requests per second per IP. */
export const COINBASE_DEFAULT_BUDGET = { capacity: 10, perSecond: 10 } as const;

const Ticker = v.looseObject({
  price: v.string(),
  bid: v.string(),
  ask: v.string(),
  time: v.string(),
});
const ErrorBody = v.looseObject({ message: v.string() });

/**
 * Coinbase Exchange `GET /products/{BASE-QUOTE}/ticker`. There is no batch ticker: one
 * request per product, all in parallel, each spending one unit of the budget.
 */
export function coinbase(options: CoinbaseOptions = {}): PriceSource {
  const context = createExchangeContext(
    {
      exchange: "coinbase",
      baseUrl: COINBASE_REST_URL,
      budget: COINBASE_DEFAULT_BUDGET,
      spell: toCoinbaseSymbol,
    },
    options,
  );
  const { name, clock } = context;

  async function fetchProduct(
    symbol: string,
    product: string,
    callOptions: CallOptions | undefined,
  ): Promise<PriceTick> {
    const answer = await context.get(
      `/products/${encodeURIComponent(product)}/ticker`,
      1,
      callOptions,
    );
    if (answer.status >= 400) {
      const parsed = v.safeParse(ErrorBody, answer.body);
      const message = parsed.success ? parsed.output.message : "";
      throw new PriceError(`${name}: HTTP ${answer.status} for ${product} ${message}`.trim(), {
        kind: answer.status === 404 ? "unknown-symbol" : "http-status",
        source: name,
        symbol,
        status: answer.status,
        cause: answer.body,
      });
    }
    const ticker = context.parse(Ticker, answer.body, `ticker of ${product}`);
    const priceContext = { source: name, symbol };
    const exchangeTime = parseRfc3339(ticker.time);
    if (exchangeTime === undefined) {
      throw new PriceError(`${name}: time of ${product} is not RFC 3339: ${ticker.time}`, {
        kind: "bad-payload",
        source: name,
        symbol,
      });
    }
    return {
      symbol,
      price: checkPrice(ticker.price, "price", priceContext),
      bid: checkPrice(ticker.bid, "bid", priceContext),
      ask: checkPrice(ticker.ask, "ask", priceContext),
      exchangeTime,
      receivedAt: clock.now(),
      source: name,
    };
  }

  async function fetchTicks(symbols: readonly string[], callOptions?: CallOptions) {
    const results: TickResults = new Map();
    const wanted = context.resolve(uniqueSymbols(symbols), results);
    await Promise.all(
      [...wanted].map(async ([symbol, product]) => {
        try {
          results.set(symbol, await fetchProduct(symbol, product, callOptions));
        } catch (error) {
          failAll(results, [symbol], asPriceError(error, name));
        }
      }),
    );
    return results;
  }

  return { name, fetchTicks, latest: latestOf(fetchTicks) };
}
