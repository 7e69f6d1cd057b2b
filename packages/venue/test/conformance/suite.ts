/**
 * One set of checks of what a Matchingo client can observe, run against the embedded venue and
 * against the real Go server deployed with its Kafka broker (`real-matchingo.test.ts`), plus
 * the trade stall each shows without one (the real server's own, the embedded venue's on request).
 * Each check works in a book of its own, so the checks do not see each other's orders. The
 * real server is the reference: a check that it fails is a wrong check, one that only the
 * embedded venue fails is a difference to fix there (or to list in the venue README).
 */
import {
  createMatchingoClient,
  type DeadlineCallOptions,
  deadlineMiddleware,
} from "@matchingo-mm/grpc-client";
import {
  type CreateOrderRequest,
  type DeepPartial,
  type OrderBookServiceClient,
  OrderBookServiceDefinition,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from "@matchingo-mm/grpc-client/proto";
import { type Channel, ClientError, createChannel, createClientFactory, Status } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

export interface ConformanceVenue {
  /** host:port of a Matchingo-speaking server that has just started. */
  readonly address: string;
  close(): Promise<void>;
}

export interface StallOptions {
  /** A deadline shorter than the venue's first-trade stall. */
  readonly stallDeadlineMs: number;
  /** How long the first trade may take to come back (the real server: about 24 s). */
  readonly stallBudgetMs: number;
}

type Client = OrderBookServiceClient<DeadlineCallOptions>;

interface Context {
  readonly client: Client;
  /** host:port, for a client of our own. */
  readonly address: string;
  /** A fresh MEMORY book with a name nobody else uses. */
  book(): Promise<string>;
}

interface Check {
  readonly name: string;
  readonly run: (context: Context) => Promise<void>;
}

let bookCounter = 0;

function limit(
  book: string,
  orderId: string,
  side: "buy" | "sell",
  price: string,
  quantity: string,
  extra: DeepPartial<CreateOrderRequest> = {},
): DeepPartial<CreateOrderRequest> {
  return {
    orderBookName: book,
    orderId,
    side: side === "buy" ? OrderSide.BUY : OrderSide.SELL,
    price,
    quantity,
    orderType: OrderType.LIMIT,
    timeInForce: TimeInForce.GTC,
    userAddress: `user-${orderId}`,
    ...extra,
  };
}

async function rejected(call: Promise<unknown>): Promise<ClientError> {
  const outcome = await call.then(
    (value) => new Error(`expected an error status, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
  if (!(outcome instanceof ClientError)) throw outcome;
  return outcome;
}

async function expectStatus(call: Promise<unknown>, code: Status, details?: RegExp) {
  const error = await rejected(call);
  expect({ code: Status[error.code], details: error.details }).toMatchObject({
    code: Status[code],
    ...(details ? { details: expect.stringMatching(details) } : {}),
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Every check, in the order they run. Exported so a skipped venue can say how many. */
export const CHECKS: readonly Check[] = [
  {
    name: "books: `test` exists, create/get/list/delete, ALREADY_EXISTS and NOT_FOUND",
    async run({ client }) {
      const listed = await client.listOrderBooks({});
      expect(listed.orderBooks.map((book) => book.name)).toContain("test");
      const name = `books-${++bookCounter}`;
      const created = await client.createOrderBook({ name });
      expect(created).toMatchObject({ name, backendType: 0 });
      expect(created.createdAt).toBeInstanceOf(Date);
      await expectStatus(client.createOrderBook({ name }), Status.ALREADY_EXISTS, /already exists/);
      expect(await client.getOrderBook({ name })).toMatchObject({ name });
      const all = await client.listOrderBooks({ limit: 0, offset: 0 });
      expect(all.total).toBe(all.orderBooks.length);
      expect(all.orderBooks.map((book) => book.name)).toEqual(
        expect.arrayContaining(["test", name]),
      );
      expect(await client.listOrderBooks({ limit: 1, offset: 0 })).toMatchObject({
        orderBooks: [expect.anything()],
        total: all.total,
      });
      expect((await client.listOrderBooks({ offset: all.total })).orderBooks).toEqual([]);
      expect(await client.deleteOrderBook({ name })).toEqual({});
      await expectStatus(client.getOrderBook({ name }), Status.NOT_FOUND, /not found/);
      await expectStatus(client.deleteOrderBook({ name }), Status.NOT_FOUND, /not found/);
    },
  },
  {
    name: "every order call on a missing book: NOT_FOUND `order book X not found`",
    async run({ client }) {
      const missing = "no-such-book";
      const message = /^order book no-such-book not found$/;
      await expectStatus(
        client.createOrder(limit(missing, "x", "buy", "1", "1")),
        Status.NOT_FOUND,
        message,
      );
      await expectStatus(
        client.getOrder({ orderBookName: missing, orderId: "x" }),
        Status.NOT_FOUND,
        message,
      );
      await expectStatus(
        client.cancelOrder({ orderBookName: missing, orderId: "x" }),
        Status.NOT_FOUND,
        message,
      );
      await expectStatus(client.getOrderBookState({ name: missing }), Status.NOT_FOUND, message);
    },
  },
  {
    name: "CreateOrder echoes quantity and price as sent; the rest in three decimals; fills[0] is the order itself",
    async run({ client, book }) {
      const name = await book();
      const response = await client.createOrder(limit(name, "echo", "buy", "100.50", "1.0"));
      expect(response).toMatchObject({
        orderId: "echo",
        orderBookName: name,
        side: OrderSide.BUY,
        quantity: "1.0",
        price: "100.50",
        orderType: OrderType.LIMIT,
        timeInForce: TimeInForce.GTC,
        status: OrderStatus.OPEN,
        filledQuantity: "0",
        remainingQuantity: "1.000",
        userAddress: "",
      });
      expect(response.fills.map(({ price, quantity }) => ({ price, quantity }))).toEqual([
        { price: "100.500", quantity: "0" },
      ]);
    },
  },
  {
    name: "GetOrder: live orders only, three decimals, no fills, no user_address, created_at is the call's time",
    async run({ client, book }) {
      const name = await book();
      const placed = await client.createOrder(
        limit(name, "live", "sell", "101.5", "2", { timeInForce: TimeInForce.GTC }),
      );
      const placedAt = placed.createdAt?.getTime() ?? 0;
      await until(() => Date.now() > placedAt + 20);
      const asked = Date.now();
      const order = await client.getOrder({ orderBookName: name, orderId: "live" });
      expect(order).toMatchObject({
        orderId: "live",
        orderBookName: name,
        side: OrderSide.SELL,
        quantity: "2.000",
        price: "101.500",
        orderType: OrderType.LIMIT,
        timeInForce: TimeInForce.GTC,
        status: OrderStatus.OPEN,
        filledQuantity: "0",
        remainingQuantity: "2.000",
        fills: [],
        userAddress: "",
      });
      expect(order.createdAt?.getTime()).toBeGreaterThanOrEqual(asked);
    },
  },
  {
    name: "a partial fill: trades at the resting price, GetOrder shows what is left, fills count twice",
    async run({ client, book }) {
      const name = await book();
      await client.createOrder(limit(name, "maker", "sell", "100", "3"));
      const taker = await client.createOrder(limit(name, "taker", "buy", "100.7", "1"));
      expect(taker).toMatchObject({
        status: OrderStatus.FILLED,
        filledQuantity: "1.000",
        remainingQuantity: "0",
      });
      expect(taker.fills.map(({ price, quantity }) => ({ price, quantity }))).toEqual([
        { price: "100.700", quantity: "1.000" },
        { price: "100.000", quantity: "1.000" },
      ]);
      expect(await client.getOrder({ orderBookName: name, orderId: "maker" })).toMatchObject({
        status: OrderStatus.PARTIALLY_FILLED,
        quantity: "3.000",
        filledQuantity: "1.000",
        remainingQuantity: "2.000",
      });
      await expectStatus(
        client.getOrder({ orderBookName: name, orderId: "taker" }),
        Status.NOT_FOUND,
        /^order taker not found$/,
      );

      const sweep = await client.createOrder(limit(name, "sweep", "buy", "100", "5"));
      expect(sweep).toMatchObject({
        status: OrderStatus.PARTIALLY_FILLED,
        filledQuantity: "2.000",
        remainingQuantity: "3.000",
      });
      // Filled: gone, exactly like an id never seen.
      await expectStatus(
        client.getOrder({ orderBookName: name, orderId: "maker" }),
        Status.NOT_FOUND,
        /^order maker not found$/,
      );
      expect(await client.getOrder({ orderBookName: name, orderId: "sweep" })).toMatchObject({
        status: OrderStatus.PARTIALLY_FILLED,
        filledQuantity: "2.000",
        remainingQuantity: "3.000",
      });
    },
  },
  {
    name: "CancelOrder: Empty, then NOT_FOUND; GetOrder NOT_FOUND; the id may be used again",
    async run({ client, book }) {
      const name = await book();
      await client.createOrder(limit(name, "c1", "buy", "99", "1"));
      expect(await client.cancelOrder({ orderBookName: name, orderId: "c1" })).toEqual({});
      await expectStatus(
        client.cancelOrder({ orderBookName: name, orderId: "c1" }),
        Status.NOT_FOUND,
        /^order c1 not found$/,
      );
      await expectStatus(
        client.getOrder({ orderBookName: name, orderId: "c1" }),
        Status.NOT_FOUND,
        /^order c1 not found$/,
      );
      await expectStatus(
        client.cancelOrder({ orderBookName: name, orderId: "never" }),
        Status.NOT_FOUND,
      );
      await client.createOrder(limit(name, "c1", "buy", "98", "1"));
      expect(await client.getOrder({ orderBookName: name, orderId: "c1" })).toMatchObject({
        price: "98.000",
      });
    },
  },
  {
    name: "a live id: ALREADY_EXISTS, and the live order is untouched",
    async run({ client, book }) {
      const name = await book();
      await client.createOrder(limit(name, "dup", "buy", "99", "1"));
      await expectStatus(
        client.createOrder(limit(name, "dup", "buy", "97", "4")),
        Status.ALREADY_EXISTS,
        /^order with ID dup already exists$/,
      );
      expect(await client.getOrder({ orderBookName: name, orderId: "dup" })).toMatchObject({
        price: "99.000",
        remainingQuantity: "1.000",
      });
    },
  },
  {
    name: "bad numbers: unparsable → INVALID_ARGUMENT; zero/negative limit → INTERNAL nil order; zero market → INVALID_ARGUMENT",
    async run({ client, book }) {
      const name = await book();
      await expectStatus(
        client.createOrder(limit(name, "q", "buy", "1", "abc")),
        Status.INVALID_ARGUMENT,
      );
      await expectStatus(
        client.createOrder(limit(name, "p", "buy", "1,5", "1")),
        Status.INVALID_ARGUMENT,
      );
      await expectStatus(
        client.createOrder(limit(name, "e", "buy", "1", "")),
        Status.INVALID_ARGUMENT,
      );
      for (const [id, price, quantity] of [
        ["zq", "1", "0"],
        ["tq", "1", "0.0004"],
        ["nq", "1", "-1"],
        ["zp", "0", "1"],
        ["np", "-2", "1"],
      ] as const) {
        await expectStatus(
          client.createOrder(limit(name, id, "buy", price, quantity)),
          Status.INTERNAL,
          /^order creation failed: nil order$/,
        );
      }
      await expectStatus(
        client.createOrder({
          orderBookName: name,
          orderId: "m0",
          side: OrderSide.BUY,
          quantity: "0",
          orderType: OrderType.MARKET,
        }),
        Status.INVALID_ARGUMENT,
      );
      expect(await client.getOrderBookState({ name })).toMatchObject({ bids: [], asks: [] });
    },
  },
  {
    name: "parsing stops after the third fractional digit, ignoring whatever follows",
    async run({ client, book }) {
      const name = await book();
      const response = await client.createOrder(limit(name, "t1", "buy", "100.0129", "1.2345xyz"));
      expect(response).toMatchObject({
        quantity: "1.2345xyz",
        price: "100.0129",
        remainingQuantity: "1.234",
      });
      expect(await client.getOrder({ orderBookName: name, orderId: "t1" })).toMatchObject({
        quantity: "1.234",
        price: "100.012",
      });
      const state = await client.getOrderBookState({ name });
      expect(state.bids.map((level) => [level.price, level.totalQuantity])).toEqual([
        ["100.012", "1.234"],
      ]);
    },
  },
  {
    name: "killed IOC and FOK come back OPEN and do not rest; a FOK that can fill does",
    async run({ client, book }) {
      const name = await book();
      const ioc = await client.createOrder(
        limit(name, "ioc", "buy", "50", "1", { timeInForce: TimeInForce.IOC }),
      );
      expect(ioc).toMatchObject({ status: OrderStatus.OPEN, filledQuantity: "0" });
      await expectStatus(
        client.getOrder({ orderBookName: name, orderId: "ioc" }),
        Status.NOT_FOUND,
      );

      await client.createOrder(limit(name, "ask", "sell", "60", "1"));
      const fok = await client.createOrder(
        limit(name, "fok", "buy", "60", "2", { timeInForce: TimeInForce.FOK }),
      );
      expect(fok).toMatchObject({ status: OrderStatus.OPEN, filledQuantity: "0" });
      await expectStatus(
        client.getOrder({ orderBookName: name, orderId: "fok" }),
        Status.NOT_FOUND,
      );
      expect(await client.getOrder({ orderBookName: name, orderId: "ask" })).toMatchObject({
        remainingQuantity: "1.000",
      });

      const iocPart = await client.createOrder(
        limit(name, "ioc2", "buy", "61", "3", { timeInForce: TimeInForce.IOC }),
      );
      expect(iocPart).toMatchObject({
        status: OrderStatus.PARTIALLY_FILLED,
        filledQuantity: "1.000",
      });
      await expectStatus(
        client.getOrder({ orderBookName: name, orderId: "ioc2" }),
        Status.NOT_FOUND,
      );
      await client.createOrder(limit(name, "ask2", "sell", "62", "2"));
      const fokAll = await client.createOrder(
        limit(name, "fok2", "buy", "62", "2", { timeInForce: TimeInForce.FOK }),
      );
      expect(fokAll).toMatchObject({ status: OrderStatus.FILLED, filledQuantity: "2.000" });
      expect(await client.getOrderBookState({ name })).toMatchObject({ bids: [], asks: [] });
    },
  },
  {
    name: "no self-trade prevention: one user's crossing orders trade with each other",
    async run({ client, book }) {
      const name = await book();
      const me = { userAddress: "same-user" };
      await client.createOrder(limit(name, "s-ask", "sell", "10", "1", me));
      const bid = await client.createOrder(limit(name, "s-bid", "buy", "10", "1", me));
      expect(bid).toMatchObject({ status: OrderStatus.FILLED, filledQuantity: "1.000" });
      expect(await client.getOrderBookState({ name })).toMatchObject({ bids: [], asks: [] });
    },
  },
  {
    name: "GetOrderBookState: best first on each side, totals and counts per level, depth ≤ 0 is 10",
    async run({ client, book }) {
      const name = await book();
      for (let i = 1; i <= 12; i++) {
        await client.createOrder(limit(name, `b${i}`, "buy", String(100 - i), "1"));
        await client.createOrder(limit(name, `a${i}`, "sell", String(100 + i), "0.5"));
      }
      await client.createOrder(limit(name, "b1x", "buy", "99", "2.25"));
      const state = await client.getOrderBookState({ name, depth: 0 });
      expect(state.name).toBe(name);
      expect(state.timestamp).toBeInstanceOf(Date);
      expect(state.bids.map((level) => level.price)).toEqual(
        Array.from({ length: 10 }, (_, i) => `${99 - i}.000`),
      );
      expect(state.asks.map((level) => level.price)).toEqual(
        Array.from({ length: 10 }, (_, i) => `${101 + i}.000`),
      );
      expect(state.bids[0]).toMatchObject({ totalQuantity: "3.250", orderCount: 2 });
      expect(state.bids[1]).toMatchObject({
        totalQuantity: "1.000",
        orderCount: 1,
        userAddress: "user-b2",
      });
      expect(state.asks[0]).toMatchObject({
        totalQuantity: "0.500",
        orderCount: 1,
        userAddress: "user-a1",
      });
      const shallow = await client.getOrderBookState({ name, depth: 2 });
      expect([shallow.bids.length, shallow.asks.length]).toEqual([2, 2]);
    },
  },
  {
    name: "no time priority is promised inside a level: exactly one of two equal makers trades",
    async run({ client, book }) {
      const name = await book();
      await client.createOrder(limit(name, "first", "sell", "20", "1"));
      await client.createOrder(limit(name, "second", "sell", "20", "1"));
      await client.createOrder(limit(name, "hit", "buy", "20", "1"));
      const left = await Promise.all(
        ["first", "second"].map((orderId) =>
          client.getOrder({ orderBookName: name, orderId }).then(
            () => orderId,
            () => undefined,
          ),
        ),
      );
      // Which one is left is the server's choice (a Go map on the real one).
      expect(left.filter(Boolean)).toHaveLength(1);
      const state = await client.getOrderBookState({ name });
      expect(state.asks).toEqual([expect.objectContaining({ price: "20.000", orderCount: 1 })]);
    },
  },
  {
    name: "concurrent non-crossing creates all land",
    async run({ client, book }) {
      const name = await book();
      const sides = Array.from({ length: 40 }, (_, i) => i);
      await Promise.all(
        sides.map((i) =>
          client.createOrder(
            i % 2 === 0
              ? limit(name, `cb${i}`, "buy", `${500 - (i % 5)}`, "0.1")
              : limit(name, `ca${i}`, "sell", `${600 + (i % 5)}`, "0.1"),
          ),
        ),
      );
      const state = await client.getOrderBookState({ name });
      const count = (levels: typeof state.bids) =>
        levels.reduce((sum, level) => sum + level.orderCount, 0);
      expect([count(state.bids), count(state.asks)]).toEqual([20, 20]);
      expect(state.bids.map((level) => level.totalQuantity)).toEqual(Array(5).fill("0.400"));
    },
  },
  {
    name: "our grpc-client: typed answers, finer numbers refused unsent, outcomes and error kinds",
    async run({ address, book, client }) {
      const name = await book();
      const mm = createMatchingoClient({ address, userAddress: "mm-conf" });
      try {
        expect((await mm.ensureOrderBook(name)).created).toBe(false);
        expect((await mm.ensureOrderBook(`${name}-new`)).created).toBe(true);
        const bid = {
          book: name,
          orderId: "c-1",
          side: "buy" as const,
          price: "100.5",
          quantity: "2",
        };
        await expect(mm.placeOrder({ ...bid, price: "100.5005" })).rejects.toThrow(/price/);
        expect(await client.getOrderBookState({ name })).toMatchObject({ bids: [], asks: [] });

        expect(await mm.placeOrder(bid)).toEqual({
          orderId: "c-1",
          status: "open",
          filledQuantity: "0",
          remainingQuantity: "2.000",
          alreadyPlaced: false,
        });
        await expect(mm.placeOrder(bid)).rejects.toMatchObject({
          kind: "already-exists",
        });
        expect(await mm.getOrderDetails(name, "c-1")).toMatchObject({
          side: "buy",
          type: "limit",
          timeInForce: "gtc",
          status: "open",
          price: "100.500",
          quantity: "2.000",
          fills: [],
          userAddress: "",
        });
        expect((await mm.getOrderBookState(name)).bids).toEqual([
          { price: "100.500", totalQuantity: "2.000", orderCount: 1, userAddress: "mm-conf" },
        ]);
        const taker = await mm.placeOrder({
          book: name,
          orderId: "c-2",
          side: "sell",
          price: "100",
          quantity: "0.5",
        });
        expect(taker).toMatchObject({ status: "filled", filledQuantity: "0.500" });
        expect(await mm.getOrder(name, "c-1")).toEqual({
          state: "live",
          filledQuantity: "0.500",
          remainingQuantity: "1.500",
        });
        expect(await mm.cancelOrder(name, "c-1")).toBe("canceled");
        expect(await mm.cancelOrder(name, "c-1")).toBe("already-gone");
        expect(await mm.getOrder(name, "c-1")).toEqual({ state: "gone" });
        await expect(mm.cancelOrder("no-such-book", "x")).rejects.toMatchObject({
          kind: "book-not-found",
        });
        expect(await mm.getBook("no-such-book")).toBeUndefined();
      } finally {
        mm.close();
      }
    },
  },
];

/**
 * A client with deadlines, on a venue `start` makes once for the describe block around it; the
 * venue is closed after the block.
 */
function useVenue(start: () => Promise<ConformanceVenue>, timeoutMs: number) {
  const state: { venue?: ConformanceVenue; channel?: Channel; client?: Client } = {};
  beforeAll(async () => {
    state.venue = await start();
    state.channel = createChannel(state.venue.address);
    state.client = createClientFactory()
      .use(deadlineMiddleware())
      .create(OrderBookServiceDefinition, state.channel);
  }, timeoutMs);
  afterAll(async () => {
    state.channel?.close();
    await state.venue?.close();
  });
  return {
    client: (): Client => state.client ?? fail("the venue did not start"),
    address: (): string => state.venue?.address ?? fail("the venue did not start"),
  };
}

function fail(message: string): never {
  throw new Error(message);
}

/** What a resting order became, read back by id: "<status> <remaining>" or a gRPC status name. */
function outcomeOf(client: Client, orderBookName: string) {
  return (orderId: string) =>
    client.getOrder({ orderBookName, orderId }).then(
      (order) => `${OrderStatus[order.status]} ${order.remainingQuantity}`,
      (e: ClientError) => Status[e.code],
    );
}

/**
 * A trading CreateOrder answers within an ordinary deadline from the first trade on. This is
 * what a Kafka broker changes on the real server (without one, ~24 s); 10 s is a deadline no
 * healthy venue comes near, not a timing claim.
 */
const FIRST_TRADE_DEADLINE_MS = 10_000;

/**
 * Registers the checks against a venue `start` makes (started once for the block): a venue
 * that answers trades at once, as the real server does with its Kafka and the embedded venue
 * does by default.
 */
export function conformanceSuite(title: string, start: () => Promise<ConformanceVenue>): void {
  describe(title, () => {
    const venue = useVenue(start, 180_000);

    it("the first trade answers within an ordinary deadline and lands", async () => {
      const client = venue.client();
      const name = `first-trade-${++bookCounter}`;
      await client.createOrderBook({ name });
      await client.createOrder(limit(name, "first-maker", "sell", "100", "1"));
      const taker = await client.createOrder(limit(name, "first-taker", "buy", "100", "3"), {
        deadline: new Date(Date.now() + FIRST_TRADE_DEADLINE_MS),
      });
      const outcome = outcomeOf(client, name);
      expect({
        status: OrderStatus[taker.status],
        filled: taker.filledQuantity,
        makerAfter: await outcome("first-maker"),
        takerAfter: await outcome("first-taker"),
      }).toEqual({
        status: "PARTIALLY_FILLED",
        filled: "1.000",
        makerAfter: "NOT_FOUND",
        takerAfter: "PARTIALLY_FILLED 2.000",
      });
    });

    for (const check of CHECKS) {
      it(check.name, async () => {
        const client = venue.client();
        await check.run({
          client,
          address: venue.address(),
          book: async () => {
            const name = `conformance-${++bookCounter}`;
            await client.createOrderBook({ name });
            return name;
          },
        });
      });
    }
  });
}

/**
 * The trade stall of a venue without its broker (the real server without Kafka; the embedded
 * venue started with `firstTradeStallMs`): the first trade outlives a short client deadline
 * and takes effect anyway, and a trade that waits the stall out is answered.
 */
export function stallSuite(
  title: string,
  start: () => Promise<ConformanceVenue>,
  options: StallOptions,
): void {
  describe(title, () => {
    const venue = useVenue(start, 180_000);

    it(
      "the first trade outlives the client's deadline and lands anyway",
      async () => {
        const client = venue.client();
        const name = `stall-${++bookCounter}`;
        await client.createOrderBook({ name });
        await client.createOrder(limit(name, "stall-maker", "sell", "100", "1"));
        const error = await rejected(
          client.createOrder(limit(name, "stall-taker", "buy", "100", "3"), {
            deadline: new Date(Date.now() + options.stallDeadlineMs),
          }),
        );
        // The client gave up; the order still took effect. A trade with a generous deadline
        // waits out the stall.
        await client.createOrder(limit(name, "settle-ask", "sell", "200", "1"));
        const settled = await client.createOrder(limit(name, "settle-bid", "buy", "200", "1"), {
          deadline: new Date(Date.now() + options.stallBudgetMs),
        });
        const outcome = outcomeOf(client, name);
        expect({
          code: Status[error.code],
          makerAfter: await outcome("stall-maker"),
          takerAfter: await outcome("stall-taker"),
          settled: OrderStatus[settled.status],
        }).toEqual({
          code: "DEADLINE_EXCEEDED",
          makerAfter: "NOT_FOUND",
          takerAfter: "PARTIALLY_FILLED 2.000",
          settled: "FILLED",
        });
      },
      options.stallBudgetMs + 30_000,
    );
  });
}
