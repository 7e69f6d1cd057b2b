import type { Clock, PriceTick } from "@matchingo-mm/core";
import { PriceError } from "@matchingo-mm/core";
import type { TickResults } from "../../source.ts";
import { sourcesOf } from "../median.ts";
import type { StreamStats } from "../types.ts";
import type { AnswerWays } from "./stream-or-poll.ts";
import type { FeedEvent, FeedSource, FeedStatus, FeedVia } from "./types.ts";

export interface FeedStatusBook {
  /** Records the feed's answers: where each symbol's price now comes from (`feed-changed`). */
  note(results: TickResults): void;
  status(symbol: string): FeedStatus;
  streams(): ReadonlyMap<string, StreamStats>;
}

interface SymbolState {
  current: { source: string; via: FeedVia; price: string; receivedAt: number } | undefined;
  failovers: number;
}

/** Where each symbol's price comes from, for logs, `/status` and metrics. */
export function createFeedStatus(
  sources: readonly FeedSource[],
  options: { readonly ways: AnswerWays; readonly clock: Clock; emit(event: FeedEvent): void },
): FeedStatusBook {
  const { ways, clock, emit } = options;
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
    const parts = sourcesOf(tick);
    return parts.every((part) => ways.get(part, tick.symbol) === "stream") ? "stream" : "poll";
  }

  return {
    note(results) {
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
    },
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
  };
}
