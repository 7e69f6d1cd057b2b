// `pnpm bench`: every package's benchmark through turbo, one at a time. Arguments go to
// turbo, except --help/-h, which says what the benchmarks are and how to run one of them
// (turbo's own help says nothing about them).
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(`Usage: pnpm bench            every package's benchmark, one at a time

  pnpm --filter @matchingo-mm/core bench    the planner (pure, in-process)
  pnpm --filter @matchingo-mm/venue bench   the embedded venue's matching
  pnpm --filter @matchingo-mm/bench bench   end to end, every part in turn (pnpm bench
                                            builds the runner first): latency, tape and
                                            scale (the built runner, 8 to 256 symbols; about
                                            3 minutes together on 2 cores), streaming (about
                                            3), strategies (seconds), peer (the seed's Go
                                            bot beside ours on the real Matchingo; about 9)
                                            and fills (FILL_FEED=kafka beside poll on the
                                            real Matchingo with Kafka; about 6); soak only
                                            when asked (BENCH_PARTS=soak: memory, handles
                                            and event-loop delay over 30 minutes)

End-to-end knobs (environment):
BENCH_PARTS=latency,tape,scale,streaming,strategies,peer,fills (e.g. BENCH_PARTS=fills for
one part), BENCH_SAMPLES (150), BENCH_TAPE_TICKS (1000), BENCH_STRATEGY_TICKS (3600),
BENCH_SCALE_SIZES (8,32,64,256), BENCH_WINDOW_MS (12000), BENCH_STREAM_SYMBOLS (8),
BENCH_PEER_SECONDS (60), BENCH_PEER_SIZES (1,16), BENCH_FILLS_SIZES (16,64),
BENCH_FILLS_SECONDS (60, the quiet window), BENCH_FILLS_WARMUP_SECONDS (64),
BENCH_FILLS_TAKER_SECONDS (20), BENCH_FILLS_TAKE_EVERY_MS (250), BENCH_OUT (output file),
BENCH_RUNNER_NODE_ARGS, BENCH_RUNNER_LOG. Soak: SOAK_MINUTES (30), SOAK_SYMBOLS (32),
SOAK_WARMUP_MINUTES (10), SOAK_SAMPLE_SECONDS (60), SOAK_TICK_MS (1000),
SOAK_TAKER_INTERVAL_MS (20000), SOAK_VENUE (process, or sandbox), SOAK_SNAPSHOT_MINUTES and
SOAK_SNAPSHOT_DIR (heap snapshots), SOAK_OUT. Figures go to bench/results/latest.json (any
knob: latest.tmp.json; the soak to results/soak.json). Method and every field: bench/README.md.
`);
  process.exit(0);
}
const result = spawnSync("turbo", ["run", "bench", "--concurrency=1", ...args], {
  stdio: "inherit",
});
if (result.error) {
  process.stderr.write(
    `pnpm bench: could not run turbo (${result.error.message}); run pnpm install\n`,
  );
  process.exit(1);
}
process.exit(result.status ?? 1);
