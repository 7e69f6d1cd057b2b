/**
 * The peer bench's figures, computed from what the venue and the price servers saw: pure
 * functions of timestamped events, so they can be checked on small made-up logs.
 *
 * Times are `performance.now()` milliseconds of the bench process: a price server's answer
 * when it is sent, a venue request when the server's log line for it arrives on its stderr.
 */

/** One request as the real server logged it ("Request received"), with its arrival time. */
export interface VenueRequest {
  readonly at: number;
  readonly method: string;
  readonly book: string;
  readonly orderId?: string;
  readonly side?: "buy" | "sell";
  readonly price?: string;
  /** The caller's `user_address` (CreateOrder only: the other requests carry none). */
  readonly user?: string;
}

/** A price change a bot could act on: a REST answer, or a tick pushed on a stream. */
export interface PriceEvent {
  readonly at: number;
  readonly symbols: readonly string[];
}

/** Parses one line of the server's output; undefined for anything but a request line. */
export function parseRequestLine(line: string, at: number): VenueRequest | undefined {
  if (!line.includes('"Request received"')) return undefined;
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const str = (key: string) => (typeof fields[key] === "string" ? String(fields[key]) : undefined);
  const side = str("side");
  return {
    at,
    method: str("method") ?? "",
    book: str("order_book") ?? str("name") ?? "",
    orderId: str("order_id"),
    side: side === "BUY" ? "buy" : side === "SELL" ? "sell" : undefined,
    price: str("price"),
    ...(str("user_address") === undefined ? {} : { user: str("user_address") }),
  };
}

export interface QuoteSample {
  /** Price event → the last CreateOrder of the new ladder, ms. */
  readonly wholeMs: number;
  /** Price event → the innermost bid and ask both sent (the later of the two), ms. */
  readonly innermostMs: number;
  /** CreateOrders between this price event and the next. */
  readonly creates: number;
}

/**
 * For each price event of `symbol` inside [from, to): the creates on `book` after it and
 * before the symbol's next event. A sample needs the whole new ladder (`levels` creates a
 * side): an event that changed nothing (or only part) is left out and counted.
 */
export function quoteSamples(
  events: readonly PriceEvent[],
  requests: readonly VenueRequest[],
  symbol: string,
  book: string,
  levels: number,
  from: number,
  to: number,
): { samples: QuoteSample[]; partial: number } {
  const mine = events.filter((event) => event.symbols.includes(symbol)).map((e) => e.at);
  const creates = requests.filter((r) => r.book === book && r.method === "CreateOrder");
  const samples: QuoteSample[] = [];
  let partial = 0;
  for (const [index, at] of mine.entries()) {
    if (at < from || at >= to) continue;
    const next = mine[index + 1] ?? Number.POSITIVE_INFINITY;
    const after = creates.filter((create) => create.at >= at && create.at < next);
    const bids = after.filter((create) => create.side === "buy");
    const asks = after.filter((create) => create.side === "sell");
    if (bids.length < levels || asks.length < levels) {
      partial++;
      continue;
    }
    const best = (side: VenueRequest[], pick: (a: number, b: number) => boolean) =>
      side.reduce((a, b) => (pick(Number(b.price), Number(a.price)) ? b : a));
    const bestBid = best(bids, (b, a) => b > a);
    const bestAsk = best(asks, (b, a) => b < a);
    samples.push({
      wholeMs: Math.max(...after.map((create) => create.at)) - at,
      innermostMs: Math.max(bestBid.at, bestAsk.at) - at,
      creates: after.length,
    });
  }
  return { samples, partial };
}

/**
 * The book gap: the venue's book replayed from the requests (a create adds an order, a cancel
 * removes it), sampled every `stepMs` over [from, to): the share of samples at which a side
 * holds fewer than `levels` distinct prices of the bot's orders. Nobody trades on these books,
 * so creates and cancels are the whole story.
 */
export function bookGap(
  requests: readonly VenueRequest[],
  book: string,
  levels: number,
  from: number,
  to: number,
  stepMs = 5,
): { samples: number; short: number; share: number } {
  const ofBook = requests.filter((r) => r.book === book).sort((a, b) => a.at - b.at);
  const live = new Map<string, { side: "buy" | "sell"; price: string }>();
  const perSide = { buy: new Map<string, number>(), sell: new Map<string, number>() };
  const add = (side: "buy" | "sell", price: string, delta: number) => {
    const count = (perSide[side].get(price) ?? 0) + delta;
    if (count <= 0) perSide[side].delete(price);
    else perSide[side].set(price, count);
  };
  let index = 0;
  let samples = 0;
  let short = 0;
  for (let t = from; t < to; t += stepMs) {
    for (; index < ofBook.length && ofBook[index]!.at <= t; index++) {
      const request = ofBook[index]!;
      if (request.method === "CreateOrder" && request.orderId && request.side && request.price) {
        live.set(request.orderId, { side: request.side, price: request.price });
        add(request.side, request.price, 1);
      } else if (request.method === "CancelOrder" && request.orderId) {
        const order = live.get(request.orderId);
        if (order) {
          live.delete(request.orderId);
          add(order.side, order.price, -1);
        }
      }
    }
    samples++;
    if (perSide.buy.size < levels || perSide.sell.size < levels) short++;
  }
  return { samples, short, share: samples === 0 ? 0 : short / samples };
}

/** Requests on `book` inside [from, to), by method. */
export function callsByMethod(
  requests: readonly VenueRequest[],
  book: string,
  from: number,
  to: number,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) {
    if (request.book !== book || request.at < from || request.at >= to) continue;
    counts[request.method] = (counts[request.method] ?? 0) + 1;
  }
  return counts;
}

/** Order ids created on `book` and never cancelled: the candidates for "left after SIGTERM". */
export function neverCancelled(requests: readonly VenueRequest[], book: string): string[] {
  const created = new Set<string>();
  for (const request of requests) {
    if (request.book !== book || !request.orderId) continue;
    if (request.method === "CreateOrder") created.add(request.orderId);
    else if (request.method === "CancelOrder") created.delete(request.orderId);
  }
  return [...created];
}
