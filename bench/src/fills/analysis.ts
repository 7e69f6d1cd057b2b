/**
 * The fills bench's figures (issue 21), read off the real server's request log and the
 * runner's `/metrics`: pure functions of timestamped events, checked on small made-up logs in
 * `test/fills-analysis.test.ts`.
 *
 * Times are `performance.now()` milliseconds of the bench process: a request when the
 * server's log line for it arrives here, a take when the venue's answer to it arrives here.
 */
import type { VenueRequest } from "../peer/analysis.ts";

/** Venue requests on `books` inside [from, to), per book per second: in all, and by method. */
export function callRates(
  requests: readonly VenueRequest[],
  books: readonly string[],
  from: number,
  to: number,
): { perSymbolPerSecond: number; byMethod: Record<string, number>; calls: number } {
  const wanted = new Set(books);
  const counts: Record<string, number> = {};
  let calls = 0;
  for (const request of requests) {
    if (!wanted.has(request.book) || request.at < from || request.at >= to) continue;
    counts[request.method] = (counts[request.method] ?? 0) + 1;
    calls++;
  }
  const seconds = (to - from) / 1000;
  const rate = (count: number) =>
    books.length === 0 || seconds <= 0 ? Number.NaN : count / books.length / seconds;
  return {
    perSymbolPerSecond: rate(calls),
    byMethod: Object.fromEntries(
      Object.entries(counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([method, count]) => [method, rate(count)]),
    ),
    calls,
  };
}

/** A taker's IOC order that traded with our best level. */
export interface Take {
  readonly book: string;
  /** The taker's order id: its own request line is found by it. */
  readonly orderId: string;
  /** Our side it hit (`sell` when the taker bought). */
  readonly ourSide: "buy" | "sell";
  /** The level's price, as the venue prints it. */
  readonly price: string;
  /** When the venue's answer (the trade) arrived here. */
  readonly answeredAt: number;
}

export interface Reaction {
  readonly book: string;
  /** The take's answer → our next CreateOrder on that side of that book, ms. */
  readonly ms: number;
  /** Whether that order went back at the taken price (a refill, not some other requote). */
  readonly samePrice: boolean;
}

/**
 * For each take: our first CreateOrder (its `user_address` one `ours` accepts) on the same book and side that the server
 * logged after the taker's own request and before the next take on that book. Nothing else
 * moves our orders while the price holds still, so that order is the refill. A take with no
 * such order (the runner never answered, or the next take came first) is counted as missed.
 * Order is the log's order, not the clocks': the server logs a request as it receives it.
 */
export function reactions(
  takes: readonly Take[],
  requests: readonly VenueRequest[],
  ours: (user: string) => boolean,
): { samples: Reaction[]; missed: number } {
  const position = new Map<string, number>();
  for (const [index, request] of requests.entries()) {
    if (request.method === "CreateOrder" && request.orderId !== undefined)
      position.set(`${request.book}\u0000${request.orderId}`, index);
  }
  const logged = takes
    .map((take) => ({ take, index: position.get(`${take.book}\u0000${take.orderId}`) }))
    .filter((entry): entry is { take: Take; index: number } => entry.index !== undefined)
    .sort((a, b) => a.index - b.index);
  const samples: Reaction[] = [];
  let missed = takes.length - logged.length;
  for (const [n, { take, index }] of logged.entries()) {
    const next =
      logged.slice(n + 1).find((later) => later.take.book === take.book)?.index ?? requests.length;
    let found: VenueRequest | undefined;
    for (let i = index + 1; i < next && found === undefined; i++) {
      const request = requests[i]!;
      if (
        request.method === "CreateOrder" &&
        request.book === take.book &&
        request.user !== undefined &&
        ours(request.user) &&
        request.side === take.ourSide
      )
        found = request;
    }
    if (found === undefined) {
      missed++;
      continue;
    }
    samples.push({
      book: take.book,
      ms: found.at - take.answeredAt,
      samePrice: found.price !== undefined && Number(found.price) === Number(take.price),
    });
  }
  return { samples, missed };
}

/**
 * p50 and p99 of a Prometheus histogram (every label set added up), as the upper bounds of
 * the buckets they fall in, in the metric's unit; undefined bounds when it has no count.
 */
export function histogramQuantiles(
  metrics: string,
  name: string,
): { count: number; p50?: number; p99?: number } {
  const byBound = new Map<number, number>();
  const pattern = new RegExp(`^${name}_bucket\\{([^}]*)\\} (\\S+)$`, "gm");
  for (const match of metrics.matchAll(pattern)) {
    const le = /(?:^|,)le="([^"]+)"/.exec(match[1]!)?.[1];
    if (le === undefined) continue;
    const bound = le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + Number(match[2]));
  }
  const buckets = [...byBound.entries()].sort(([a], [b]) => a - b);
  const count = buckets.at(-1)?.[1] ?? 0;
  if (count === 0) return { count: 0 };
  const at = (q: number) => buckets.find(([, cumulative]) => cumulative >= q * count)?.[0];
  return { count, p50: at(0.5), p99: at(0.99) };
}
