import { tickingStream } from "../../streams/polled.ts";
import type { SourceAdapter } from "../adapter.ts";
import { synthetic } from "./walk.ts";

/** The sandbox's seeded random walk, one per symbol from its start price. */
export const syntheticSource = Object.freeze<SourceAdapter<"synthetic">>({
  name: "synthetic",
  offline: true,
  createSource: (settings) =>
    synthetic({
      startPrice: Object.fromEntries(
        settings.symbols.flatMap((symbol) =>
          symbol.startPrice === undefined ? [] : [[symbol.symbol, symbol.startPrice]],
        ),
      ),
      ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    }),
  // The sandbox streams too: four ticks a second, so the ladder is seen following. Its
  // walk is asked directly until the first tick is in (no wait at the start).
  createStream: (_settings, poll) => tickingStream(poll, { intervalMs: 250 }),
});
