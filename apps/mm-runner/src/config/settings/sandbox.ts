import { boolean, decimalPositive, integerSeed, path } from "../schemas.ts";
import type { SettingTable } from "../setting.ts";

/** The synthetic and replayed prices, and the sandbox's taker flow. */
export const SANDBOX_SETTINGS = {
  syntheticSeed: {
    schema: integerSeed,
    env: "SYNTHETIC_SEED",
    scope: "runner",
    default: "1",
    help: "Seed of the synthetic random walk (same seed, same prices).",
  },
  sandboxTakers: {
    schema: boolean,
    env: "SANDBOX_TAKERS",
    scope: "runner",
    default: "true",
    help: "Sandbox only (no MATCHINGO_GRPC_ADDR): a small seeded flow of taker orders (IOC, from `sandbox-taker`, every ~2.5 s a symbol) trades against the ladder around the price, and `sandbox-maker` rests two orders a side beyond it, so fills, position, P&L and a book show. `false`/`0`: off. Never used with a real venue.",
  },
  syntheticStartPrice: {
    schema: decimalPositive,
    env: "SYNTHETIC_START_PRICE",
    scope: "symbol",
    help: "Start of the synthetic random walk. Not set: a plausible price for well-known bases (BTC 50000, ETH 3000), else 100.",
  },
  replayFile: {
    schema: path,
    env: "REPLAY_FILE",
    scope: "runner",
    help: "Tape of the `replay` source: CSV `time,price[,symbol]` (.csv) or JSON lines `{time, price, symbol?}`; replayed in a loop.",
  },
} as const satisfies SettingTable;
