import { describe, expect, it } from "vitest";
import { encodeDoneMessage, lz4Codec, readDoneMessage } from "../src/trade-stream/index.ts";

const trade = (over: Record<string, unknown> = {}) => ({
  orderId: "mm-01-sell-1-1",
  role: "MAKER",
  price: "50025.000",
  quantity: "0.010",
  isQuote: false,
  userAddress: "mm-01",
  ...over,
});

describe("readDoneMessage", () => {
  it("reads the taker's and each maker's entry with the exact decimals", () => {
    const bytes = encodeDoneMessage({
      orderId: "taker-1",
      executedQuantity: "0.015",
      trades: [
        trade({ orderId: "taker-1", role: "TAKER", price: "50100.000", quantity: "0.015" }),
        trade(),
        trade({ orderId: "mm-01-sell-2-1", price: "50050.000", quantity: "0.005" }),
      ],
    });
    const read = readDoneMessage(bytes);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.trades.map((t) => [t.orderId, t.role, t.price, t.quantity, t.index])).toEqual([
      ["taker-1", "taker", "50100.000", "0.015", 0],
      ["mm-01-sell-1-1", "maker", "50025.000", "0.010", 1],
      ["mm-01-sell-2-1", "maker", "50050.000", "0.005", 2],
    ]);
  });

  it("leaves out a taker entry that traded nothing", () => {
    const read = readDoneMessage(
      encodeDoneMessage({ orderId: "t", trades: [trade({ role: "TAKER", quantity: "0.000" })] }),
    );
    expect(read).toMatchObject({ ok: true, trades: [] });
  });

  it.each([
    [
      "bytes that are not protobuf",
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]),
      "not a DoneMessage",
    ],
    ["no order id", encodeDoneMessage({ trades: [trade()] }), "order_id is missing"],
    [
      "a trade without an order id",
      encodeDoneMessage({ orderId: "t", trades: [trade({ orderId: "" })] }),
      "trades[0].order_id",
    ],
    [
      "a negative quantity",
      encodeDoneMessage({ orderId: "t", trades: [trade({ quantity: "-0.010" })] }),
      "trades[0].quantity",
    ],
    [
      "a quantity that is not a decimal",
      encodeDoneMessage({ orderId: "t", trades: [trade({ quantity: "1e3" })] }),
      "trades[0].quantity",
    ],
    [
      "an unknown role",
      encodeDoneMessage({ orderId: "t", trades: [trade({ role: "BOTH" })] }),
      "trades[0].role",
    ],
    [
      "a zero price",
      encodeDoneMessage({ orderId: "t", trades: [trade(), trade({ price: "0" })] }),
      "trades[1].price",
    ],
  ])("refuses %s", (_what, bytes, problem) => {
    const read = readDoneMessage(bytes);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toContain(problem);
  });
});

describe("lz4Codec", () => {
  it("round-trips a batch through an LZ4 frame", async () => {
    const codec = lz4Codec();
    const payload = Buffer.from(encodeDoneMessage({ orderId: "t", trades: [trade(), trade()] }));
    const packed = await codec.compress({ buffer: Buffer.concat([payload, payload, payload]) });
    // The frame header Kafka's broker accepts: magic, version 1 with independent blocks,
    // 64 KiB blocks, and its checksum (as the reference lz4 tool writes it).
    expect([...packed.subarray(0, 7)]).toEqual([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82]);
    expect(await codec.decompress(packed)).toEqual(Buffer.concat([payload, payload, payload]));
  });
});
