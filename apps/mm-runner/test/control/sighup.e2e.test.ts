import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type LogLine, startRunnerProcess, tempDir, waitFor } from "@matchingo-mm/testkit";
import { expect, it } from "vitest";
import { LADDER, ladderOf } from "../faults/harness/ladder.ts";
import { same, useControlFixture } from "./fixture.ts";

const BTC = "BTC-USDT";
const fixture = useControlFixture({ [BTC]: "50000" });
const book = () => fixture.book(BTC);

it("SIGHUP re-reads the config file: a broken one changes nothing and says why; a changed spread is applied", async () => {
  const dir = tempDir("mm-sighup-");
  const file = join(dir, "mm.yaml");
  const config = (spread: string, extra = "") =>
    `marketSymbol: ${BTC}\nnumLevels: 3\nbaseSpreadPercent: "${spread}"\npriceStepPercent: "0.05"\norderSize: "0.01"\n${extra}`;
  writeFileSync(file, config("0.1"));
  const runner = startRunnerProcess({
    MM_CONFIG: file,
    MATCHINGO_GRPC_ADDR: fixture.venue.address,
    BINANCE_URL: fixture.prices.url,
    COINBASE_URL: fixture.prices.url,
    KRAKEN_URL: fixture.prices.url,
    MARKET_MAKER_ID: "mm-hup",
    UPDATE_INTERVAL_SECONDS: "0.3",
    METRICS_ADDR: "off",
    STATE_DIR: join(dir, "state"),
  });
  await waitFor(() => same(book(), ladderOf("50000")), 20_000, "the configured ladder");
  const start = await runner.waitForLog((line) => /^parameters in effect for/.test(line.msg));
  expect(start.msg).toContain(`baseSpreadPercent=0.1 (file: ${file}: baseSpreadPercent)`);

  // Broken: two bad values. Nothing changes, every problem is logged.
  writeFileSync(file, config("-0.2", "numLevels2: 4\n"));
  runner.kill("SIGHUP");
  const broken = await runner.waitForLog((line) => /^SIGHUP: .* broken or invalid/.test(line.msg));
  const problems = broken.problems as string[];
  expect(problems).toHaveLength(2);
  expect(
    problems.some((each) => each.includes('baseSpreadPercent="-0.2": must be greater than 0')),
  ).toBe(true);
  expect(problems.some((each) => each.includes("numLevels2: unknown setting"))).toBe(true);
  expect(broken.msg).toContain("nothing changed");
  const cycles = () => runner.logs.filter((line: LogLine) => typeof line.cycle === "number").length;
  const seen = cycles();
  await waitFor(() => cycles() >= seen + 4, 20_000, "more cycles");
  expect(book()).toEqual(ladderOf("50000"));

  // Not YAML at all: the same.
  writeFileSync(file, "numLevels: [3\n");
  runner.kill("SIGHUP");
  await waitFor(
    () => runner.logs.filter((line) => /^SIGHUP: .* broken or invalid/.test(line.msg)).length === 2,
    20_000,
    "the second refusal",
  );

  // Valid: the spread changes (applied live), the tick needs a restart (ignored).
  writeFileSync(file, config("0.2", 'priceTick: "0.01"\n'));
  runner.kill("SIGHUP");
  const applied = await runner.waitForLog((line) => /^SIGHUP: applied from/.test(line.msg));
  expect(applied.msg).toContain('baseSpreadPercent "0.1" → "0.2"');
  const restart = await runner.waitForLog((line) => /^SIGHUP: .* need a restart/.test(line.msg));
  expect(restart.msg).toContain('priceTick "0.001" → "0.01"');
  const wanted = ladderOf("50000", { ...LADDER, baseSpreadPercent: "0.2" });
  expect(wanted.bids[0]).toBe("49950");
  await waitFor(() => same(book(), wanted), 20_000, "the ladder at the new spread");

  runner.kill("SIGTERM");
  expect((await runner.exited).code).toBe(0);
  expect(fixture.venue.liveOrders(BTC)).toEqual([]);
});
