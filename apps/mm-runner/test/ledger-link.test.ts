import { join } from "node:path";
import type { FillEvent, HaltedEvent, MarketMakerEvent } from "@matchingo-mm/core";
import { expect, it } from "vitest";
import { openLedger } from "../src/ledger/ledger.ts";
import { openWorkerLedger } from "../src/workers/ledger-link.ts";
import type { FromWorker } from "../src/workers/protocol.ts";
import { tempDir } from "./helpers/runner-process.ts";

const base = { symbol: "BTC-USDT", book: "BTC-USDT", time: 1_700_000_000_000 };
const fill = (side: "buy" | "sell", price: string, quantity: string): FillEvent => ({
  ...base,
  type: "fill",
  orderId: `mm-${side}-${price}`,
  side,
  price,
  quantity,
  remaining: "0",
  position: "0",
  via: "cancel-found-gone",
  fee: "0.01",
  realized: "0",
});

it("records fills, a halt and the resume that lifts it; a new worker starts from them", () => {
  const path = join(tempDir("mm-ledger-link-"), "ledger.sqlite");
  const posted: FromWorker[] = [];
  const first = openWorkerLedger(path, "BTC-USDT", (m) => posted.push(m));
  expect(first.restored.pnl).toMatchObject({ position: "0", fills: 0 });
  expect(first.halted).toBeUndefined();
  first.onEvent(fill("buy", "100", "2"));
  first.onEvent(fill("sell", "110", "0.5"));
  const halted: HaltedEvent = {
    ...base,
    type: "halted",
    reason: "kill switch: loss 5 reached MAX_LOSS 5",
    realized: "0",
    unrealized: "-5",
    peak: "0",
    position: "1.5",
  };
  first.onEvent(halted);
  first.close();

  const second = openWorkerLedger(path, "BTC-USDT", (m) => posted.push(m));
  // 0.5 sold at 110 against an average 100: +5, minus the two fees of 0.01.
  expect(second.restored).toEqual({
    pnl: {
      position: "1.5",
      costBasis: "150",
      realized: "4.98",
      fees: "0.02",
      volume: "255",
      fills: 2,
    },
    baseVolume: "2.5",
  });
  expect(second.halted).toBe(halted.reason);
  // Any resume (the control API's, core's) lifts the halt in the ledger too.
  second.onEvent({ ...base, type: "resumed", halted: halted.reason } as MarketMakerEvent);
  second.close();

  const ledger = openLedger(path, { readonly: true });
  expect(ledger.halted("BTC-USDT")).toBeUndefined();
  expect(ledger.fills().map((f) => f.source)).toEqual(["cancel-found-gone", "cancel-found-gone"]);
  ledger.close();
  expect(posted).toEqual([]);
});

it("reports a fill the ledger refuses as an error line, without throwing", () => {
  const path = join(tempDir("mm-ledger-link-"), "ledger.sqlite");
  const posted: FromWorker[] = [];
  const link = openWorkerLedger(path, "BTC-USDT", (m) => posted.push(m));
  link.onEvent({ ...fill("buy", "100", "1"), quantity: "-1" });
  link.close();
  expect(posted).toMatchObject([
    { type: "log", level: "error", msg: "ledger: could not record a fill" },
  ]);
});
