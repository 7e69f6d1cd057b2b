/**
 * Orders per second for a mixed create/cancel flow, shaped like market makers requoting:
 * a deep book (thousands of resting orders over hundreds of levels, held at that depth), GTC
 * limits, cancels of random live orders, and some crossing IOC orders.
 *
 *   1. the in-process book (sorted levels + FIFO lists + id index)
 *   2. a naive book in the same process (re-sorts a side on every insert) for a ratio
 *   3. the whole venue over gRPC on loopback, several clients with calls in flight
 *
 * Bounded in time: each phase runs for a fixed wall-clock budget (about 15 s in all; BENCH_PHASE_MS sets it).
 */
import { performance } from "node:perf_hooks";
import { OrderSide, OrderType, TimeInForce } from "@matchingo-mm/grpc-client/proto";
import { ClientError, createChannel, Status } from "nice-grpc";
import { type IncomingOrder, OrderBook } from "../src/book.ts";
import { formatFixed } from "../src/fixed-point.ts";
import { startVenue } from "../src/index.ts";
import { connect } from "../test/helpers.ts";
import { NaiveBook } from "./naive-book.ts";

const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 3000);
const PREFILL_PER_SIDE = 2000;
const MID = 100_000n; // 100.000

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Operation = { kind: "create"; order: IncomingOrder } | { kind: "cancel"; id: string };

/** Generates the flow; `live` is the set of ids the book under test says are resting. */
function flow(seed: number) {
  const next = random(seed);
  let sequence = 0;
  const restingOrder = (side: "buy" | "sell"): IncomingOrder => {
    // 300 levels a side, 1 tick = 0.010, never crossing: bids below MID, asks above.
    const ticks = BigInt(1 + Math.floor(next() * 300)) * 10n;
    return {
      id: `o${sequence++}`,
      side,
      kind: "limit",
      timeInForce: "GTC",
      price: side === "buy" ? MID - ticks : MID + ticks,
      quantity: BigInt(1 + Math.floor(next() * 1000)),
      userAddress: side === "buy" ? "mm-bid" : "mm-ask",
    };
  };
  return {
    prefill(): IncomingOrder[] {
      const orders: IncomingOrder[] = [];
      for (let i = 0; i < PREFILL_PER_SIDE; i++)
        orders.push(restingOrder("buy"), restingOrder("sell"));
      return orders;
    },
    next(live: readonly string[]): Operation {
      const roll = next();
      // Steer the depth back to its starting size, so both books are measured at the same depth.
      const cancelShare = live.length > 2 * PREFILL_PER_SIDE ? 0.55 : 0.35;
      if (roll < cancelShare && live.length > 0) {
        return { kind: "cancel", id: live[Math.floor(next() * live.length)]! };
      }
      if (roll < 0.9) return { kind: "create", order: restingOrder(next() < 0.5 ? "buy" : "sell") };
      const side = next() < 0.5 ? "buy" : "sell";
      return {
        kind: "create",
        order: {
          id: `o${sequence++}`,
          side,
          kind: "limit",
          timeInForce: "IOC",
          price: side === "buy" ? MID + 50n : MID - 50n,
          quantity: BigInt(1 + Math.floor(next() * 3000)),
          userAddress: "taker",
        },
      };
    },
  };
}

interface InProcessBook {
  submit(order: IncomingOrder): boolean; // true when it rests
  cancel(id: string): boolean;
}

/** Live ids with O(1) add and random removal (swap with last). */
class LiveIds {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  add(id: string) {
    this.index.set(id, this.ids.length);
    this.ids.push(id);
  }
  delete(id: string) {
    const at = this.index.get(id);
    if (at === undefined) return;
    const last = this.ids.pop()!;
    this.index.delete(id);
    if (last !== id) {
      this.ids[at] = last;
      this.index.set(last, at);
    }
  }
}

function runInProcess(name: string, book: InProcessBook): number {
  const generator = flow(42);
  const live = new LiveIds();
  for (const order of generator.prefill()) if (book.submit(order)) live.add(order.id);
  let operations = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < PHASE_MS) {
    for (let i = 0; i < 256; i++) {
      const operation = generator.next(live.ids);
      if (operation.kind === "cancel") {
        book.cancel(operation.id);
        live.delete(operation.id);
      } else if (book.submit(operation.order)) {
        live.add(operation.order.id);
      }
      operations++;
    }
    elapsed = performance.now() - started;
  }
  const rate = (operations / elapsed) * 1000;
  console.log(
    `${name.padEnd(34)} ${format(rate)} orders/s  (${operations} ops, ${live.ids.length} resting)`,
  );
  return rate;
}

function indexedBook(): InProcessBook {
  const book = new OrderBook("bench", new Date());
  const now = new Date();
  // Makers that a crossing order fills vanish from the book; the flow's live list learns of it
  // lazily, through a cancel that finds nothing, exactly as it would for the naive book.
  return {
    submit: (order) => book.submit(order, now).resting !== undefined,
    cancel: (id) => book.cancel(id) !== undefined,
  };
}

function naiveBook(): InProcessBook {
  const book = new NaiveBook();
  return { submit: (order) => book.submit(order).rested, cancel: (id) => book.cancel(id) };
}

async function runGrpc(clients: number, inFlightPerClient: number): Promise<number> {
  const venue = await startVenue();
  const channels = Array.from({ length: clients }, () => createChannel(venue.address));
  let operations = 0;
  let notFound = 0;
  const deadline = performance.now() + PHASE_MS;
  const worker = async (client: ReturnType<typeof connect>, name: string, seed: number) => {
    const next = random(seed);
    const mine: string[] = [];
    let sequence = 0;
    while (performance.now() < deadline) {
      if (mine.length > 50 && next() < 0.5) {
        const at = Math.floor(next() * mine.length);
        const id = mine[at]!;
        mine[at] = mine[mine.length - 1]!;
        mine.pop();
        try {
          await client.cancelOrder({ orderBookName: "test", orderId: id });
        } catch (error) {
          if (!(error instanceof ClientError) || error.code !== Status.NOT_FOUND) throw error;
          notFound++;
        }
      } else {
        const buy = next() < 0.5;
        const ticks = BigInt(Math.floor(next() * 300) - 20) * 10n; // a few cross
        const id = `${name}-${sequence++}`;
        await client.createOrder({
          orderBookName: "test",
          orderId: id,
          side: buy ? OrderSide.BUY : OrderSide.SELL,
          orderType: OrderType.LIMIT,
          timeInForce: TimeInForce.GTC,
          price: formatFixed(buy ? MID - ticks : MID + ticks),
          quantity: formatFixed(BigInt(1 + Math.floor(next() * 1000))),
          userAddress: name,
        });
        mine.push(id);
      }
      operations++;
    }
  };
  const started = performance.now();
  await Promise.all(
    channels.flatMap((channel, c) =>
      Array.from({ length: inFlightPerClient }, (_, w) =>
        worker(connect(channel), `c${c}w${w}`, c * 1000 + w),
      ),
    ),
  );
  const elapsed = performance.now() - started;
  const rate = (operations / elapsed) * 1000;
  const label = `gRPC loopback, ${clients}×${inFlightPerClient} in flight`;
  console.log(
    `${label.padEnd(34)} ${format(rate)} orders/s  (${operations} rpcs, ${venue.liveOrders().length} resting, ${venue.trades().length} trades, ${notFound} cancels already gone)`,
  );
  for (const channel of channels) channel.close();
  await venue.close();
  return rate;
}

function format(rate: number): string {
  return Math.round(rate).toLocaleString("en-US").padStart(10);
}

console.log(
  `venue benchmark: ${PREFILL_PER_SIDE} resting orders a side to start, cancels of random live orders (depth held near the start), ~10% crossing IOC, ${PHASE_MS} ms per phase\n`,
);
const indexed = runInProcess("in-process book (levels + index)", indexedBook());
const naive = runInProcess("naive book (re-sort per insert)", naiveBook());
console.log(`${"".padEnd(34)} ${(indexed / naive).toFixed(1).padStart(10)}× faster than naive\n`);
await runGrpc(1, 1);
await runGrpc(4, 16);
