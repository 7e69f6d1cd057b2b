#!/usr/bin/env -S npx tsx
import { constants, PerformanceObserver } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { destination, pino } from "pino";
import { CliUsageError, parseCliOptions, USAGE } from "./cli-options.ts";
import { startVenue } from "./venue.ts";

async function main(): Promise<void> {
  let options: ReturnType<typeof parseCliOptions>;
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    console.error(`matchingo-venue: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }

  // Synchronous writes: pino's default asynchronous stdout lost the last line ("matchingo venue
  // stopped") even after flush() when the reader was slow (a busy test worker reading a full
  // pipe). A venue's log is a few lines per order; blocking on it costs nothing that matters.
  const logger = pino(
    { name: "matchingo-venue", level: options.logLevel },
    destination({ dest: 1, sync: true }),
  );
  const venue = await startVenue({
    host: options.host,
    port: options.port,
    latencyMs: options.latencyMs,
    firstTradeStallMs: options.firstTradeStallMs,
    tradeStallMs: options.tradeStallMs,
    logger,
  }).catch((error: unknown) => {
    logger.error({ err: error, host: options.host, port: options.port }, "venue failed to start");
    process.exit(1);
  });

  // A long-running sandbox must not grow (issue 26): this line lets a soak watch it. The
  // heap in use just after the last full collection is the live set (`heapUsed` counts
  // garbage too, and saws up and down between collections).
  let heapAfterGc: number | undefined;
  if (options.statsSeconds > 0) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
          heapAfterGc = getHeapStatistics().used_heap_size;
        }
      }
    }).observe({ entryTypes: ["gc"] });
  }
  const stats =
    options.statsSeconds > 0
      ? setInterval(() => {
          const usage = process.memoryUsage();
          const books = venue.books();
          logger.info(
            {
              rss: usage.rss,
              heapUsed: usage.heapUsed,
              heapTotal: usage.heapTotal,
              external: usage.external,
              heapAfterGc,
              books: books.length,
              liveOrders: books.reduce((sum, book) => sum + book.orderCount, 0),
              trades: venue.tradeCount(),
            },
            "venue stats",
          );
        }, options.statsSeconds * 1000)
      : undefined;
  stats?.unref();

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal, exiting without waiting");
      process.exit(1);
    }
    stopping = true;
    clearInterval(stats);
    logger.info(
      { signal, liveOrders: venue.liveOrders().length, trades: venue.trades().length },
      "shutting down",
    );
    venue.close().then(
      // Exit only once the last lines are out: a pipe that a busy reader drains late
      // must not lose "matchingo venue stopped".
      () => logger.flush(() => process.exit(0)),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

await main();
