/**
 * The embedded venue in a thread of its own, as a real Matchingo runs in a process of its
 * own: the bench's client and the venue do not take turns on one event loop. It answers
 * inspection requests (live orders, trade log) and keeps the depth watches, which read the
 * venue's event stream synchronously as the events happen.
 */
import { parentPort, workerData } from "node:worker_threads";
import { startVenue } from "@matchingo-mm/venue";
import { createDepthWatch, type DepthWatch } from "./depth-watch.ts";
import type { VenueReady, VenueReply, VenueRequest } from "./protocol.ts";

const port = parentPort;
if (!port) throw new Error("venue-thread.ts runs as a worker thread");
const { latencyMs } = workerData as { latencyMs?: number };

const venue = await startVenue({ initialBooks: [], latencyMs: latencyMs ?? 0 });
const watches = new Map<string, DepthWatch>();
venue.onEvent((event) => {
  if (watches.size === 0) return;
  const now = performance.now();
  for (const watch of watches.values()) watch.onEvent(event, now);
});

const answer = (request: VenueRequest): unknown => {
  switch (request.type) {
    case "live-orders":
      return venue
        .liveOrders(request.book)
        .map((order) => ({ ...order, createdAt: order.createdAt.getTime() }));
    case "trades":
      return venue.trades(request.book).map((trade) => ({ ...trade, time: trade.time.getTime() }));
    case "set-latency":
      venue.setLatency(request.ms);
      return undefined;
    case "watch":
      watches.set(
        request.book,
        createDepthWatch({
          book: request.book,
          userAddress: request.userAddress,
          levels: request.levels,
          resting: venue.liveOrders(request.book),
          now: performance.now(),
        }),
      );
      return undefined;
    case "report": {
      const watch = watches.get(request.book);
      if (!watch) throw new Error(`no depth watch on book ${request.book}`);
      return watch.report(performance.now());
    }
    case "unwatch":
      watches.delete(request.book);
      return undefined;
    case "close":
      return undefined;
  }
};

port.on("message", async (request: VenueRequest) => {
  let reply: VenueReply;
  try {
    reply = { id: request.id, ok: true, value: answer(request) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: String(error) };
  }
  if (request.type === "close") {
    await venue.close();
    port.postMessage(reply);
    port.close();
    return;
  }
  port.postMessage(reply);
});

port.postMessage({ type: "ready", address: venue.address } satisfies VenueReady);
