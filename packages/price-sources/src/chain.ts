import type { CallOptions, Clock, PriceFeed, PriceTick } from "@matchingo-mm/core";
import { callListener, PriceError, systemClock } from "@matchingo-mm/core";
import type { ChainEvent, ChainEventListener } from "./events.ts";
import { defaultSources } from "./exchanges/registry.ts";
import { jumpError, rejectTick } from "./guards.ts";
import { type BackoffOptions, createHealthBook, isSourceWide } from "./health.ts";
import {
  forSymbol,
  latestOf,
  type PriceSource,
  type TickResults,
  uniqueSymbols,
} from "./source.ts";
import { createPriceTrust, type Observation, type PriceTrust, type TrustVerdict } from "./trust.ts";
import { trustedEvent } from "./trusted-event.ts";

export interface GuardOptions {
  /** Largest accepted move from the last accepted price without a second source. Default 5. */
  readonly maxJumpPercent?: number | string;
  /** Oldest accepted tick by the exchange's time, where it gives one. Default 30 000 ms. */
  readonly maxTickAgeMs?: number;
}

export interface FailoverOptions {
  readonly guards?: GuardOptions;
  /**
   * When a price is trusted (first price, jumps, band): shared by the chains of one runner
   * so they keep one reference per symbol. Default: `guards.maxJumpPercent`, and a first
   * price taken as it comes.
   */
  readonly trust?: PriceTrust;
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
  /** The trust rules and state the chain decides with (shared when passed in). */
  readonly trust: PriceTrust;
  readonly sources: readonly string[];
}

interface Pending {
  readonly errors: PriceError[];
  /** The usable ticks of this round, in source order, until the trust rules decide. */
  readonly observations: Observation[];
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
  const trust =
    options.trust ??
    createPriceTrust({ maxJumpPercent: options.guards?.maxJumpPercent ?? 5 }, clock);
  const maxTickAgeMs = options.guards?.maxTickAgeMs ?? 30_000;
  if (!(Number.isFinite(maxTickAgeMs) && maxTickAgeMs > 0)) {
    throw new TypeError(`guards.maxTickAgeMs must be a positive number, got ${maxTickAgeMs}`);
  }
  const health = createHealthBook(clock, options.backoff);
  const accepted = new Map<string, PriceTick>();
  /** Index in `sources` of the source that answered each symbol last. */
  const answeredBy = new Map<string, number>();

  function emit(event: ChainEvent): void {
    // A listener's bug must not cost a price.
    callListener(options.onEvent, event);
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

  function accept(symbol: string, tick: PriceTick, results: TickResults): void {
    const index = names.indexOf(tick.source);
    accepted.set(symbol, tick);
    results.set(symbol, tick);
    recordSuccess(tick.source, symbol);
    const previous = answeredBy.get(symbol) ?? 0;
    answeredBy.set(symbol, index);
    const from = names[previous]!;
    if (index > previous) emit({ type: "failover", symbol, from, to: tick.source });
    if (index < previous) emit({ type: "failback", symbol, from, to: tick.source });
  }

  function rejectJump(
    symbol: string,
    tick: PriceTick,
    lastPrice: string,
    detail: string,
    countAsFailure: boolean,
  ) {
    const error = jumpError(tick, lastPrice, trust.rules(symbol).maxJumpPercent, detail);
    if (countAsFailure) recordFailure(tick.source, error, symbol);
    emit({ type: "jump-rejected", symbol, tick, lastPrice, error });
    return error;
  }

  /** Applies the guards to one answer: a usable tick is kept for the trust rules. */
  function consider(symbol: string, answer: PriceTick | PriceError, index: number, state: Pending) {
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
    state.observations.push({ tick: answer });
  }

  /**
   * Whether the answers so far already settle the round, so the sources further down need
   * not be asked: a price near the reference, a jump a second source confirmed, a first
   * price two sources agree on. A lone source's first price waits for the others' answers.
   */
  function settled(symbol: string, state: Pending): boolean {
    if (state.observations.length === 0) return false;
    const verdict = trust.peek(symbol, state.observations);
    if (!verdict.trusted) return false;
    if (verdict.how === "held") return trust.rules(symbol).confirmations <= 1;
    return verdict.how !== "jump-accepted";
  }

  /** The trust rules' verdict on the round: the price taken, or why not. */
  function decide(symbol: string, state: Pending, results: TickResults): void {
    const reference = accepted.get(symbol)?.price ?? trust.reference(symbol) ?? "";
    const verdict = trust.judge(symbol, state.observations);
    if (verdict.trusted) {
      for (const outlier of verdict.outliers) {
        state.errors.push(
          rejectJump(
            symbol,
            outlier,
            reference || verdict.tick.price,
            `${verdict.tick.source} answered ${verdict.tick.price}`,
            true,
          ),
        );
      }
      announce(symbol, verdict, state);
      accept(symbol, verdict.tick, results);
      return;
    }
    const detail = "no other source confirmed it";
    if (verdict.reason === "jump") {
      state.errors.push(rejectJump(symbol, verdict.tick, verdict.from ?? reference, detail, false));
    }
    const error = new PriceError(`${name}: ${symbol}: ${verdict.message}`, {
      kind: "untrusted",
      source: verdict.tick.source,
      symbol,
      cause: new AggregateError(
        state.errors.map((e) => forSymbol(e, symbol)),
        `the price of ${symbol} is not trusted`,
      ),
    });
    emit({
      type: "price-untrusted",
      symbol,
      reason: verdict.reason,
      message: verdict.message,
      tick: verdict.tick,
      error,
    });
    results.set(symbol, error);
  }

  function announce(symbol: string, verdict: TrustVerdict & { trusted: true }, state: Pending) {
    const event = trustedEvent(symbol, verdict.tick, verdict, trust.rules(symbol), () => {
      const by = verdict.confirmedBy[0]!;
      const confirming = state.observations.find((o) => o.tick.source === by);
      return { by, price: confirming?.tick.price ?? verdict.tick.price };
    });
    if (event) emit(event);
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
      uniqueSymbols(symbols).map((symbol) => [symbol, { errors: [], observations: [] }]),
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
        consider(symbol, answer, index, states.get(symbol)!);
      }
      for (const symbol of ask) {
        const state = states.get(symbol)!;
        if (settled(symbol, state)) decide(symbol, state, results);
      }
    }

    for (const symbol of pending()) {
      const state = states.get(symbol)!;
      if (state.observations.length > 0 && !callOptions.signal?.aborted) {
        decide(symbol, state, results);
      } else results.set(symbol, noPrice(symbol, state, callOptions.signal));
    }
    return results;
  }

  function noPrice(symbol: string, state: Pending, signal: AbortSignal | undefined): PriceError {
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
      trust.reset(symbol);
    },
    trust,
  };
}
