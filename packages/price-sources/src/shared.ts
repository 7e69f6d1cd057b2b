import type { CallOptions, Clock, PriceFeed, PriceTick } from "@matchingo-mm/core";
import { PriceError, systemClock } from "@matchingo-mm/core";
import type { PriceSource, TickResults } from "./source.ts";

export interface SharedFeedOptions {
  /**
   * How long calls are gathered into one round. Default 0: everything asked before the
   * next turn of the event loop (e.g. every worker's message already queued) shares one.
   */
  readonly windowMs?: number;
  /**
   * Answers reuse a round younger than this, and every symbol asked within the last
   * `3 × maxAgeMs` is refreshed in the same round: with it set just under the update
   * interval, workers on their own timers still cost one request per source per interval.
   * Default 0: no reuse, pure coalescing.
   */
  readonly maxAgeMs?: number;
  /** Symbols asked in every round whether or not someone is waiting (the runner's set). */
  readonly symbols?: readonly string[];
  readonly clock?: Clock;
}

export interface SharedFeedStats {
  /** Rounds sent to the source (each is one `fetchTicks`, batched per exchange). */
  readonly rounds: number;
  /** Calls answered by joining a round already gathering or in flight. */
  readonly joined: number;
  /** Calls answered from a round younger than `maxAgeMs`. */
  readonly reused: number;
}

/** One source shared by many callers, e.g. the runner's main thread for all its workers. */
export interface SharedFeed extends PriceFeed {
  latestMany(symbols: readonly string[], options?: CallOptions): Promise<TickResults>;
  stats(): SharedFeedStats;
}

interface Round {
  readonly symbols: Set<string>;
  readonly answers: Promise<TickResults>;
  resolve(answers: TickResults): void;
}

/**
 * Coalesces `latest(symbol)` calls into one `fetchTicks(symbols)` of `source` (normally a
 * failover chain): one request per exchange per round, batched where the exchange allows.
 * A caller's `signal` only ends its own wait; the shared round goes on for the others.
 */
export function createSharedFeed(source: PriceSource, options: SharedFeedOptions = {}): SharedFeed {
  const windowMs = options.windowMs ?? 0;
  const maxAgeMs = options.maxAgeMs ?? 0;
  for (const [field, value] of [
    ["windowMs", windowMs],
    ["maxAgeMs", maxAgeMs],
  ] as const) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new TypeError(`createSharedFeed: ${field} must be a number >= 0, got ${value}`);
    }
  }
  const clock = options.clock ?? systemClock;
  const inflight = new Map<string, Promise<PriceTick | PriceError>>();
  const cache = new Map<string, { answer: PriceTick | PriceError; at: number }>();
  const askedAt = new Map<string, number>();
  let gathering: Round | undefined;
  let rounds = 0;
  let joined = 0;
  let reused = 0;

  function startRound(): Round {
    let resolve!: (answers: TickResults) => void;
    const answers = new Promise<TickResults>((r) => {
      resolve = r;
    });
    const round: Round = { symbols: new Set(), answers, resolve };
    setTimeout(() => void send(round), windowMs);
    return round;
  }

  async function send(round: Round): Promise<void> {
    gathering = undefined;
    const now = clock.now();
    // Symbols riding along are in flight too: a caller asking for one meanwhile joins.
    for (const symbol of options.symbols ?? []) {
      if (!inflight.has(symbol)) track(round, symbol);
    }
    if (maxAgeMs > 0) {
      // Refresh what was asked lately in the same request, so it is there when asked again.
      for (const [symbol, at] of askedAt) {
        if (now - at > 3 * maxAgeMs) askedAt.delete(symbol);
        else if (!inflight.has(symbol)) track(round, symbol);
      }
    }
    rounds += 1;
    let answers: TickResults;
    try {
      answers = await source.fetchTicks([...round.symbols]);
    } catch (cause) {
      answers = new Map();
      for (const symbol of round.symbols) {
        answers.set(
          symbol,
          cause instanceof PriceError
            ? cause
            : new PriceError(`${source.name}: ${String(cause)}`, {
                kind: "bad-payload",
                source: source.name,
                symbol,
                cause,
              }),
        );
      }
    }
    const at = clock.now();
    if (maxAgeMs > 0) {
      for (const symbol of round.symbols) {
        const answer = answers.get(symbol);
        if (answer !== undefined) cache.set(symbol, { answer, at });
      }
    }
    round.resolve(answers);
  }

  function answerFor(symbol: string): Promise<PriceTick | PriceError> {
    const now = clock.now();
    if (maxAgeMs > 0) askedAt.set(symbol, now);
    const cached = cache.get(symbol);
    if (cached && now - cached.at < maxAgeMs) {
      reused += 1;
      return Promise.resolve(cached.answer);
    }
    const running = inflight.get(symbol);
    if (running) {
      joined += 1;
      return running;
    }
    gathering ??= startRound();
    return track(gathering, symbol);
  }

  /** Puts `symbol` in `round` and makes it the one answer in flight for that symbol. */
  function track(round: Round, symbol: string): Promise<PriceTick | PriceError> {
    round.symbols.add(symbol);
    const answer = round.answers.then((answers) => {
      if (inflight.get(symbol) === answer) inflight.delete(symbol);
      return (
        answers.get(symbol) ??
        new PriceError(`${source.name}: no answer for ${symbol}`, {
          kind: "bad-payload",
          source: source.name,
          symbol,
        })
      );
    });
    inflight.set(symbol, answer);
    return answer;
  }

  function waitFor<T>(promise: Promise<T>, symbol: string, signal?: AbortSignal): Promise<T> {
    if (!signal) return promise;
    const aborted = () =>
      new PriceError(`${source.name}: waiting for ${symbol} was aborted`, {
        kind: "aborted",
        source: source.name,
        symbol,
        cause: signal.reason,
      });
    if (signal.aborted) return Promise.reject(aborted());
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(aborted());
      signal.addEventListener("abort", onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }

  return {
    async latest(symbol, callOptions = {}) {
      const answer = await waitFor(answerFor(symbol), symbol, callOptions.signal);
      if (answer instanceof PriceError) throw answer;
      return answer;
    },
    async latestMany(symbols, callOptions = {}) {
      const unique = [...new Set(symbols)];
      const answers = await waitFor(
        Promise.all(unique.map((symbol) => answerFor(symbol))),
        unique.join(","),
        callOptions.signal,
      );
      return new Map(unique.map((symbol, index) => [symbol, answers[index]!]));
    },
    stats: () => ({ rounds, joined, reused }),
  };
}
