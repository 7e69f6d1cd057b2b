import { createMatchingoClient } from "@matchingo-mm/grpc-client";
import {
  closedPort,
  killAllRunners,
  startPriceServer,
  startRunnerProcess,
  tempDir,
  waitFor,
} from "@matchingo-mm/testkit";
import { afterAll, expect, it } from "vitest";
import { listJournalFiles, readJournalFile } from "../src/journal/files.ts";

afterAll(() => killAllRunners());

it.each([
  ["from source", "source"],
  ["built (node dist/main.js)", "built"],
] as const)(
  "starts with no configuration, %s: embedded venue, synthetic prices announced, quoting; SIGINT cancels everything",
  async (_how, command) => {
    const offline = `http://127.0.0.1:${await closedPort()}`;
    const stateDir = tempDir();
    const runner = startRunnerProcess(
      {
        BINANCE_URL: offline,
        COINBASE_URL: offline,
        KRAKEN_URL: offline,
        STATE_DIR: stateDir,
        METRICS_ADDR: "127.0.0.1:0",
      },
      [],
      { command },
    );

    const venueLine = await runner.waitForLog((line) =>
      /^embedded Matchingo venue on/.test(line.msg),
    );
    const warning = await runner.waitForLog((line) => /SYNTHETIC/.test(line.msg));
    expect(warning.level).toBe(40);
    const cycle = await runner.waitForLog((line) => line.cycle === 1);
    expect(cycle).toMatchObject({
      symbol: "BTC-USDT",
      outcome: "quoted",
      source: "synthetic",
      placed: 6,
    });

    // The embedded venue is a real gRPC server the user can inspect.
    const client = createMatchingoClient({ address: venueLine.venue as string });
    // The sandbox streams four ticks a second: a make-before-break requote may be in flight
    // (new levels placed, old ones not yet cancelled), so wait for a settled book. Its
    // taker flow's other trader rests orders further out (`sandbox-maker`).
    const book = await waitFor(async () => {
      const state = await client.getOrderBookState("BTC-USDT");
      const ours = (levels: typeof state.bids) =>
        levels.filter((level) => level.userAddress === "mm-01");
      return ours(state.bids).length === 3 && ours(state.asks).length === 3 && state;
    });
    const others = [...book.bids, ...book.asks].filter((level) => level.userAddress !== "mm-01");
    expect(others.every((level) => level.userAddress === "sandbox-maker")).toBe(true);
    // Ours are the best levels: the other trader rests beyond the ladder.
    expect(book.bids.slice(0, 3).every((level) => level.userAddress === "mm-01")).toBe(true);
    expect(book.asks.slice(0, 3).every((level) => level.userAddress === "mm-01")).toBe(true);
    client.close();

    // The status says loudly that the prices are synthetic.
    const opsLine = await runner.waitForLog((line) => typeof line.ops === "string");
    const status = (await (await fetch(`http://${opsLine.ops}/status`)).json()) as {
      synthetic: boolean;
      venue: { embedded: boolean };
      symbols: Array<{
        state: string;
        price?: { source: string };
        events: Array<{ type: string }>;
      }>;
    };
    expect(status.synthetic).toBe(true);
    expect(status.venue.embedded).toBe(true);
    expect(status.symbols[0]?.price?.source).toBe("synthetic");
    expect(status.symbols[0]?.events.some((event) => event.type === "synthetic-prices")).toBe(true);

    runner.kill("SIGINT");
    expect((await runner.exited).code).toBe(0);
    const summary = runner.logs.find(
      (line) => typeof line.cancelled === "number" && /^stopped: /.test(line.msg),
    );
    expect(summary).toMatchObject({ failed: 0 });
    expect(summary?.cancelled).toBeGreaterThanOrEqual(6);
    // Nothing is left in the journal: every order placed is known gone.
    const open = listJournalFiles(`${stateDir}/mm-01`).flatMap((path) => [
      ...readJournalFile(path).open.values(),
    ]);
    expect(open).toEqual([]);
  },
);

it("with one live source whose first price is not yet confirmed, stays on it (no synthetic fallback) and quotes once it held", async () => {
  const offline = `http://127.0.0.1:${await closedPort()}`;
  const prices = await startPriceServer({ "BTC-USDT": "50000.00" });
  try {
    const runner = startRunnerProcess({
      BINANCE_URL: prices.url,
      COINBASE_URL: offline,
      KRAKEN_URL: offline,
      STATE_DIR: tempDir(),
      METRICS_ADDR: "off",
      UPDATE_INTERVAL_SECONDS: "0.3",
    });
    await runner.waitForLog((line) => /no trusted first price for BTC-USDT yet/.test(line.msg));
    const quoted = await runner.waitForLog(
      (line) => typeof line.cycle === "number" && line.outcome === "quoted",
      20_000,
    );
    expect(quoted).toMatchObject({ source: "binance", price: "50000.00" });
    expect(runner.logs.filter((line) => /SYNTHETIC/.test(String(line.msg)))).toEqual([]);
    runner.kill("SIGINT");
    expect((await runner.exited).code).toBe(0);
  } finally {
    await prices.close();
  }
});
