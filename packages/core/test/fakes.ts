/**
 * In-memory fakes of core's own ports, for unit tests and the runtime smoke script.
 * The venue fake keeps resting orders (no matching) and records any moment in which one
 * of its orders would have crossed another: core must never cause one.
 */
import {
  type BookInfo,
  type CancelOutcome,
  type Clock,
  compare,
  createMarketMaker,
  type FillFeed,
  formatDecimal,
  type MarketMakerEvent,
  type MarketMakerOptions,
  normalize,
  type OrderGateway,
  type OrderIntent,
  type OrderJournal,
  type OrderStatus,
  type PlacedOrder,
  PriceError,
  type PriceFeed,
  type PriceTick,
  parseDecimal,
  sign,
  sub,
  type TradeFill,
  VenueError,
} from "../src/index.ts";

export interface FakeClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

export function fakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
  };
}

export interface FakeFeed extends PriceFeed {
  /** The next answers: a price string, or an Error to reject with. Last one repeats. */
  script(...answers: (string | Error)[]): void;
  calls: number;
}

export function fakeFeed(clock: Clock, ...answers: (string | Error)[]): FakeFeed {
  let queue = answers;
  const feed: FakeFeed = {
    calls: 0,
    script(...next) {
      queue = next;
    },
    async latest(symbol, options): Promise<PriceTick> {
      feed.calls++;
      options?.signal?.throwIfAborted();
      const answer = queue.length > 1 ? queue.shift() : queue[0];
      if (answer === undefined) throw new PriceError("no price scripted", { kind: "unreachable" });
      if (answer instanceof Error) throw answer;
      return { symbol, price: answer, receivedAt: clock.now(), source: "fake" };
    },
  };
  return feed;
}

interface RestingOrder {
  readonly intent: OrderIntent;
  remaining: string;
  filled: string;
}

export type CallRecord =
  | {
      readonly method: "placeOrder";
      readonly orderId: string;
      readonly side: string;
      readonly price: string;
    }
  | { readonly method: "cancelOrder"; readonly orderId: string }
  | { readonly method: "getOrder"; readonly orderId: string }
  | { readonly method: "getBook"; readonly book: string };

type Fault = Error | "created-then-unknown" | undefined;

export interface FakeVenue extends OrderGateway {
  readonly calls: CallRecord[];
  /** Moments in which our bid was at or above our ask (self-trade risk). */
  readonly crossings: string[];
  /** Most calls in flight at once. */
  maxInFlight: number;
  /** Every call fails with `unavailable` while true. */
  down: boolean;
  /** Called per create; an Error fails it, "created-then-unknown" rests it but fails the call. */
  onPlace?: (order: OrderIntent) => Fault;
  /** Called per cancel; an Error fails it, "canceled-then-unknown" cancels it but fails the call. */
  onCancel?: (book: string, orderId: string) => Error | "canceled-then-unknown" | undefined;
  /** Milliseconds every call takes (real timers). */
  latencyMs: number;
  live(book?: string): OrderIntent[];
  remaining(orderId: string, book?: string): string | undefined;
  /** Fills `quantity` (default all) of a resting order, as a taker would. */
  fill(orderId: string, quantity?: string, book?: string): void;
  /** A restart: every order lost; the book comes back with a new creation time, or not at all. */
  restart(options?: { readonly keepBook?: boolean }): void;
  createBook(name: string): void;
}

const unavailable = (method: string) =>
  new VenueError(`${method}: connection refused`, { kind: "unavailable", method });

export function fakeVenue(
  options: { readonly books?: readonly string[]; readonly clock?: Clock } = {},
): FakeVenue {
  let created = options.clock?.now() ?? 1_000;
  const books = new Map<string, { createdAt: number; orders: Map<string, RestingOrder> }>();
  let inFlight = 0;
  const defaultBook = options.books?.[0] ?? "test";

  const venue: FakeVenue = {
    calls: [],
    crossings: [],
    maxInFlight: 0,
    down: false,
    latencyMs: 0,
    createBook(name) {
      created += 1;
      books.set(name, { createdAt: created, orders: new Map() });
    },
    live(book = defaultBook) {
      return [...(books.get(book)?.orders.values() ?? [])].map((o) => o.intent);
    },
    remaining(orderId, book = defaultBook) {
      return books.get(book)?.orders.get(orderId)?.remaining;
    },
    fill(orderId, quantity, book = defaultBook) {
      const orders = books.get(book)?.orders;
      const order = orders?.get(orderId);
      if (!orders || !order) throw new Error(`no resting order ${orderId}`);
      const take = quantity ?? order.remaining;
      const left = sub(parseDecimal(order.remaining), parseDecimal(take));
      if (sign(left) < 0) throw new Error(`cannot fill ${take} of ${order.remaining}`);
      order.filled = show(sub(parseDecimal(order.intent.quantity), left));
      order.remaining = show(left);
      if (sign(left) === 0) orders.delete(orderId);
    },
    restart(restartOptions = {}) {
      const names = [...books.keys()];
      books.clear();
      if (restartOptions.keepBook !== false) for (const name of names) venue.createBook(name);
    },

    async placeOrder(order, callOptions): Promise<PlacedOrder> {
      venue.calls.push({
        method: "placeOrder",
        orderId: order.orderId,
        side: order.side,
        price: order.price,
      });
      return enter(callOptions?.signal, async () => {
        if (venue.down) throw unavailable("CreateOrder");
        const fault = venue.onPlace?.(order);
        if (fault instanceof Error) throw fault;
        const orders = books.get(order.book)?.orders;
        if (!orders)
          throw new VenueError(`order book ${order.book} not found`, { kind: "book-not-found" });
        if (orders.has(order.orderId)) {
          throw new VenueError(`order ${order.orderId} exists`, { kind: "already-exists" });
        }
        if (sign(parseDecimal(order.price)) <= 0 || sign(parseDecimal(order.quantity)) <= 0) {
          throw new VenueError("order creation failed: nil order", { kind: "rejected" });
        }
        for (const other of orders.values()) {
          const crossed =
            other.intent.side !== order.side &&
            (order.side === "buy"
              ? compare(parseDecimal(order.price), parseDecimal(other.intent.price)) >= 0
              : compare(parseDecimal(order.price), parseDecimal(other.intent.price)) <= 0);
          if (crossed)
            venue.crossings.push(
              `${order.orderId}@${order.price} x ${other.intent.orderId}@${other.intent.price}`,
            );
        }
        orders.set(order.orderId, { intent: order, remaining: order.quantity, filled: "0" });
        if (fault === "created-then-unknown") {
          throw new VenueError("CreateOrder: deadline exceeded", { kind: "deadline-exceeded" });
        }
        return {
          orderId: order.orderId,
          status: "open",
          filledQuantity: "0",
          remainingQuantity: order.quantity,
          alreadyPlaced: false,
        };
      });
    },

    async cancelOrder(book, orderId, callOptions): Promise<CancelOutcome> {
      venue.calls.push({ method: "cancelOrder", orderId });
      return enter(callOptions?.signal, async () => {
        if (venue.down) throw unavailable("CancelOrder");
        const fault = venue.onCancel?.(book, orderId);
        if (fault instanceof Error) throw fault;
        const orders = books.get(book)?.orders;
        if (!orders)
          throw new VenueError(`order book ${book} not found`, { kind: "book-not-found" });
        const deleted = orders.delete(orderId);
        if (fault === "canceled-then-unknown") {
          throw new VenueError("CancelOrder deadline exceeded", {
            kind: "deadline-exceeded",
            method: "CancelOrder",
          });
        }
        return deleted ? "canceled" : "already-gone";
      });
    },

    async getOrder(book, orderId, callOptions): Promise<OrderStatus> {
      venue.calls.push({ method: "getOrder", orderId });
      return enter(callOptions?.signal, async () => {
        if (venue.down) throw unavailable("GetOrder");
        const orders = books.get(book)?.orders;
        if (!orders)
          throw new VenueError(`order book ${book} not found`, { kind: "book-not-found" });
        const order = orders.get(orderId);
        return order
          ? { state: "live", filledQuantity: order.filled, remainingQuantity: order.remaining }
          : { state: "gone" };
      });
    },

    async getBook(book, callOptions): Promise<BookInfo | undefined> {
      venue.calls.push({ method: "getBook", book });
      return enter(callOptions?.signal, async () => {
        if (venue.down) throw unavailable("GetOrderBook");
        const found = books.get(book);
        return found
          ? { name: book, createdAt: found.createdAt, orderCount: found.orders.size }
          : undefined;
      });
    },
  };

  async function enter<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    inFlight++;
    venue.maxInFlight = Math.max(venue.maxInFlight, inFlight);
    try {
      if (venue.latencyMs > 0) await new Promise((r) => setTimeout(r, venue.latencyMs));
      if (signal?.aborted)
        throw new VenueError("aborted", { kind: "aborted", cause: signal.reason });
      return await run();
    } finally {
      inFlight--;
    }
  }

  for (const name of options.books ?? ["test"]) venue.createBook(name);
  return venue;
}

function show(value: ReturnType<typeof parseDecimal>): string {
  return formatDecimal(normalize(value));
}

export interface MemoryJournal extends OrderJournal {
  readonly open: Set<string>;
  readonly log: string[];
}

export function memoryJournal(): MemoryJournal {
  const journal: MemoryJournal = {
    open: new Set(),
    log: [],
    opened(order) {
      journal.open.add(order.orderId);
      journal.log.push(`opened ${order.orderId}`);
    },
    closed(_book, orderId) {
      journal.open.delete(orderId);
      journal.log.push(`closed ${orderId}`);
    },
  };
  return journal;
}

/** Polls `condition` until true or the timeout (real time); throws with `what` on timeout. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 3_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export interface PushFeed extends FakeFeed {
  /** Hands every subscriber of `symbol` a tick (receivedAt: now, unless given). */
  push(price: string, options?: { readonly receivedAt?: number; readonly symbol?: string }): void;
  /** Listeners subscribed now. */
  readonly listeners: number;
}

/** A feed that also pushes ticks (`subscribe`), as a streaming price source does. */
export function pushFeed(clock: Clock, ...answers: (string | Error)[]): PushFeed {
  const base = fakeFeed(clock, ...answers);
  const subscribers = new Set<{ symbol: string; listener: (tick: PriceTick) => void }>();
  const feed: PushFeed = Object.assign(base, {
    subscribe(symbol: string, listener: (tick: PriceTick) => void) {
      const entry = { symbol, listener };
      subscribers.add(entry);
      return () => void subscribers.delete(entry);
    },
    push(price: string, options: { receivedAt?: number; symbol?: string } = {}) {
      const symbol = options.symbol ?? "BTC-USDT";
      const tick: PriceTick = {
        symbol,
        price,
        receivedAt: options.receivedAt ?? clock.now(),
        source: "push",
      };
      for (const s of [...subscribers]) if (s.symbol === symbol) s.listener(tick);
    },
    get listeners() {
      return subscribers.size;
    },
  });
  return feed;
}

/** The seed's worked example ladder (3 levels, spread 0.1 %, step 0.05 %, tick 0.01). */
export const SEED_LADDER = {
  levels: 3,
  baseSpreadPercent: "0.1",
  priceStepPercent: "0.05",
  orderSize: "0.01",
  priceTick: "0.01",
  qtyStep: "0.001",
} as const;

/**
 * The seed's market maker (BTC-USDT, `SEED_LADDER`, id mm-01) over a fake venue and journal,
 * with every event it emits: what most loop tests start from.
 */
export function seedMarketMaker(
  feed: PriceFeed,
  clock: Clock,
  overrides: Partial<MarketMakerOptions> = {},
) {
  const venue = fakeVenue({ books: ["BTC-USDT"] });
  const journal = memoryJournal();
  const events: MarketMakerEvent[] = [];
  const mm = createMarketMaker({
    symbol: "BTC-USDT",
    book: "BTC-USDT",
    marketMakerId: "mm-01",
    ladder: SEED_LADDER,
    feed,
    gateway: venue,
    journal,
    clock,
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  return { mm, venue, journal, events };
}

export interface FakeFillFeed extends FillFeed {
  /** Hands a fill to the subscribers of `symbol` (default BTC-USDT). */
  push(fill: Omit<TradeFill, "receivedAt"> & { receivedAt?: number }, symbol?: string): void;
  /** What `live()` answers. */
  isLive: boolean;
}

/** A trade stream we drive by hand (as the runner's Kafka consumer would). */
export function fakeFillFeed(clock: Clock): FakeFillFeed {
  const subscribers = new Set<{ symbol: string; listener: (fill: TradeFill) => void }>();
  return {
    isLive: true,
    live() {
      return this.isLive;
    },
    subscribe(symbol, listener) {
      const entry = { symbol, listener };
      subscribers.add(entry);
      return () => void subscribers.delete(entry);
    },
    push(fill, symbol = "BTC-USDT") {
      const full = { receivedAt: clock.now(), ...fill };
      for (const s of [...subscribers]) if (s.symbol === symbol) s.listener(full);
    },
  };
}
