import type { Clock } from "@matchingo-mm/core";
import { PriceError } from "@matchingo-mm/core";
import { createSharedFeed, type SharedFeed } from "../../shared.ts";
import { type PriceSource, type TickResults, uniqueSymbols } from "../../source.ts";
import { type PriceType, referencePrice } from "../reference.ts";
import type { FeedSource, FeedVia } from "./types.ts";

/** The way each source answered each symbol last. */
export interface AnswerWays {
  set(source: string, symbol: string, via: FeedVia): void;
  get(source: string, symbol: string): FeedVia | undefined;
}

export function createAnswerWays(): AnswerWays {
  /** Keyed `source\0symbol`. */
  const viaOf = new Map<string, FeedVia>();
  const key = (source: string, symbol: string) => `${source}\u0000${symbol}`;
  return {
    set(source, symbol, via) {
      viaOf.set(key(source, symbol), via);
    },
    get: (source, symbol) => viaOf.get(key(source, symbol)),
  };
}

export interface StreamOrPollOptions {
  readonly priceType: PriceType;
  /** A REST answer is reused this long (one poll per source per period). */
  readonly pollMaxAgeMs: number;
  readonly clock: Clock;
  /** Told which way each answer came. */
  readonly ways: AnswerWays;
}

/**
 * A source as a `PriceSource`: its fresh stream quote, else its (shared) REST poll, so a
 * source whose stream is down is asked over REST meanwhile.
 */
export function streamOrPoll(source: FeedSource, options: StreamOrPollOptions): PriceSource {
  const { priceType, pollMaxAgeMs, clock, ways } = options;
  const poll: SharedFeed | undefined = source.poll
    ? createSharedFeed(source.poll, { maxAgeMs: pollMaxAgeMs, clock })
    : undefined;
  return {
    name: source.name,
    async fetchTicks(symbols, callOptions) {
      const results: TickResults = new Map();
      const missing: string[] = [];
      const up = source.stream?.isUp() ?? false;
      for (const symbol of uniqueSymbols(symbols)) {
        const quote = up ? source.stream?.quote(symbol) : undefined;
        const price = quote ? referencePrice(quote, priceType) : undefined;
        if (quote && price !== undefined) {
          ways.set(source.name, symbol, "stream");
          results.set(symbol, {
            symbol,
            price,
            ...(quote.bid !== undefined ? { bid: quote.bid } : {}),
            ...(quote.ask !== undefined ? { ask: quote.ask } : {}),
            ...(quote.exchangeTime !== undefined ? { exchangeTime: quote.exchangeTime } : {}),
            receivedAt: quote.receivedAt,
            source: source.name,
          });
        } else missing.push(symbol);
      }
      if (missing.length === 0) return results;
      if (!poll) {
        for (const symbol of missing) {
          results.set(
            symbol,
            new PriceError(`${source.name}: no live stream price for ${symbol}`, {
              kind: "unreachable",
              source: source.name,
              symbol,
            }),
          );
        }
        return results;
      }
      const polled = await poll.latestMany(missing, callOptions);
      for (const [symbol, answer] of polled) {
        if (answer instanceof PriceError) {
          results.set(symbol, answer);
          continue;
        }
        ways.set(source.name, symbol, "poll");
        const price = referencePrice({ ...answer, last: answer.price }, priceType) ?? answer.price;
        results.set(symbol, { ...answer, price });
      }
      return results;
    },
    async latest(symbol, callOptions) {
      const answer = (await this.fetchTicks([symbol], callOptions)).get(symbol);
      if (answer instanceof PriceError) throw answer;
      if (!answer)
        throw new PriceError(`${source.name}: no answer`, { kind: "bad-payload", symbol });
      return answer;
    },
  };
}
