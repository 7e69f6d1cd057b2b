/**
 * Fills from the venue's trade stream (issue 21), against the real Matchingo server and a
 * real Kafka 4.1.1 broker (`@matchingo-mm/venue/real`), and the sandbox's embedded venue.
 * The truth every test checks against is the venue's own: what the takers' CreateOrders
 * answered they traded (IOC orders, so nothing of theirs rests), and the trades on the
 * topic. The interval cycle is set long (30 s): a fill seen in less than that was seen by
 * the stream, not by a poll, so each test fails without the trade stream.
 */
import { createMatchingoClient } from "@matchingo-mm/grpc-client";
import { DoneMessage, OrderSide, OrderType, TimeInForce } from "@matchingo-mm/grpc-client/proto";
import { encodeDoneMessage, registerLz4 } from "@matchingo-mm/grpc-client/trade-stream";
import {
  killAllRunners,
  type PriceServer,
  type RunnerProcess,
  startPriceServer,
  startRunnerProcess,
  tempDir,
  waitFor,
} from "@matchingo-mm/testkit";
import {
  type KafkaBroker,
  type RealVenue,
  realVenueRequired,
  realVenueUnavailable,
  startKafka,
  startRealVenue,
} from "@matchingo-mm/venue/real";
import kafkajs from "kafkajs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openLedger } from "../src/ledger/ledger.ts";

// kafkajs is CommonJS: Node's ESM loader sees no named exports in it.
const { CompressionTypes, Kafka, logLevel } = kafkajs;

const BOOK = "BTC-USDT";
const ENV = {
  MARKET_MAKER_ID: "mm-01",
  NUM_LEVELS: "3",
  BASE_SPREAD_PERCENT: "0.1",
  PRICE_STEP_PERCENT: "0.05",
  ORDER_SIZE: "0.01",
  PRICE_TICK: "0.01",
  // Polls would take this long to see a fill: the stream must beat it by far.
  UPDATE_INTERVAL_SECONDS: "30",
  PRICE_FEED: "poll",
  METRICS_ADDR: "127.0.0.1:0",
  MATCHINGO_DEADLINE_SECONDS: "10",
};

interface Status {
  fills: { mode: string; state: string; garbage: number; lag: number; outages: number };
  symbols: Array<{
    position: string;
    asks: Array<{ price: string; orderId: string }>;
    bids: Array<{ price: string; orderId: string }>;
  }>;
}

const unavailable = realVenueUnavailable();
const CHECK_COUNT = 6;

/** Exact decimal sums (base units have 3 decimals on Matchingo): thousandths as bigint. */
const milli = (text: string) => {
  const [whole = "0", frac = ""] = text.replace("-", "").split(".");
  const value = BigInt(whole) * 1000n + BigInt(`${frac}000`.slice(0, 3));
  return text.startsWith("-") ? -value : value;
};
const show = (value: bigint) => {
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  const frac = (abs % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  return `${sign}${abs / 1000n}${frac ? `.${frac}` : ""}`;
};

/** p50 and p99 of `mm_fill_reaction_seconds` as the upper bounds of their buckets. */
function reactionQuantiles(metrics: string): string {
  const buckets = [
    ...metrics.matchAll(/^mm_fill_reaction_seconds_bucket\{le="([^"]+)",symbol="[^"]+"\} (\d+)/gm),
  ].map((m) => ({ le: m[1]!, count: Number(m[2]) }));
  const total = buckets.at(-1)?.count ?? 0;
  const at = (q: number) => buckets.find((b) => b.count >= q * total)?.le ?? "?";
  return `${total} reactions, p50 <= ${at(0.5)} s, p99 <= ${at(0.99)} s`;
}

let prices: PriceServer | undefined;
afterEach(async () => {
  killAllRunners();
  await prices?.close();
  prices = undefined;
});

async function startOurRunner(env: Record<string, string>): Promise<{
  runner: RunnerProcess;
  ops: string;
  stateDir: string;
}> {
  prices ??= await startPriceServer({ [BOOK]: "50000.00" });
  const stateDir = env.STATE_DIR ?? tempDir();
  const runner = startRunnerProcess({
    ...ENV,
    BINANCE_URL: prices.url,
    COINBASE_URL: prices.url,
    KRAKEN_URL: prices.url,
    MARKET_SYMBOL: BOOK,
    STATE_DIR: stateDir,
    ...env,
  });
  const ops = (await runner.waitForLog((line) => typeof line.ops === "string", 60_000))
    .ops as string;
  return { runner, ops, stateDir };
}

async function status(ops: string): Promise<Status> {
  return (await (await fetch(`http://${ops}/status`)).json()) as Status;
}

/** Waits for our full ladder (three asks, three bids) with the stream live. */
async function quoting(ops: string): Promise<Status> {
  return waitFor(
    async () => {
      const s = await status(ops).catch(() => undefined);
      return (
        s !== undefined &&
        s.fills.state === "live" &&
        s.symbols[0]!.asks.length === 3 &&
        s.symbols[0]!.bids.length === 3 &&
        s
      );
    },
    60_000,
    "the ladder quoted with the trade stream live",
  );
}

/** The ledger's position and stream fills, read beside the running runner (WAL). */
function ledgerOf(stateDir: string) {
  const ledger = openLedger(`${stateDir}/mm-01/ledger.sqlite`, { readonly: true });
  try {
    const fills = ledger.fills({ symbol: BOOK });
    return { position: ledger.position(BOOK), fills };
  } finally {
    ledger.close();
  }
}

/** A taker that only takes (IOC): what it traded is what we traded, with the sign flipped. */
function taker(address: string) {
  const client = createMatchingoClient({
    address,
    userAddress: "taker",
    deadlineMs: 30_000,
  });
  let n = 0;
  let ourPosition = 0n;
  let traded = 0n;
  return {
    client,
    /** Our position as the taker's answers say. */
    ours: () => ourPosition,
    /** Base units the taker traded with us, both sides. */
    traded: () => traded,
    async take(side: "buy" | "sell", price: string, quantity: string) {
      const response = await client.raw.createOrder({
        orderBookName: BOOK,
        orderId: `taker-${process.pid}-${Date.now()}-${n++}`,
        side: side === "buy" ? OrderSide.BUY : OrderSide.SELL,
        quantity,
        price,
        orderType: OrderType.LIMIT,
        timeInForce: TimeInForce.IOC,
        stopPrice: "",
        ocoId: "",
        userAddress: "taker",
      });
      const placed = { filledQuantity: response.filledQuantity };
      const filled = milli(placed.filledQuantity);
      ourPosition += side === "buy" ? -filled : filled;
      traded += filled;
      return placed;
    },
  };
}

if (!unavailable) {
  describe("fills from Matchingo's trade stream on Kafka", () => {
    let kafka: KafkaBroker;
    let venue: RealVenue | undefined;
    let topicNumber = 0;
    beforeAll(async () => {
      kafka = await startKafka();
    }, 120_000);
    afterAll(async () => {
      await kafka?.close();
    });
    afterEach(async () => {
      killAllRunners();
      await venue?.close();
      venue = undefined;
    });
    /** A server on a topic of its own (the tests share the broker). */
    async function startVenueOnTopic() {
      const topic = `fills-${process.pid}-${topicNumber++}`;
      venue = await startRealVenue({ kafka, topic });
      return venue;
    }
    const kafkaEnv = (v: RealVenue) => ({
      MATCHINGO_GRPC_ADDR: v.address,
      KAFKA_BROKERS: kafka.brokers,
      KAFKA_TOPIC: v.topic,
    });

    it("a taker sweeps two levels and part of a third: /status has the exact position at once, the ledger exactly those fills", async () => {
      const v = await startVenueOnTopic();
      const { runner, ops, stateDir } = await startOurRunner(kafkaEnv(v));
      await quoting(ops);
      const t = taker(v.address);
      // Our asks: 50025, 50050, 50075 (0.010 each). 0.025 up to 50075 takes all of the
      // first two and half of the third.
      const placed = await t.take("buy", "50075", "0.025");
      const answeredAt = Date.now();
      expect(placed.filledQuantity).toBe("0.025");
      const seenAt = await waitFor(
        async () => (await status(ops)).symbols[0]!.position === "-0.025" && Date.now(),
        10_000,
        "the position -0.025 on /status",
      );
      // The issue's target is 100 ms from the venue's answer. Measured here through a
      // 50 ms status poll on a 2-core machine shared with other suites, so the bound
      // asserted is loose (3 s, a tenth of the 30 s a poll would need): the figure itself
      // is printed, and the bench measures the latency properly (fill_reaction_seconds).
      const latency = seenAt - answeredAt;
      console.log(`fill seen on /status ${latency} ms after the venue's answer`);
      expect(latency).toBeLessThan(3_000);
      const fills = ledgerOf(stateDir).fills;
      expect(fills.map((f) => [f.side, f.price, f.quantity, f.source])).toEqual(
        expect.arrayContaining([
          ["sell", "50025.000", "0.01", "stream"],
          ["sell", "50050.000", "0.01", "stream"],
          ["sell", "50075.000", "0.005", "stream"],
        ]),
      );
      expect(fills).toHaveLength(3);
      const metrics = await (await fetch(`http://${ops}/metrics`)).text();
      expect(metrics).toContain('mm_fills_by_source_total{symbol="BTC-USDT",source="stream"} 3');
      expect(metrics).toMatch(/^mm_fill_stream_up 1$/m);
      expect(metrics).toMatch(/^mm_fill_reaction_seconds_count\{symbol="BTC-USDT"\} [1-9]/m);
      expect(metrics).toMatch(/^mm_fill_stream_last_offset\{partition="0"\} \d+$/m);
      runner.kill("SIGTERM");
      expect((await runner.exited).code).toBe(0);
      t.client.close();
    }, 120_000);

    it("1,000 random taker orders: the ledger's position equals the venue's, to the last digit", async () => {
      const v = await startVenueOnTopic();
      const { runner, ops, stateDir } = await startOurRunner({
        ...kafkaEnv(v),
        // Refills come from the stream's reaction, at most one per this interval.
        MIN_REQUOTE_INTERVAL_MS: "20",
      });
      await quoting(ops);
      const t = taker(v.address);
      let seed = 21;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      const orders = Array.from({ length: 1_000 }, () => {
        const side = random() < 0.5 ? "buy" : "sell";
        const depth = Math.floor(random() * 90); // up to 0.18 % through our ladder
        const price = side === "buy" ? 50_000 + depth : 50_000 - depth;
        const quantity = (1 + Math.floor(random() * 25)) / 1000;
        return { side, price: String(price), quantity: quantity.toFixed(3) } as const;
      });
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < orders.length) {
            const order = orders[next++]!;
            await t.take(order.side, order.price, order.quantity);
          }
        }),
      );
      const venuePosition = show(t.ours());
      // Every fill is booked once the stream has been read to its end.
      await waitFor(
        async () => ledgerOf(stateDir).position === venuePosition,
        30_000,
        `the ledger's position ${venuePosition}`,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; ledger at ${ledgerOf(stateDir).position}`);
      });
      // Fill-to-reaction, as the runner measured it (bucket bounds of its histogram).
      const metrics = await (await fetch(`http://${ops}/metrics`)).text();
      console.log(`fill to reaction: ${reactionQuantiles(metrics)}`);
      runner.kill("SIGTERM");
      expect((await runner.exited).code).toBe(0);
      const ledger = ledgerOf(stateDir);
      expect(ledger.position).toBe(venuePosition);
      expect(ledger.fills.filter((f) => f.source !== "stream")).toEqual([]);
      t.client.close();
    }, 240_000);

    it("SIGKILL in the middle of a burst of fills, then a restart: every fill booked exactly once", async () => {
      const v = await startVenueOnTopic();
      const first = await startOurRunner(kafkaEnv(v));
      await quoting(first.ops);
      const t = taker(v.address);
      const burst = async (count: number) => {
        for (let i = 0; i < count; i++) {
          await t.take(i % 2 === 0 ? "buy" : "sell", i % 2 === 0 ? "50030" : "49970", "0.004");
        }
      };
      const during = burst(60);
      await waitFor(() => ledgerOf(first.stateDir).fills.length >= 5, 30_000, "a few fills");
      first.runner.kill("SIGKILL");
      await first.runner.exited;
      await during;
      // Our orders the dead runner left still rest: hit them before the restart cancels them.
      await burst(6);
      const second = await startOurRunner({ ...kafkaEnv(v), STATE_DIR: first.stateDir });
      await quoting(second.ops);
      await burst(10);
      const venuePosition = show(t.ours());
      // Both: the position alone passes through the venue's while fills alternate sides.
      const bookedAll = () => {
        const { fills, position } = ledgerOf(first.stateDir);
        const traded = fills.reduce((sum, f) => sum + milli(f.quantity), 0n);
        return position === venuePosition && traded === t.traded();
      };
      await waitFor(bookedAll, 30_000, `the ledger's position ${venuePosition}`).catch(
        (error: Error) => {
          throw new Error(`${error.message}; ledger at ${ledgerOf(first.stateDir).position}`);
        },
      );
      second.runner.kill("SIGTERM");
      expect((await second.runner.exited).code).toBe(0);
      const { fills, position } = ledgerOf(first.stateDir);
      const booked = fills.map((f) => `${f.side} ${f.quantity} ${f.orderId} ${f.source}`);
      expect(position, `booked: ${booked.join("; ")}; taker traded ${show(t.traded())}`).toBe(
        venuePosition,
      );
      // Booked once: the sum of what was booked is what the takers traded with us.
      const traded = fills.reduce((sum, f) => sum + milli(f.quantity), 0n);
      expect(show(traded)).toBe(show(t.traded()));
      t.client.close();
    }, 240_000);

    it("SIGTERM straight after takers hit us: the ledger the runner leaves holds every fill", async () => {
      const v = await startVenueOnTopic();
      const { runner, ops, stateDir } = await startOurRunner(kafkaEnv(v));
      await quoting(ops);
      const t = taker(v.address);
      for (let i = 0; i < 4; i++) await t.take("sell", "49970", "0.004");
      // No wait for the ledger: the stop reads the stream to its end after its last cancel.
      runner.kill("SIGTERM");
      expect((await runner.exited).code).toBe(0);
      const { fills, position } = ledgerOf(stateDir);
      expect(t.traded()).toBeGreaterThan(0n);
      expect(position).toBe(show(t.ours()));
      expect(show(fills.reduce((sum, f) => sum + milli(f.quantity), 0n))).toBe(show(t.traded()));
      expect(runner.logs.filter((line) => /not read to its end/.test(line.msg))).toEqual([]);
      t.client.close();
    }, 120_000);

    it("the broker stopped for 10 s while takers trade: nothing lost, nothing doubled; the runner said it fell back and came back", async () => {
      const v = await startVenueOnTopic();
      const { runner, ops, stateDir } = await startOurRunner({
        ...kafkaEnv(v),
        // While the stream is down the polls stand in, every cycle.
        UPDATE_INTERVAL_SECONDS: "1",
      });
      await quoting(ops);
      const t = taker(v.address);
      await t.take("buy", "50030", "0.004");
      const before = runner.logs.length;
      await kafka.stop();
      await runner.waitForLog(
        (line) => runner.logs.indexOf(line) >= before && /trade stream is down/.test(line.msg),
        30_000,
      );
      const readyz = (await (await fetch(`http://${ops}/readyz`)).json()) as {
        degraded?: string[];
      };
      expect(readyz.degraded?.join(" ")).toMatch(/trade stream down/);
      expect(
        (await status(ops)).fills.state,
        runner.logs
          .filter((l) => l.component === "trade-stream")
          .map((l) => `${l.time} ${l.msg} ${l.by ?? l.reason ?? ""}`)
          .join("\n"),
      ).toBe("down");
      const stoppedAt = Date.now();
      await t.take("sell", "49970", "0.006");
      await t.take("buy", "50060", "0.013");
      await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - stoppedAt))));
      await kafka.start();
      await runner
        .waitForLog(
          (line) => runner.logs.indexOf(line) >= before && /trade stream is back/.test(line.msg),
          60_000,
        )
        .catch((error: Error) => {
          const lines = runner.logs
            .filter((l) => l.component === "trade-stream")
            .map((l) => `${l.time} ${l.msg} ${JSON.stringify(l.err ?? l.reason ?? "")}`);
          throw new Error(`${error.message.split("\n")[0]}\n${lines.join("\n")}`);
        });
      await t.take("sell", "49970", "0.002");
      const venuePosition = show(t.ours());
      await waitFor(
        async () => ledgerOf(stateDir).position === venuePosition,
        30_000,
        `the ledger's position ${venuePosition}`,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; ledger at ${ledgerOf(stateDir).position}`);
      });
      // The replay from the ledger's offsets after the broker came back books nothing twice.
      await new Promise((r) => setTimeout(r, 2_000));
      const after = ledgerOf(stateDir);
      expect(after.position).toBe(venuePosition);
      expect(show(after.fills.reduce((sum, f) => sum + milli(f.quantity), 0n))).toBe(
        show(t.traded()),
      );
      const said = runner.logs
        .slice(before)
        .filter((line) => /trade stream is (down|back)/.test(line.msg))
        .map((line) => line.msg);
      expect(said, said.join("\n")).toHaveLength(2);
      expect((await status(ops)).fills).toMatchObject({ state: "live", outages: 1 });
      runner.kill("SIGTERM");
      expect((await runner.exited).code).toBe(0);
      t.client.close();
    }, 240_000);

    it("redelivered and reversed messages from a test producer are booked once; garbage is counted and skipped", async () => {
      const v = await startVenueOnTopic();
      const { runner, ops, stateDir } = await startOurRunner(kafkaEnv(v));
      const quoted = await quoting(ops);
      const [a, b] = quoted.symbols[0]!.asks;
      registerLz4();
      const producer = new Kafka({
        clientId: "test-producer",
        brokers: [kafka.brokers],
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      const done = (taker: string, ask: { price: string; orderId: string }, quantity: string) =>
        Buffer.from(
          encodeDoneMessage(
            DoneMessage.fromPartial({
              orderId: taker,
              executedQuantity: quantity,
              trades: [
                { orderId: taker, role: "TAKER", price: ask.price, quantity },
                { orderId: ask.orderId, role: "MAKER", price: ask.price, quantity },
              ],
            }),
          ),
        );
      const first = done("t-1", a!, "0.002");
      const second = done("t-2", b!, "0.003");
      const garbage = [
        Buffer.from("not a DoneMessage"),
        Buffer.from(
          encodeDoneMessage({
            orderId: "t-3",
            trades: [{ orderId: a!.orderId, role: "MAKER", price: a!.price, quantity: "-0.001" }],
          }),
        ),
      ];
      // Reversed (the second match first), each twice, garbage in between.
      for (const value of [second, garbage[0]!, first, second, garbage[1]!, first]) {
        await producer.send({
          topic: v.topic,
          compression: CompressionTypes.LZ4,
          messages: [{ value }],
        });
      }
      await producer.disconnect();
      await waitFor(
        async () => (await status(ops)).fills.garbage === 2 && ledgerOf(stateDir).fills.length >= 2,
        30_000,
        "both fills and both bad messages read",
      );
      await new Promise((r) => setTimeout(r, 1_000));
      const { fills, position } = ledgerOf(stateDir);
      expect(fills.map((f) => [f.orderId, f.quantity, f.source])).toEqual([
        [b!.orderId, "0.003", "stream"],
        [a!.orderId, "0.002", "stream"],
      ]);
      expect(position).toBe("-0.005");
      expect((await status(ops)).symbols[0]!.position).toBe("-0.005");
      const skipped = runner.logs.filter((line) => /not a DoneMessage we can read/.test(line.msg));
      expect(skipped.map((line) => typeof line.offset)).toEqual(["string", "string"]);
      runner.kill("SIGTERM");
      await runner.exited;
    }, 120_000);
  });
} else {
  describe(`real Matchingo with Kafka: not installed, ${CHECK_COUNT} trade-stream checks not run`, () => {
    it(unavailable, () => {
      console.log(
        `real Matchingo with Kafka: not installed, ${CHECK_COUNT} trade-stream checks not run: ${unavailable}`,
      );
      expect(realVenueRequired(), `CI needs the real venue: ${unavailable}`).toBe(false);
    });
  });
}

describe("the sandbox's trade stream", () => {
  it("a taker on the embedded venue is seen as a fill the same way, at once", async () => {
    const { runner, ops, stateDir } = await startOurRunner({});
    const venueLine = await runner.waitForLog((line) =>
      /^embedded Matchingo venue on/.test(line.msg),
    );
    await quoting(ops);
    expect((await status(ops)).fills.mode).toBe("embedded");
    const t = taker(venueLine.venue as string);
    const placed = await t.take("buy", "50060", "0.015");
    expect(placed.filledQuantity).toBe("0.015");
    await waitFor(
      async () => (await status(ops)).symbols[0]!.position === "-0.015",
      5_000,
      "the position -0.015 (a poll would take 30 s)",
    );
    expect(ledgerOf(stateDir).fills.map((f) => [f.price, f.quantity, f.source])).toEqual([
      ["50025.000", "0.01", "stream"],
      ["50050.000", "0.005", "stream"],
    ]);
    runner.kill("SIGTERM");
    expect((await runner.exited).code).toBe(0);
    t.client.close();
  }, 120_000);
});
