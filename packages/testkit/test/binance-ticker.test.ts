import { afterEach, describe, expect, it } from "vitest";
import { type BinanceTicker, startBinanceTicker } from "../src/index.ts";

let ticker: BinanceTicker | undefined;
afterEach(async () => {
  await ticker?.close();
  ticker = undefined;
});

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${ticker!.url}${path}`);
  return { status: response.status, body: await response.json() };
}

describe("startBinanceTicker", () => {
  it("answers one symbol and a batch at the prices given, and counts and times them", async () => {
    let n = 0;
    ticker = await startBinanceTicker({
      symbols: ["BTCUSDT", "ETHUSDT"],
      price: (symbol) => `${symbol === "BTCUSDT" ? 50_000 + n++ : 3_000}.00000000`,
    });
    expect(await get("/api/v3/ticker/price?symbol=BTCUSDT")).toEqual({
      status: 200,
      body: { symbol: "BTCUSDT", price: "50000.00000000" },
    });
    const batch = encodeURIComponent(JSON.stringify(["BTCUSDT", "ETHUSDT"]));
    expect(await get(`/api/v3/ticker/price?symbols=${batch}`)).toEqual({
      status: 200,
      body: [
        { symbol: "BTCUSDT", price: "50001.00000000" },
        { symbol: "ETHUSDT", price: "3000.00000000" },
      ],
    });
    expect([ticker.requests(), ticker.symbolsAsked()]).toEqual([2, 3]);
    expect(ticker.log.map((entry) => entry.symbols)).toEqual([1, 2]);
    expect(ticker.answers.map((answer) => answer.symbols)).toEqual([
      ["BTCUSDT"],
      ["BTCUSDT", "ETHUSDT"],
    ]);
    expect(ticker.answers[1]!.at).toBeGreaterThanOrEqual(ticker.answers[0]!.at);
  });

  it("refuses unknown symbols and bad lists as Binance does, and answers no price for them", async () => {
    ticker = await startBinanceTicker({ symbols: ["BTCUSDT"], price: () => "1.00000000" });
    expect(await get("/api/v3/ticker/price?symbol=NOPEUSDT")).toEqual({
      status: 400,
      body: { code: -1121, msg: "Invalid symbol." },
    });
    const mixed = encodeURIComponent(JSON.stringify(["BTCUSDT", "NOPEUSDT"]));
    expect((await get(`/api/v3/ticker/price?symbols=${mixed}`)).body).toEqual({
      code: -1121,
      msg: "Invalid symbol.",
    });
    expect((await get("/api/v3/ticker/price?symbols=[oops")).body).toMatchObject({ code: -1100 });
    expect((await get("/api/v3/other")).status).toBe(404);
    expect(ticker.answers).toEqual([]);
  });
});
