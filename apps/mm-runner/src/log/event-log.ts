import type { Logger } from "pino";
import type { WireEvent } from "../workers/protocol.ts";
import { fromWireError, type WireError } from "../workers/wire-error.ts";

/**
 * Turns one symbol's market-maker events into log lines: one concise info line per cycle,
 * one line per change of state (price lost/back, venue lost/back, quotes pulled), and
 * errors with their cause. Repeats of the same trouble are not logged every tick.
 */
export function createEventLog(logger: Logger): (event: WireEvent) => void {
  let priceTrouble: string | undefined;

  const err = (event: WireEvent) => {
    const wire = event.error as WireError | undefined;
    return wire ? fromWireError(wire) : undefined;
  };

  return (event) => {
    const field = <T>(key: string) => event[key] as T;
    switch (event.type) {
      case "cycle": {
        const outcome = field<string>("outcome");
        const line = {
          cycle: field<number>("cycle"),
          // The worker's own start time (ms epoch): the log line's time carries the main
          // thread's lag, this does not.
          startedAt: field<number>("startedAt"),
          outcome,
          price: field<string>("price"),
          source: field<string>("source"),
          bestBid: field<string>("bestBid"),
          bestAsk: field<string>("bestAsk"),
          placed: field<number>("placed"),
          canceled: field<number>("canceled"),
          kept: field<number>("kept"),
          failed: field<number>("failed"),
          fills: field<number>("fills"),
          ms: Math.round(field<number>("durationMs") ?? 0),
          // Slots of the interval grid skipped because the previous cycle overran.
          missedSlots: field<number | undefined>("missedSlots"),
        };
        const late =
          line.missedSlots !== undefined && line.missedSlots > 0
            ? ` (${line.missedSlots} slot${line.missedSlots === 1 ? "" : "s"} missed: the previous cycle overran)`
            : "";
        if (outcome === "quoted" && priceTrouble !== undefined) {
          logger.info({ price: line.price, source: line.source }, "price back");
          priceTrouble = undefined;
        }
        if (outcome === "quoted") {
          logger.info(
            line,
            `cycle ${line.cycle}: ${line.price} (${line.source}) bid ${line.bestBid ?? "-"} ask ${line.bestAsk ?? "-"}, placed ${line.placed}, canceled ${line.canceled}, ${line.ms} ms${late}`,
          );
        } else {
          logger.info(line, `cycle ${line.cycle}: ${outcome}, ${line.ms} ms${late}`);
        }
        break;
      }
      case "price-error": {
        const error = err(event);
        const kind = (event.error as WireError | undefined)?.kind ?? "unknown";
        if (kind === "aborted") break;
        if (priceTrouble !== kind) {
          priceTrouble = kind;
          logger.warn({ err: error, priceAgeMs: field<number>("priceAgeMs") }, "no usable price");
        }
        break;
      }
      case "ladder-error":
        logger.error(
          { err: err(event), price: field<string>("price") },
          "no valid ladder at this price",
        );
        break;
      case "venue-state":
        if (field<string>("state") === "lost") logger.warn({ err: err(event) }, "venue lost");
        else logger.info("venue back");
        break;
      case "quotes-pulled":
        logger.warn(
          { priceAgeMs: field<number>("priceAgeMs"), orders: field<number>("orders") },
          "quotes pulled: no usable price for too long",
        );
        break;
      case "quotes-resumed":
        logger.info(
          { price: field<string>("price"), source: field<string>("source") },
          "quotes resumed",
        );
        break;
      case "venue-reset":
        logger.warn(
          { reason: field<string>("reason"), lost: field<number>("lost") },
          "the venue lost our orders; restoring the ladder",
        );
        break;
      case "order-failed":
        logger.warn(
          {
            err: err(event),
            action: field<string>("action"),
            orderId: field<string>("orderId"),
            uncertain: field<boolean>("uncertain"),
          },
          `${field<string>("action")} failed`,
        );
        break;
      case "fill":
        logger.info(
          {
            orderId: field<string>("orderId"),
            side: field<string>("side"),
            price: field<string>("price"),
            quantity: field<string>("quantity"),
            remaining: field<string>("remaining"),
            position: field<string>("position"),
            via: field<string>("via"),
            fee: field<string>("fee"),
            realized: field<string>("realized"),
          },
          "fill",
        );
        break;
      case "halted":
        logger.error(
          {
            reason: field<string>("reason"),
            realized: field<string>("realized"),
            unrealized: field<string>("unrealized"),
            peak: field<string>("peak"),
            position: field<string>("position"),
          },
          `HALTED: ${field<string>("reason")}; quotes pulled until an operator resumes (or a restart with RESUME=1)`,
        );
        break;
      case "paused":
        logger.warn({ reason: field<string>("reason") }, "paused: quotes pulled");
        break;
      case "resumed": {
        const halted = field<string | undefined>("halted");
        logger.warn(
          halted === undefined ? {} : { halted },
          halted === undefined ? "resumed" : `resumed: halt lifted (${halted})`,
        );
        break;
      }
      case "error":
        logger.error({ err: err(event), stage: field<string>("stage") }, "market maker error");
        break;
      case "order-placed":
      case "order-canceled":
        logger.debug(event, event.type);
        break;
      case "stopped": {
        const summary = field<{ canceled: number; alreadyGone: number; failed: string[] }>(
          "summary",
        );
        const failed = summary.failed.length;
        logger[failed > 0 ? "warn" : "info"](
          summary,
          `stopped: ${summary.canceled} cancelled, ${summary.alreadyGone} already gone${failed > 0 ? `, ${failed} not confirmed (the final sweep retries them)` : ""}`,
        );
        break;
      }
      default:
        logger.debug(event, event.type);
    }
  };
}
