import type { ChainEvent } from "@matchingo-mm/price-sources";
import type { Logger } from "pino";
import type { OpsMetrics } from "../metrics/ops-metrics.ts";
import type { SymbolTracker } from "../status/symbol-tracker.ts";

export interface ChainEventSinks {
  readonly logger: Logger;
  readonly trackers: ReadonlyMap<string, SymbolTracker>;
  readonly metrics?: OpsMetrics;
}

/**
 * Failures of a source that say nothing is wrong with the runner or the answer: the
 * exchange cannot be reached or answers slowly. Logged as one line with the reason; the
 * unexpected ones (a bad payload, a wrong symbol) keep their stack and cause.
 */
const EXPECTED_OUTAGES: ReadonlySet<string> = new Set([
  "unreachable",
  "timeout",
  "rate-limited",
  "cooling-down",
]);

/** Logs, counts and notes (per symbol, where it has one) the price chain's changes of state. */
export function chainEventHandler(sinks: ChainEventSinks): (event: ChainEvent) => void {
  /** Per symbol, the last untrusted reason logged: a warning per change, not per round. */
  const untrusted = new Map<string, string>();
  return (event) => {
    const symbol = "symbol" in event ? event.symbol : undefined;
    sinks.metrics?.observe(symbol ?? "*", event);
    const log = symbol ? sinks.logger.child({ symbol }) : sinks.logger;
    const tracker = symbol ? sinks.trackers.get(symbol) : undefined;
    switch (event.type) {
      case "failover":
      case "failback":
        log.warn(
          { from: event.from, to: event.to },
          `price source ${event.type}: ${event.from} → ${event.to}`,
        );
        tracker?.note(event.type, `price source ${event.from} → ${event.to}`, "warn");
        return;
      case "source-failed": {
        const fields = {
          source: event.source,
          failures: event.failures,
          retryInMs: event.retryInMs,
        };
        if (EXPECTED_OUTAGES.has(event.error.kind)) {
          // Offline, a firewall, a slow exchange: expected; one line with the reason, no stack.
          log.warn(
            { ...fields, kind: event.error.kind, reason: event.error.message },
            `price source ${event.source} failed (${event.error.kind}: ${event.error.message}); next try in ${event.retryInMs} ms`,
          );
        } else {
          log.warn(
            { ...fields, err: event.error },
            `price source ${event.source} failed (${event.error.kind}); next try in ${event.retryInMs} ms`,
          );
        }
        return;
      }
      case "source-recovered":
        log.info(
          { source: event.source, downMs: event.downMs },
          `price source ${event.source} is back`,
        );
        tracker?.note("source-recovered", `${event.source} is back`);
        return;
      case "jump-rejected":
        log.warn(
          { source: event.tick.source, price: event.tick.price, lastPrice: event.lastPrice },
          `price jump rejected: ${event.tick.source} says ${event.tick.price}, last ${event.lastPrice}`,
        );
        tracker?.note(
          "jump-rejected",
          `${event.tick.source} ${event.tick.price} rejected (last ${event.lastPrice})`,
          "warn",
        );
        return;
      case "jump-confirmed":
        log.info(
          { price: event.tick.price, lastPrice: event.lastPrice, confirmedBy: event.confirmedBy },
          "price jump confirmed by a second source",
        );
        return;
      case "price-untrusted": {
        const said = untrusted.get(event.symbol);
        untrusted.set(event.symbol, event.reason);
        log[said === event.reason ? "debug" : "warn"](
          { reason: event.reason, source: event.tick.source, price: event.tick.price },
          `price of ${event.symbol} not trusted, not quoted on: ${event.message}`,
        );
        if (said !== event.reason) {
          tracker?.note("price-untrusted", `price not trusted: ${event.message}`, "warn");
        }
        return;
      }
      case "price-trusted": {
        untrusted.delete(event.symbol);
        const how =
          event.how === "agreed"
            ? `${event.tick.source} and ${event.confirmedBy.join(", ")} agree`
            : event.how === "held"
              ? `${event.tick.source} held it for FIRST_PRICE_CONFIRMATIONS rounds`
              : `every source kept saying it for JUMP_ACCEPT_SECONDS (from ${event.from})`;
        log.info(
          { how: event.how, source: event.tick.source, price: event.tick.price },
          `price of ${event.symbol} trusted: ${event.tick.price} (${how})`,
        );
        tracker?.note("price-trusted", `price trusted: ${event.tick.price} (${how})`);
        return;
      }
      case "all-sources-failed":
        log.debug({ err: event.error }, "no source gave a usable price this round");
        return;
    }
  };
}
