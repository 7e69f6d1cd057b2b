import type { CallOptions, Clock, PriceFeed, PriceTick } from "@matchingo-mm/core";
import { callListener, PriceError, systemClock } from "@matchingo-mm/core";
import { createFailoverChain, type FailoverChain, type GuardOptions } from "../chain.ts";
import type { ChainEvent } from "../events.ts";
import { parsePercent } from "../guards.ts";
import type { BackoffOptions } from "../health.ts";
import { createSharedFeed, type SharedFeed } from "../shared.ts";
import { type PriceSource, type TickResults, uniqueSymbols } from "../source.ts";
import { createPriceTrust, type PriceTrust } from "../trust.ts";
import { medianTick, type SourceExcluded } from "./median.ts";
import { type PriceType, referencePrice } from "./reference.ts";
import type { PriceStream, StreamEvent, StreamStats } from "./types.ts";

/** One place prices come from: its live stream, its REST poll, or both (stream first). */
export interface FeedSource {
  /** The source's name: `tick.source`, and the name in events. */
  readonly name: string;
  readonly stream?: PriceStream;
  /** Asked while the stream is down (or when there is none). */
  readonly poll?: PriceSource;
}

export type PriceMode = "failover" | "median";

/** How a symbol's current price is obtained. */
export type FeedVia = "stream" | "poll";

export type FeedEvent =
  | StreamEvent
  | ChainEvent
  /** A symbol's price now comes another way (stream ↔ poll) or from another source. */
  | {
      readonly type: "feed-changed";
      readonly symbol: string;
      readonly from: { readonly source: string; readonly via: FeedVia } | undefined;
      readonly to: { readonly source: string; readonly via: FeedVia };
    }
  | SourceExcluded;

export type FeedEventListener = (event: FeedEvent) => void;

export interface StreamingFeedOptions {
  /** `mid` of best bid and ask (default) or `last` trade. */
  readonly priceType?: PriceType;
  /** `failover` (default): the first usable source in order; `median`: of every fresh one. */
  readonly mode?: PriceMode;
  /** Median mode: a source further than this from the median of all fresh ones is left out. Default 1. */
  readonly maxSourceDeviationPercent?: number | string;
  /** Failover mode's guards (jump, age), as for `createFailoverChain`. */
  readonly guards?: GuardOptions;
  /**
   * When a price is trusted (first price, jumps, band), in both modes; share it with the
   * REST chain of the same runner. Default: `guards.maxJumpPercent` and
   * `maxSourceDeviationPercent`, a first price taken as it comes.
   */
  readonly trust?: PriceTrust;
  /** Failover mode's cool-down of a failed source. Default 250 ms growing to 5 s. */
  readonly backoff?: BackoffOptions;
  /** A REST answer is reused this long (one poll per source per period). Default 1000. */
  readonly pollMaxAgeMs?: number;
  /** Subscribers of a symbol not on a live stream get a polled price this often. Default 1000. */
  readonly pollIntervalMs?: number;
  readonly onEvent?: FeedEventListener;
  readonly clock?: Clock;
}

/** Where one symbol's price comes from right now, for logs, `/status` and metrics. */
export interface FeedStatus {
  readonly symbol: string;
  /** Undefined before the first price. */
  readonly source: string | undefined;
  readonly via: FeedVia | undefined;
  readonly price: string | undefined;
  /** Since the price was received, ms. */
  readonly ageMs: number | undefined;
  /** Reconnects of the stream in use (of every stream of the feed before a first price). */
  readonly reconnects: number;
  readonly gaps: number;
  /** Times the symbol moved to another source or way (`feed-changed`). */
  readonly failovers: number;
}

/**
 * A `PriceFeed` answered from live streams: `latest` answers the newest fresh stream
 * price at once, a source whose stream is down is asked over REST meanwhile, and
 * `subscribe` calls back on every new price. One stream per source for all symbols.
 */
export interface StreamingFeed extends PriceFeed {
  latestMany(symbols: readonly string[], options?: CallOptions): Promise<TickResults>;
  /** Calls `listener` on every change of the symbol's price (or of where it comes from). */
  subscribe(symbol: string, listener: (tick: PriceTick) => void): () => void;
  /** Starts streaming `symbols` now rather than on first use. */
  track(symbols: readonly string[]): void;
  status(symbol: string): FeedStatus;
  streams(): ReadonlyMap<string, StreamStats>;
  readonly sources: readonly string[];
  /** Closes every stream and timer. */
  close(): void;
}

/** Builds the feed over `sources`, in preference order. */
export function createStreamingFeed(
  sources: readonly FeedSource[],
  options: StreamingFeedOptions = {},
): StreamingFeed {
  if (sources.length === 0) throw new TypeError("createStreamingFeed: sources must not be empty");
  for (const source of sources) {
    if (!source.stream && !source.poll) {
      throw new TypeError(`createStreamingFeed: source ${source.name} has neither stream nor poll`);
    }
  }
  const clock = options.clock ?? systemClock;
  const priceType = options.priceType ?? "mid";
  if (priceType !== "mid" && priceType !== "last") {
    throw new TypeError(
      `createStreamingFeed: priceType must be mid or last, got ${String(priceType)}`,
    );
  }
  const mode = options.mode ?? "failover";
  if (mode !== "failover" && mode !== "median") {
    throw new TypeError(
      `createStreamingFeed: mode must be failover or median, got ${String(mode)}`,
    );
  }
  const maxDeviation = parsePercent(
    "maxSourceDeviationPercent",
    options.maxSourceDeviationPercent ?? 1,
  );
  const maxTickAgeMs = options.guards?.maxTickAgeMs ?? 30_000;
  const pollMaxAgeMs = options.pollMaxAgeMs ?? 1000;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const names = sources.map((source) => source.name);

  function emit(event: FeedEvent): void {
    // A listener's bug must not cost a price.
    callListener(options.onEvent, event);
  }

  const tracked = new Set<string>();
  function track(symbols: readonly string[]): void {
    const fresh = symbols.filter((symbol) => !tracked.has(symbol));
    if (fresh.length === 0) return;
    for (const symbol of fresh) tracked.add(symbol);
    for (const source of sources) source.stream?.track(fresh);
  }

  /** The way each source answered each symbol last (`source\0symbol`). */
  const viaOf = new Map<string, FeedVia>();
  const key = (source: string, symbol: string) => `${source}\u0000${symbol}`;

  /** Each source as a `PriceSource`: its fresh stream quote, else its (shared) REST poll. */
  const composites: PriceSource[] = sources.map((source) => {
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
            viaOf.set(key(source.name, symbol), "stream");
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
          viaOf.set(key(source.name, symbol), "poll");
          const price =
            referencePrice({ ...answer, last: answer.price }, priceType) ?? answer.price;
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
  });

  const trust =
    options.trust ??
    createPriceTrust(
      {
        maxJumpPercent: options.guards?.maxJumpPercent ?? 5,
        maxDeviationPercent: options.maxSourceDeviationPercent ?? 1,
      },
      clock,
    );
  const chain: FailoverChain | undefined =
    mode === "failover"
      ? createFailoverChain(composites, {
          ...(options.guards ? { guards: options.guards } : {}),
          trust,
          backoff: options.backoff ?? { initialMs: 250, maxMs: 5000 },
          clock,
          name: "stream-failover",
          onEvent: emit,
        })
      : undefined;

  async function medianMany(symbols: readonly string[], callOptions: CallOptions) {
    const answers = await Promise.all(
      composites.map((composite) =>
        composite.fetchTicks(symbols, callOptions).catch(
          (cause: unknown) =>
            new Map(
              symbols.map((symbol) => [
                symbol,
                new PriceError(`${composite.name}: ${String(cause)}`, {
                  kind: "bad-payload",
                  source: composite.name,
                  symbol,
                  cause,
                }),
              ]),
            ) as TickResults,
        ),
      ),
    );
    const results: TickResults = new Map();
    for (const symbol of uniqueSymbols(symbols)) {
      results.set(
        symbol,
        medianFor(
          symbol,
          answers.map((a) => a.get(symbol)),
        ),
      );
    }
    return results;
  }

  function medianFor(symbol: string, answers: (PriceTick | PriceError | undefined)[]) {
    const result = medianTick(symbol, answers, {
      now: clock.now(),
      maxTickAgeMs,
      maxDeviationPercent: maxDeviation,
      onExcluded: emit,
    });
    if (result instanceof PriceError) {
      emit({ type: "all-sources-failed", symbol, error: result });
      return result;
    }
    return trusted(symbol, result);
  }

  /** Median mode: the median passes the trust rules, backed by the sources it was made of. */
  function trusted(symbol: string, tick: PriceTick): PriceTick | PriceError {
    const backers = tick.source.startsWith("median(")
      ? tick.source.slice(7, -1).split(",")
      : [tick.source];
    const reference = trust.reference(symbol);
    const verdict = trust.judge(symbol, [{ tick, backers }]);
    if (verdict.trusted) {
      if (verdict.how === "jump-confirmed") {
        emit({
          type: "jump-confirmed",
          symbol,
          tick,
          lastPrice: verdict.from ?? "",
          confirmedBy: backers[1] ?? tick.source,
          confirmingPrice: tick.price,
        });
      } else if (
        verdict.how !== "reference" &&
        !(verdict.how === "held" && trust.rules(symbol).confirmations <= 1)
      ) {
        emit({
          type: "price-trusted",
          symbol,
          tick,
          how: verdict.how,
          confirmedBy: verdict.confirmedBy,
          ...(verdict.from === undefined ? {} : { from: verdict.from }),
        });
      }
      return tick;
    }
    const error = new PriceError(`median: ${symbol}: ${verdict.message}`, {
      kind: "untrusted",
      source: tick.source,
      symbol,
    });
    if (verdict.reason === "jump") {
      emit({
        type: "jump-rejected",
        symbol,
        tick,
        lastPrice: verdict.from ?? reference ?? "",
        error: new PriceError(verdict.message, { kind: "jump", source: tick.source, symbol }),
      });
    }
    emit({
      type: "price-untrusted",
      symbol,
      reason: verdict.reason,
      message: verdict.message,
      tick,
      error,
    });
    return error;
  }

  // ------------------------------------------------------------ status
  interface SymbolState {
    current: { source: string; via: FeedVia; price: string; receivedAt: number } | undefined;
    failovers: number;
  }
  const states = new Map<string, SymbolState>();
  const stateOf = (symbol: string): SymbolState => {
    let state = states.get(symbol);
    if (!state) {
      state = { current: undefined, failovers: 0 };
      states.set(symbol, state);
    }
    return state;
  };

  function viaFor(tick: PriceTick): FeedVia {
    // A median mixes ways: it counts as streamed only if every part was.
    const parts = tick.source.startsWith("median(")
      ? tick.source.slice(7, -1).split(",")
      : [tick.source];
    return parts.every((part) => viaOf.get(key(part, tick.symbol)) === "stream")
      ? "stream"
      : "poll";
  }

  function note(results: TickResults): void {
    for (const [symbol, answer] of results) {
      if (answer instanceof PriceError) continue;
      const state = stateOf(symbol);
      const via = viaFor(answer);
      const before = state.current;
      if (!before || before.source !== answer.source || before.via !== via) {
        if (before) state.failovers += 1;
        emit({
          type: "feed-changed",
          symbol,
          from: before ? { source: before.source, via: before.via } : undefined,
          to: { source: answer.source, via },
        });
      }
      state.current = {
        source: answer.source,
        via,
        price: answer.price,
        receivedAt: answer.receivedAt,
      };
    }
  }

  async function latestMany(symbols: readonly string[], callOptions: CallOptions = {}) {
    track(symbols);
    const results = chain
      ? await chain.latestMany(symbols, callOptions)
      : await medianMany(symbols, callOptions);
    note(results);
    return results;
  }

  // ------------------------------------------------------------ subscribers
  const listeners = new Map<string, Set<(tick: PriceTick) => void>>();
  const lastSent = new Map<string, PriceTick>();
  const evaluating = new Set<string>();
  const evaluatedAt = new Map<string, number>();
  const again = new Set<string>();
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const unhooks = sources.flatMap((source) =>
    source.stream
      ? [
          source.stream.onQuote((quote) => {
            if (listeners.has(quote.symbol)) void evaluate(quote.symbol);
          }),
        ]
      : [],
  );

  /** Recomputes a subscribed symbol's price; one at a time, the newest quote wins. */
  async function evaluate(symbol: string): Promise<void> {
    if (evaluating.has(symbol)) {
      again.add(symbol);
      return;
    }
    evaluating.add(symbol);
    try {
      do {
        again.delete(symbol);
        evaluatedAt.set(symbol, clock.now());
        const answer = (await latestMany([symbol])).get(symbol);
        if (closed || answer === undefined || answer instanceof PriceError) continue;
        const previous = lastSent.get(symbol);
        if (previous && previous.price === answer.price && previous.source === answer.source) {
          if (answer.receivedAt > previous.receivedAt) lastSent.set(symbol, answer);
          continue;
        }
        lastSent.set(symbol, answer);
        for (const listener of [...(listeners.get(symbol) ?? [])]) {
          // One subscriber's bug must not starve the others.
          callListener(listener, answer);
        }
      } while (again.has(symbol));
    } finally {
      evaluating.delete(symbol);
    }
  }

  /**
   * A subscribed symbol no stream quote has woken for `pollIntervalMs` (its stream is down
   * or quiet) is asked anyway: that is the REST fallback for subscribers.
   */
  function pollSubscribed(): void {
    const now = clock.now();
    for (const symbol of listeners.keys()) {
      if (now - (evaluatedAt.get(symbol) ?? 0) >= pollIntervalMs) void evaluate(symbol);
    }
  }

  return {
    sources: names,
    latestMany,
    async latest(symbol, callOptions = {}) {
      const answer = (await latestMany([symbol], callOptions)).get(symbol);
      if (answer instanceof PriceError) throw answer;
      if (answer === undefined) {
        throw new PriceError(`no answer for ${symbol}`, { kind: "bad-payload", symbol });
      }
      return answer;
    },
    subscribe(symbol, listener) {
      let set = listeners.get(symbol);
      if (!set) {
        set = new Set();
        listeners.set(symbol, set);
      }
      set.add(listener);
      track([symbol]);
      pollTimer ??= setInterval(pollSubscribed, pollIntervalMs);
      void evaluate(symbol);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(symbol);
        if (listeners.size === 0 && pollTimer !== undefined) {
          clearInterval(pollTimer);
          pollTimer = undefined;
        }
      };
    },
    track,
    status(symbol) {
      const state = stateOf(symbol);
      const current = state.current;
      const stream = sources.find((s) => s.name === current?.source)?.stream;
      const all = sources.flatMap((s) => (s.stream ? [s.stream.stats()] : []));
      const relevant = current ? (stream ? [stream.stats()] : []) : all;
      return {
        symbol,
        source: current?.source,
        via: current?.via,
        price: current?.price,
        ageMs: current ? clock.now() - current.receivedAt : undefined,
        reconnects: relevant.reduce((sum, s) => sum + s.reconnects, 0),
        gaps: relevant.reduce((sum, s) => sum + s.gaps, 0),
        failovers: state.failovers,
      };
    },
    streams: () =>
      new Map(sources.flatMap((s) => (s.stream ? [[s.name, s.stream.stats()] as const] : []))),
    close() {
      closed = true;
      clearInterval(pollTimer);
      for (const unhook of unhooks) unhook();
      for (const source of sources) source.stream?.close();
    },
  };
}
