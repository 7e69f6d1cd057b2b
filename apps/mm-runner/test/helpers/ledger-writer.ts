// A child process for the ledger crash test: records fills one by one and acknowledges
// each on stdout only after `recordFill` returned; the parent SIGKILLs it at some point.
import { openLedger } from "../../src/ledger/ledger.ts";

const [path, countText] = process.argv.slice(2);
const ledger = openLedger(path!);
const count = Number(countText);
for (let index = 0; index < count; index++) {
  ledger.recordFill({
    orderId: `mm-${index}`,
    symbol: index % 2 === 0 ? "BTC-USDT" : "ETH-USDT",
    side: index % 3 === 0 ? "sell" : "buy",
    price: `${100 + (index % 7)}.125`,
    quantity: "0.013",
    feeBps: "2.5",
    time: 1_796_000_000_000 + index,
    source: "poll",
  });
  process.stdout.write(`ack ${index + 1}\n`);
}
// Waits to be killed: never closes, so the WAL is left as a crash leaves it.
setInterval(() => {}, 1000);
