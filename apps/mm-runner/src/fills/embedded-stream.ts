/**
 * The sandbox's trade stream: the embedded venue's DoneMessages, heard in process as it
 * matches (before its CreateOrder answers), routed like the Kafka stream's. No broker, no
 * offsets: it lives and dies with the process, and a fill is handed again only to a
 * restarted worker.
 */
import type { TradeFill } from "@matchingo-mm/core";
import type { DoneMessage } from "@matchingo-mm/grpc-client/proto";
import { encodeDoneMessage, readDoneMessage } from "@matchingo-mm/grpc-client/trade-stream";
import type { Logger } from "pino";
import type { FillStreamStatus } from "./fill-stream-status.ts";
import { HandedFills } from "./handed-fills.ts";
import type { TradeStream } from "./trade-stream.ts";

export interface EmbeddedStreamOptions {
  readonly onDone: (listener: (message: DoneMessage) => void) => () => void;
  readonly route: (orderId: string) => string | undefined;
  readonly deliver: (symbol: string, fill: TradeFill) => boolean;
  readonly logger: Logger;
  readonly now?: () => number;
}

export function createEmbeddedStream(options: EmbeddedStreamOptions): TradeStream {
  const now = options.now ?? Date.now;
  const since = now();
  // Keys must not repeat across runs on one ledger: this start's time leads them.
  const run = `embedded/${since}`;
  const handed = new HandedFills(options.deliver);
  let seq = 0;
  let garbage = 0;
  let unsubscribe: (() => void) | undefined;

  function onDone(message: DoneMessage): void {
    const number = seq++;
    // Through the same bytes and checks as a Kafka message: the sandbox tests that path.
    const read = readDoneMessage(encodeDoneMessage(message));
    if (!read.ok) {
      garbage++;
      options.logger.warn(
        { problem: read.problem },
        "the embedded venue sent an unreadable DoneMessage",
      );
      return;
    }
    const receivedAt = now();
    for (const trade of read.trades) {
      const symbol = options.route(trade.orderId);
      if (symbol === undefined) continue;
      handed.hand(symbol, trade, `${run}/${number}/${trade.index}`, receivedAt);
    }
  }

  return {
    start() {
      unsubscribe ??= options.onDone(onDone);
    },
    settle(key) {
      handed.settle(key);
    },
    redeliver(symbol) {
      handed.redeliver(symbol);
    },
    // The embedded venue hands each fill out before its CreateOrder answers.
    readToEnd: async () => undefined,
    status(): FillStreamStatus {
      return {
        mode: "embedded",
        state: "live",
        since,
        lastOffset: seq > 0 ? { "0": String(seq - 1) } : {},
        lag: 0,
        garbage,
        pending: handed.size,
        outages: 0,
      };
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
