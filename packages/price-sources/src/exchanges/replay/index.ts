import type { SourceAdapter } from "../adapter.ts";
import { replay } from "./playback.ts";

/** A recorded tape, replayed in a loop. Polled only: a tape has no stream to open. */
export const replaySource = Object.freeze<SourceAdapter<"replay">>({
  name: "replay",
  offline: true,
  createSource(settings) {
    const tape = settings.tape;
    if (tape === undefined) throw new TypeError("replay: no tape given (settings.tape)");
    return replay({
      tape: tape.read(),
      format: tape.name.endsWith(".csv") ? "csv" : "jsonl",
      loop: true,
    });
  },
});
