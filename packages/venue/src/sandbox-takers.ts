/**
 * The sandbox's other side of the market: a small, seeded flow of taker orders that trade
 * against whatever rests on a book around a reference price, so a market maker running on
 * the embedded venue sees fills, a position and P&L within a minute. Each order is an
 * ordinary CreateOrder over gRPC (limit, IOC: it trades at once or not at all, and never
 * rests), from its own user address, exactly as another trader's would be.
 */
import {
  OrderBookServiceDefinition,
  OrderSide,
  OrderType,
  TimeInForce,
} from "@matchingo-mm/grpc-client/proto";
import { createChannel, createClient } from "nice-grpc";
import { FIXED_SCALE, type Fixed, formatFixed, parseFixed } from "./fixed-point.ts";

export interface TakerBook {
  /** The venue's book to trade on. */
  readonly book: string;
  /** The reference price now (e.g. the synthetic feed's), or undefined while none is known. */
  readonly price: () => string | undefined;
  /** A typical order size: each taker order is 0.3 to 1.5 times it. */
  readonly size: string;
  /**
   * How far from the price a taker is willing to go, in percent: its limit is the price
   * plus (buy) or minus (sell) a uniform fraction of this. Set it past the makers' first
   * level and some orders trade, some do not, some sweep several levels.
   */
  readonly reachPercent: string;
}

export interface TakerFlowOptions {
  /** The venue's "host:port". */
  readonly address: string;
  readonly books: readonly TakerBook[];
  /** Same seed, same sequence of sides, sizes, reaches and waits. */
  readonly seed: number;
  /** Mean wait between two orders of a book, ms (each wait is 0.4 to 1.6 times it). Default 2500. */
  readonly meanIntervalMs?: number;
  /** Default "sandbox-taker". */
  readonly userAddress?: string;
  /**
   * Resting orders a side from another trader (`sandbox-maker`), kept beyond the takers'
   * reach (1.6 to 2.8 reaches from the price) and moved with the price at each taker
   * order, so the book holds someone else's liquidity besides the market maker's.
   * Default 0.
   */
  readonly restingPerSide?: number;
  /** Hears each order sent and what it traded (for a debug log line). */
  readonly onOrder?: (order: TakerOrder) => void;
  /** Hears a CreateOrder that failed (the venue closing, a missing book); the flow goes on. */
  readonly onError?: (error: unknown, book: string) => void;
}

export interface TakerOrder {
  readonly book: string;
  readonly orderId: string;
  readonly side: "buy" | "sell";
  readonly price: string;
  readonly quantity: string;
  readonly filled: string;
}

export interface TakerFlow {
  /** Orders sent so far, over every book. */
  readonly sent: number;
  /** Stops sending; resolves once the order in flight (if any) is answered. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_MEAN_INTERVAL_MS = 2500;

/** Starts the taker flow on every book; each book waits, then sends, on its own timer. */
export function startTakerFlow(options: TakerFlowOptions): TakerFlow {
  const channel = createChannel(options.address);
  const client = createClient(OrderBookServiceDefinition, channel);
  const random = seededRandom(options.seed);
  const meanMs = options.meanIntervalMs ?? DEFAULT_MEAN_INTERVAL_MS;
  const userAddress = options.userAddress ?? "sandbox-taker";
  const makerAddress = `${userAddress.replace(/-taker$/, "")}-maker`;
  let restingSeq = 0;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  /** Per book: what the takers bought minus sold; the side leans against it. */
  const net = new Map<string, Fixed>();
  let stopped = false;
  let sent = 0;
  const restingPerSide = options.restingPerSide ?? 0;
  /** Per book: the resting orders of the other trader, replaced at each taker order. */
  const resting = new Map<string, string[]>();

  const schedule = (book: TakerBook) => {
    if (stopped) return;
    const wait = Math.round(meanMs * (0.4 + 1.2 * random()));
    const timer = setTimeout(() => {
      timers.delete(timer);
      const sending = send(book).finally(() => {
        inFlight.delete(sending);
        schedule(book);
      });
      inFlight.add(sending);
    }, wait);
    timers.add(timer);
  };

  /** The other trader's resting orders of a book, cancelled and placed again around `price`. */
  async function moveResting(book: TakerBook, price: Fixed): Promise<void> {
    const old = resting.get(book.book) ?? [];
    resting.set(book.book, []);
    await Promise.allSettled(
      old.map((orderId) => client.cancelOrder({ orderBookName: book.book, orderId })),
    );
    if (stopped) return;
    const reach = parseFixed(book.reachPercent);
    const size = parseFixed(book.size);
    const placed: string[] = [];
    for (let level = 0; level < restingPerSide; level++) {
      for (const side of ["buy", "sell"] as const) {
        // 1.6, 2.2, 2.8 ... reaches out: past every taker's limit.
        const away = (price * reach * BigInt(1600 + 600 * level)) / (100n * FIXED_SCALE * 1000n);
        const limit = side === "buy" ? price - away : price + away;
        const quantity = size * BigInt(1 + Math.floor(random() * 3));
        if (limit <= 0n || quantity <= 0n) continue;
        const orderId = `${makerAddress}-${Date.now()}-${++restingSeq}`;
        try {
          await client.createOrder({
            orderBookName: book.book,
            orderId,
            side: side === "buy" ? OrderSide.BUY : OrderSide.SELL,
            quantity: formatFixed(quantity),
            price: formatFixed(limit),
            orderType: OrderType.LIMIT,
            timeInForce: TimeInForce.GTC,
            stopPrice: "",
            ocoId: "",
            userAddress: makerAddress,
          });
          placed.push(orderId);
        } catch (error) {
          if (!stopped) options.onError?.(error, book.book);
        }
      }
    }
    resting.set(book.book, placed);
  }

  async function send(book: TakerBook): Promise<void> {
    const priceText = book.price();
    if (priceText === undefined || stopped) return;
    if (restingPerSide > 0) {
      try {
        await moveResting(book, parseFixed(priceText));
      } catch (error) {
        options.onError?.(error, book.book);
      }
    }
    if (stopped) return;
    const planned = planTakerOrder(book, priceText, net.get(book.book) ?? 0n, random);
    if (planned === undefined) return;
    sent++;
    const orderId = `${userAddress}-${Date.now()}-${sent}`;
    try {
      const response = await client.createOrder({
        orderBookName: book.book,
        orderId,
        side: planned.side === "buy" ? OrderSide.BUY : OrderSide.SELL,
        quantity: formatFixed(planned.quantity),
        price: formatFixed(planned.price),
        orderType: OrderType.LIMIT,
        timeInForce: TimeInForce.IOC,
        stopPrice: "",
        ocoId: "",
        userAddress,
      });
      const filled = parseFixed(response.filledQuantity || "0");
      const signed = planned.side === "buy" ? filled : -filled;
      net.set(book.book, (net.get(book.book) ?? 0n) + signed);
      options.onOrder?.({
        book: book.book,
        orderId,
        side: planned.side,
        price: formatFixed(planned.price),
        quantity: formatFixed(planned.quantity),
        filled: formatFixed(filled),
      });
    } catch (error) {
      if (!stopped) options.onError?.(error, book.book);
    }
  }

  for (const book of options.books) schedule(book);

  let stopping: Promise<void> | undefined;
  return {
    get sent() {
      return sent;
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        await Promise.allSettled([...inFlight]);
        // The other trader leaves nothing behind on a venue that outlives the flow.
        await Promise.allSettled(
          [...resting].flatMap(([orderBookName, ids]) =>
            ids.map((orderId) => client.cancelOrder({ orderBookName, orderId })),
          ),
        );
        resting.clear();
        channel.close();
      })();
      return stopping;
    },
  };
}

export interface PlannedTakerOrder {
  readonly side: "buy" | "sell";
  /** Thousandths, as the venue counts. */
  readonly price: Fixed;
  readonly quantity: Fixed;
}

/**
 * One taker order at `priceText`: the side leans against the takers' net (so the makers'
 * position wanders around zero instead of drifting away), the limit is a uniform part of
 * the reach away from the price, the size 0.3 to 1.5 times the book's. Exact: thousandths
 * in bigints, a buy's limit rounded down and a sell's up. Undefined for a price or size the
 * venue cannot take.
 */
export function planTakerOrder(
  book: Pick<TakerBook, "size" | "reachPercent">,
  priceText: string,
  net: Fixed,
  random: () => number,
): PlannedTakerOrder | undefined {
  let price: Fixed;
  let size: Fixed;
  let reach: Fixed;
  try {
    price = parseFixed(priceText);
    size = parseFixed(book.size);
    reach = parseFixed(book.reachPercent);
  } catch {
    return undefined;
  }
  if (price <= 0n || size <= 0n || reach < 0n) return undefined;
  // Up to ±0.4 of leaning at a net of four orders' size.
  const lean = Math.max(-0.4, Math.min(0.4, (Number(net) / Number(size * 4n)) * 0.4));
  const side = random() < 0.5 - lean ? "buy" : "sell";
  // offset = price × reach% × u, u in [0, 1] in thousandths: all integer arithmetic.
  const u = BigInt(Math.floor(random() * 1001));
  const offset = (price * reach * u) / (100n * FIXED_SCALE * 1000n);
  const limit = side === "buy" ? price + offset : price - offset;
  const factor = BigInt(300 + Math.floor(random() * 1201)); // 0.300 to 1.500
  const quantity = (size * factor) / 1000n;
  if (limit <= 0n || quantity <= 0n) return undefined;
  return { side, price: limit, quantity };
}

/** mulberry32: a small, fast, seedable generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
