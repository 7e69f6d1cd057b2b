import type { CallOptions, PriceTick } from "@matchingo-mm/core";
import { PriceError } from "@matchingo-mm/core";
import * as v from "valibot";
import { asPriceError, createExchangeContext, type ExchangeOptions } from "../../exchange.ts";
import { checkPrice } from "../../guards.ts";
import type { JsonAnswer } from "../../http.ts";
import type { PriceSource, TickResults } from "../../source.ts";
import { createBatchedSource } from "../../unknown-symbols.ts";
import { toBinanceSymbol } from "./symbols.ts";

export interface BinanceOptions extends ExchangeOptions {
  /** Also read best bid/ask from `ticker/bookTicker` (a second request, same weight). */
  readonly bookTicker?: boolean;
  /** How long a symbol Binance called invalid is answered from memory. Default 10 min. */
  readonly unknownSymbolTtlMs?: number;
}

export const BINANCE_REST_URL = "https://api.binance.com";

/** Binance's limit is request weight per minute; 1200/min is its long-standing floor. */
export const BINANCE_DEFAULT_BUDGET = { capacity: 1200, perSecond: 20 } as const;
/** `ticker/price` and `ticker/bookTicker` weigh 2 for one symbol, 4 for a list. */
const weightOf = (count: number) => (count === 1 ? 2 : 4);

const PriceEntry = v.looseObject({ symbol: v.string(), price: v.string() });
const BookEntry = v.looseObject({ symbol: v.string(), bidPrice: v.string(), askPrice: v.string() });
const ErrorBody = v.looseObject({ code: v.number(), msg: v.string() });
/** Binance answers -1121 "Invalid symbol." for a symbol it does not list. */
const INVALID_SYMBOL = -1121;

interface Entry {
  readonly symbol: string;
}

/** Binance spot `GET /api/v3/ticker/price`, batched with `symbols=[...]`. */
export function binance(options: BinanceOptions = {}): PriceSource {
  const context = createExchangeContext(
    {
      exchange: "binance",
      baseUrl: BINANCE_REST_URL,
      budget: BINANCE_DEFAULT_BUDGET,
      spell: toBinanceSymbol,
    },
    options,
  );
  const { name, clock } = context;

  function query(exchangeSymbols: readonly string[]): string {
    if (exchangeSymbols.length === 1) return `symbol=${encodeURIComponent(exchangeSymbols[0]!)}`;
    return `symbols=${encodeURIComponent(JSON.stringify(exchangeSymbols))}`;
  }

  async function getEntries<T extends Entry>(
    endpoint: string,
    schema: v.GenericSchema<unknown, T>,
    exchangeSymbols: readonly string[],
    callOptions: CallOptions | undefined,
  ): Promise<Map<string, T>> {
    // Weight already spent by the round (see fetchRound).
    const answer = await context.get(
      `/api/v3/ticker/${endpoint}?${query(exchangeSymbols)}`,
      0,
      callOptions,
    );
    const body = readError(answer);
    const entries =
      exchangeSymbols.length === 1
        ? [context.parse(schema, body, endpoint)]
        : context.parse(v.array(schema), body, endpoint);
    return new Map(entries.map((entry) => [entry.symbol, entry]));
  }

  function readError(answer: JsonAnswer): unknown {
    if (answer.status < 400) return answer.body;
    const parsed = v.safeParse(ErrorBody, answer.body);
    const message = parsed.success ? `${parsed.output.code} ${parsed.output.msg}` : "";
    throw new PriceError(`${name}: HTTP ${answer.status} ${message}`.trim(), {
      kind:
        parsed.success && parsed.output.code === INVALID_SYMBOL ? "unknown-symbol" : "http-status",
      source: name,
      status: answer.status,
      cause: answer.body,
    });
  }

  /** One round for `wanted` (canonical → Binance symbol); throws what fails them all. */
  async function fetchRound(
    wanted: Map<string, string>,
    results: TickResults,
    callOptions: CallOptions | undefined,
  ): Promise<void> {
    const exchangeSymbols = [...new Set(wanted.values())];
    const endpoints = options.bookTicker ? 2 : 1;
    // The round's whole weight is spent up front, so no request goes out for half a round.
    const refused =
      context.gate.closed() ?? context.gate.spend(endpoints * weightOf(exchangeSymbols.length));
    if (refused) throw refused;
    const [prices, books] = await Promise.all([
      getEntries("price", PriceEntry, exchangeSymbols, callOptions),
      options.bookTicker
        ? getEntries("bookTicker", BookEntry, exchangeSymbols, callOptions)
        : undefined,
    ]);
    const receivedAt = clock.now();
    const requested = new Set(exchangeSymbols);
    for (const [symbol, exchangeSymbol] of wanted) {
      results.set(symbol, toTick(symbol, exchangeSymbol, prices, books, requested, receivedAt));
    }
  }

  function toTick(
    symbol: string,
    exchangeSymbol: string,
    prices: Map<string, v.InferOutput<typeof PriceEntry>>,
    books: Map<string, v.InferOutput<typeof BookEntry>> | undefined,
    requested: ReadonlySet<string>,
    receivedAt: number,
  ): PriceTick | PriceError {
    const context = { source: name, symbol };
    const entry = prices.get(exchangeSymbol);
    if (!entry) {
      const others = [...prices.keys()].filter((key) => !requested.has(key));
      return new PriceError(
        `${name}: asked for ${exchangeSymbol}, the answer has ${others.length > 0 ? others.join(", ") : "no entry for it"}`,
        { kind: others.length > 0 ? "wrong-symbol" : "bad-payload", source: name, symbol },
      );
    }
    try {
      const price = checkPrice(entry.price, "price", context);
      if (!books) return { symbol, price, receivedAt, source: name };
      const book = books.get(exchangeSymbol);
      if (!book) {
        return new PriceError(`${name}: bookTicker has no entry for ${exchangeSymbol}`, {
          kind: books.size > 0 ? "wrong-symbol" : "bad-payload",
          source: name,
          symbol,
        });
      }
      const bid = checkPrice(book.bidPrice, "bidPrice", context);
      const ask = checkPrice(book.askPrice, "askPrice", context);
      return { symbol, price, bid, ask, receivedAt, source: name };
    } catch (error) {
      return asPriceError(error, name);
    }
  }

  return createBatchedSource(context, fetchRound, options.unknownSymbolTtlMs);
}
