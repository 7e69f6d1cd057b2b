import type { CallOptions, Clock, Decimal, PriceFeed, PriceTick } from "@matchingo-mm/core";
import { PriceError, systemClock } from "@matchingo-mm/core";
import { binance } from "./binance.ts";
import { coinbase } from "./coinbase.ts";
import type { ChainEvent, ChainEventListener } from "./events.ts";
import { isJump, jumpError, parsePercent, rejectTick } from "./guards.ts";
import { type BackoffOptions, createHealthBook, isSourceWide } from "./health.ts";
import { kraken } from "./kraken.ts";
import {
  forSymbol,
  latestOf,
  type PriceSource,
  type TickResults,
  uniqueSymbols,
} from "./source.ts";

export interface GuardOptions {
  /** Largest accepted move from the last accepted price without a second source. Default 5. */
  readonly maxJumpPercent?: number | string;
  /** Oldest accepted tick by the exchange's time, where it gives one. Default 30 000 ms. */
  readonly maxTickAgeMs?: number;
}

export interface FailoverOptions {
  readonly guards?: GuardOptions;
  readonly backoff?: BackoffOptions;
  readonly clock?: Clock;
  /** State changes: failover, recovery, rejected jumps. Must not throw (it is ignored). */
  readonly onEvent?: ChainEventListener;
  /** Shown as the chain's own `name`. Default `failover`. */
  readonly name?: string;
}

/** A `PriceFeed` (and `PriceSource`) over an ordered list of sources. */
export interface FailoverChain extends PriceSource, PriceFeed {
  /** Every symbol's tick or error in one round: one `fetchTicks` per source at most. */
  latestMany(symbols: readonly string[], options?: CallOptions): Promise<TickResults>;
  /** The last accepted tick of a symbol: the reference of the jump guard. */
  lastAccepted(symbol: string): PriceTick | undefined;
  /**
   * Forgets the jump guard's reference (one symbol, or all), so the next tick is taken as
   * it comes. For an operator who has checked that a big move is real while only one
   * source is up: without a second source a jump is otherwise never accepted.
   */
  resetJumpReference(symbol?: string): void;
  readonly sources: readonly string[];
}

/** Binance → Coinbase → Kraken at their public URLs, with their default budgets. */
export function defaultSources(): PriceSource[] {
  return [binance(), coinbase(), kraken()];
}

interface Pending {
  readonly errors: PriceError[];
  /** Ticks that jumped and wait for a second source. */
  readonly candidates: PriceTick[];
}

/**
 * The default policy: ask the sources in order; the first usable tick answers. A failed
 * source cools down with growing back-off and is probed again after; the preferred source
 * answers again as soon as it is healthy. Every tick passes the guards (price, symbol,
 * age, jump); a jump needs a second source within the threshold of the new level.
 */
export function createFailoverChain(
  sources: readonly PriceSource[] = defaultSources(),
  options: FailoverOptions = {},
): FailoverChain {
  if (sources.length === 0) throw new TypeError("createFailoverChain: sources must not be empty");
  const names = sources.map((source) => source.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) {
    throw new TypeError(`createFailoverChain: two sources are named ${JSON.stringify(duplicate)}`);
  }
  const name = options.name ?? "failover";
  const clock = options.clock ?? systemClock;
  const maxJump: Decimal = parsePercent(
    "guards.maxJumpPercent",
    options.guards?.maxJumpPercent ?? 5,
  );
  const maxTickAgeMs = options.guards?.maxTickAgeMs ?? 30_000;
  if (!(Number.isFinite(maxTickAgeMs) && maxTickAgeMs > 0)) {
    throw new TypeError(`guards.maxTickAgeMs must be a positive number, got ${maxTickAgeMs}`);
  }
  const health = createHealthBook(clock, options.backoff);
  const accepted = new Map<string, PriceTick>();
  /** Index in `sources` of the source that answered each symbol last. */
  const answeredBy = new Map<string, number>();

  function emit(event: ChainEvent): void {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's bug must not cost a price.
    }
  }

  const symbolKey = (source: string, symbol: string) => `${source}\u0000${symbol}`;

  function recordFailure(source: string, error: PriceError, symbol?: string): void {
    if (error.kind === "aborted") return;
    const key = symbol === undefined ? source : symbolKey(source, symbol);
    const outcome = health.failed(key, error);
    if (outcome.counted) {
      emit({
        type: "source-failed",
        source,
        ...(symbol === undefined ? {} : { symbol }),
        error,
        failures: outcome.failures,
        retryInMs: outcome.retryInMs,
      });
    }
  }

  function recordSuccess(source: string, symbol?: string): void {
    const downMs = health.succeeded(symbol === undefined ? source : symbolKey(source, symbol));
    if (downMs !== undefined) {
      emit({
        type: "source-recovered",
        source,
        ...(symbol === undefined ? {} : { symbol }),
        downMs,
      });
    }
  }

  /** Source-wide health from one answer: one failure per round, not one per symbol. */
  function recordRound(source: string, answers: TickResults): void {
    let failure: PriceError | undefined;
    let answered = false;
    for (const answer of answers.values()) {
      if (!(answer instanceof PriceError)) answered = true;
      else if (isSourceWide(answer) && answer.kind !== "aborted") {
        if (!failure || (failure.kind === "cooling-down" && answer.kind !== "cooling-down")) {
          failure = answer;
        }
      }
    }
    if (failure) recordFailure(source, failure);
    else if (answered) recordSuccess(source);
  }

  function accept(symbol: string, tick: PriceTick, index: number, results: TickResults): void {
    accepted.set(symbol, tick);
    results.set(symbol, tick);
    recordSuccess(tick.source, symbol);
    const previous = answeredBy.get(symbol) ?? 0;
    answeredBy.set(symbol, index);
    const from = names[previous]!;
    if (index > previous) emit({ type: "failover", symbol, from, to: tick.source });
    if (index < previous) emit({ type: "failback", symbol, from, to: tick.source });
  }

  function rejectJump(symbol: string, tick: PriceTick, lastPrice: string, detail: string) {
    const error = jumpError(tick, lastPrice, maxJump, detail);
    recordFailure(tick.source, error, symbol);
    emit({ type: "jump-rejected", symbol, tick, lastPrice, error });
    return error;
  }

  /** Applies the guards to one answer; accepts it, parks it as a jump, or records why not. */
  function consider(
    symbol: string,
    answer: PriceTick | PriceError,
    index: number,
    state: Pending,
    results: TickResults,
  ): void {
    const source = names[index]!;
    if (answer instanceof PriceError) {
      state.errors.push(answer);
      if (!isSourceWide(answer)) recordFailure(source, answer, symbol);
      return;
    }
    const rejected = rejectTick(answer, symbol, clock.now(), { maxTickAgeMs });
    if (rejected) {
      state.errors.push(rejected);
      recordFailure(source, rejected, symbol);
      return;
    }
    const last = accepted.get(symbol);
    if (!last || !isJump(last.price, answer.price, maxJump)) {
      for (const candidate of state.candidates) {
        state.errors.push(
          rejectJump(symbol, candidate, last?.price ?? "", `${source} answered ${answer.price}`),
        );
      }
      accept(symbol, answer, index, results);
      return;
    }
    const confirmed = state.candidates.find(
      (candidate) => !isJump(candidate.price, answer.price, maxJump),
    );
    if (!confirmed) {
      state.candidates.push(answer);
      return;
    }
    emit({
      type: "jump-confirmed",
      symbol,
      tick: confirmed,
      lastPrice: last.price,
      confirmedBy: source,
      confirmingPrice: answer.price,
    });
    accept(symbol, confirmed, names.indexOf(confirmed.source), results);
  }

  /** A source that rejects instead of answering per symbol still only fails itself. */
  async function askSource(
    source: PriceSource,
    symbols: string[],
    callOptions: CallOptions,
  ): Promise<TickResults> {
    try {
      return await source.fetchTicks(symbols, callOptions);
    } catch (cause) {
      const error =
        cause instanceof PriceError
          ? cause
          : new PriceError(
              `${source.name}: ${cause instanceof Error ? cause.message : String(cause)}`,
              {
                kind: "bad-payload",
                source: source.name,
                cause,
              },
            );
      return new Map(symbols.map((symbol) => [symbol, forSymbol(error, symbol)]));
    }
  }

  async function latestMany(symbols: readonly string[], callOptions: CallOptions = {}) {
    const results: TickResults = new Map();
    const states = new Map<string, Pending>(
      uniqueSymbols(symbols).map((symbol) => [symbol, { errors: [], candidates: [] }]),
    );
    const pending = () => [...states.keys()].filter((symbol) => !results.has(symbol));

    for (const [index, source] of sources.entries()) {
      if (callOptions.signal?.aborted) break;
      const ask: string[] = [];
      for (const symbol of pending()) {
        const cooling =
          health.cooling(source.name, source.name, symbol) ??
          health.cooling(symbolKey(source.name, symbol), source.name, symbol);
        if (cooling) states.get(symbol)!.errors.push(cooling);
        else ask.push(symbol);
      }
      if (ask.length === 0) continue;
      const answers = await askSource(source, ask, callOptions);
      recordRound(source.name, answers);
      for (const symbol of ask) {
        const answer =
          answers.get(symbol) ??
          new PriceError(`${source.name}: no answer for ${symbol}`, {
            kind: "bad-payload",
            source: source.name,
            symbol,
          });
        consider(symbol, answer, index, states.get(symbol)!, results);
      }
    }

    for (const symbol of pending()) {
      results.set(symbol, noPrice(symbol, states.get(symbol)!, callOptions.signal));
    }
    return results;
  }

  function noPrice(symbol: string, state: Pending, signal: AbortSignal | undefined): PriceError {
    const last = accepted.get(symbol);
    for (const candidate of state.candidates) {
      state.errors.push(
        rejectJump(symbol, candidate, last?.price ?? "", "no other source confirmed it"),
      );
    }
    if (signal?.aborted) {
      return new PriceError(`${name}: asking for ${symbol} was aborted`, {
        kind: "aborted",
        source: name,
        symbol,
        cause: signal.reason,
      });
    }
    const error = new PriceError(
      `${name}: no usable price for ${symbol}: ${state.errors.map((e) => e.message).join(" | ")}`,
      {
        kind: "all-sources-failed",
        source: name,
        symbol,
        cause: new AggregateError(
          state.errors.map((e) => forSymbol(e, symbol)),
          `every source failed for ${symbol}`,
        ),
      },
    );
    emit({ type: "all-sources-failed", symbol, error });
    return error;
  }

  return {
    name,
    sources: names,
    fetchTicks: latestMany,
    latestMany,
    latest: latestOf(latestMany),
    lastAccepted: (symbol) => accepted.get(symbol),
    resetJumpReference(symbol) {
      if (symbol === undefined) accepted.clear();
      else accepted.delete(symbol);
    },
  };
}
