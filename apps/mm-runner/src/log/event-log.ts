import type { Logger } from "pino";
import type { WireEvent } from "../workers/wire/protocol.ts";
import { fromWireError, type WireError } from "../workers/wire/wire-error.ts";

const err = (wire: WireError | undefined) => (wire ? fromWireError(wire) : undefined);

/**
 * Turns one symbol's market-maker events into log lines: one concise info line per cycle,
 * one line per change of state (price lost/back, venue lost/back, quotes pulled), and
 * errors with their cause. Repeats of the same trouble are not logged every tick.
 *
 * A streaming feed requotes on ticks, up to 1000 / MIN_REQUOTE_INTERVAL_MS times a second
 * per symbol: a tick requote that quoted cleanly is a debug line, and the next interval
 * cycle's info line counts them (`tickRequotes`). A tick requote that failed a step or did
 * not quote stays at info, as does every change of state.
 */
export function createEventLog(logger: Logger): (event: WireEvent) => void {
  let priceTrouble: string | undefined;
  /** Tick requotes since the last interval cycle: summed up on that cycle's line. */
  let tickRequotes = 0;
  /** Orders they placed and cancelled: the interval line counts them with its own. */
  let tickPlaced = 0;
  let tickCanceled = 0;
  /**
   * Interval cycles logged: the line's number. Core's `cycle` counts tick requotes too, so
   * on a streaming feed it jumps by dozens from one line to the next; it stays a field.
   */
  let intervalCycles = 0;

  return (event) => {
    switch (event.type) {
      case "cycle": {
        const { outcome } = event;
        const line = {
          cycle: event.cycle,
          // The worker's own start time (ms epoch): the log line's time carries the main
          // thread's lag, this does not.
          startedAt: event.startedAt,
          outcome,
          price: event.price,
          source: event.source,
          bestBid: event.bestBid,
          bestAsk: event.bestAsk,
          placed: event.placed,
          canceled: event.canceled,
          kept: event.kept,
          failed: event.failed,
          fills: event.fills,
          ms: Math.round(event.durationMs),
          // Slots of the interval grid skipped because the previous cycle overran.
          missedSlots: event.missedSlots,
        };
        const late =
          line.missedSlots !== undefined && line.missedSlots > 0
            ? ` (${line.missedSlots} slot${line.missedSlots === 1 ? "" : "s"} missed: the previous cycle overran)`
            : "";
        if (outcome === "quoted" && priceTrouble !== undefined) {
          logger.info({ price: line.price, source: line.source }, "price back");
          priceTrouble = undefined;
        }
        const trigger = event.trigger ?? "interval";
        if (trigger === "fill") {
          const reactionMs =
            event.fillReceivedAt === undefined
              ? undefined
              : Math.round(event.startedAt + event.durationMs - event.fillReceivedAt);
          logger.debug(
            { ...line, trigger, reactionMs },
            `requote on fill: ${outcome}, placed ${line.placed}, canceled ${line.canceled}, ${reactionMs ?? "?"} ms after the fill arrived`,
          );
          break;
        }
        if (trigger === "tick") {
          tickRequotes++;
          tickPlaced += line.placed;
          tickCanceled += line.canceled;
          const clean = outcome === "quoted" && line.failed === 0;
          logger[clean ? "debug" : "info"](
            { ...line, trigger, priceReceivedAt: event.priceReceivedAt },
            outcome === "quoted"
              ? `requote on tick: ${line.price} (${line.source}) bid ${line.bestBid ?? "-"} ask ${line.bestAsk ?? "-"}, placed ${line.placed}, canceled ${line.canceled}, failed ${line.failed}, ${line.ms} ms`
              : `requote on tick: ${outcome}, ${line.ms} ms`,
          );
          break;
        }
        const ticks = tickRequotes;
        intervalCycles++;
        // What the line counts: this cycle and every tick requote since the last line.
        const placed = line.placed + tickPlaced;
        const canceled = line.canceled + tickCanceled;
        tickRequotes = 0;
        tickPlaced = 0;
        tickCanceled = 0;
        const counts = `placed ${placed}, canceled ${canceled}${ticks > 0 ? ` (this cycle and ${ticks} tick requote${ticks === 1 ? "" : "s"} since the last line)` : ""}`;
        const fields = {
          ...line,
          trigger,
          intervalCycle: intervalCycles,
          tickRequotes: ticks,
          placedSinceLastLine: placed,
          canceledSinceLastLine: canceled,
        };
        if (outcome === "quoted") {
          logger.info(
            fields,
            `cycle ${intervalCycles}: ${line.price} (${line.source}) bid ${line.bestBid ?? "-"} ask ${line.bestAsk ?? "-"}, ${counts}, ${line.ms} ms${late}`,
          );
        } else {
          logger.info(
            fields,
            `cycle ${intervalCycles}: ${outcome}${ticks > 0 || placed + canceled > 0 ? `, ${counts}` : ""}, ${line.ms} ms${late}`,
          );
        }
        break;
      }
      case "price-error": {
        const kind = event.error.kind ?? "unknown";
        if (kind === "aborted") break;
        if (priceTrouble !== kind) {
          priceTrouble = kind;
          logger.warn({ err: err(event.error), priceAgeMs: event.priceAgeMs }, "no usable price");
        }
        break;
      }
      case "ladder-error":
        logger.error(
          { err: err(event.error), price: event.price },
          "no valid ladder at this price",
        );
        break;
      case "venue-state":
        if (event.state === "lost") logger.warn({ err: err(event.error) }, "venue lost");
        else logger.info("venue back");
        break;
      case "quotes-pulled":
        logger.warn(
          {
            priceAgeMs: event.priceAgeMs,
            orders: event.orders,
            reason: event.reason,
            ...(event.detail === undefined ? {} : { detail: event.detail }),
          },
          event.reason === "untrusted"
            ? `quotes pulled: the price is not trusted (${event.detail ?? "no detail"})`
            : "quotes pulled: no usable price for too long",
        );
        break;
      case "quotes-resumed":
        logger.info({ price: event.price, source: event.source }, "quotes resumed");
        break;
      case "venue-reset":
        logger.warn(
          { reason: event.reason, lost: event.lost },
          "the venue lost our orders; restoring the ladder",
        );
        break;
      case "order-failed":
        logger.warn(
          {
            err: err(event.error),
            action: event.action,
            orderId: event.orderId,
            uncertain: event.uncertain,
          },
          `${event.action} failed`,
        );
        break;
      case "fill":
        logger[event.via === "reconciliation" ? "warn" : "info"](
          {
            orderId: event.orderId,
            side: event.side,
            price: event.price,
            quantity: event.quantity,
            remaining: event.remaining,
            position: event.position,
            via: event.via,
            fee: event.fee,
            realized: event.realized,
            ...(event.key === undefined ? {} : { key: event.key, role: event.role }),
          },
          event.via === "reconciliation"
            ? `fill of ${event.orderId} the trade stream never reported (${event.quantity} at ${event.price}): booked from the venue's own answer`
            : // A terminal shows the message alone: it says what traded.
              `fill: ${event.side} ${event.quantity} @ ${event.price}, position ${event.position}`,
        );
        break;
      case "halted":
        logger.error(
          {
            reason: event.reason,
            realized: event.realized,
            unrealized: event.unrealized,
            peak: event.peak,
            position: event.position,
          },
          `HALTED: ${event.reason}; quotes pulled until an operator resumes (or a restart with RESUME=1)`,
        );
        break;
      case "paused":
        logger.warn({ reason: event.reason }, "paused: quotes pulled");
        break;
      case "resumed":
        logger.warn(
          event.halted === undefined ? {} : { halted: event.halted },
          event.halted === undefined ? "resumed" : `resumed: halt lifted (${event.halted})`,
        );
        break;
      case "error":
        logger.error({ err: err(event.error), stage: event.stage }, "market maker error");
        break;
      case "stopped": {
        const { summary } = event;
        const failed = summary.failed.length;
        logger[failed > 0 ? "warn" : "info"](
          summary,
          `stopped: ${summary.canceled} cancelled, ${summary.alreadyGone} already gone${failed > 0 ? `, ${failed} not confirmed (the final sweep retries them)` : ""}`,
        );
        break;
      }
      case "order-canceled":
        if (event.fillUnknown) {
          logger.warn(
            { orderId: event.orderId, side: event.side, price: event.price, reason: event.reason },
            `order ${event.orderId} is gone after a cancel whose answer was lost: counted as cancelled, no fill booked (Matchingo cannot tell a fill in between apart)`,
          );
        } else logger.debug(event, event.type);
        break;
      default:
        // order-placed, order-canceled, rpc: too many for info.
        logger.debug(event, event.type);
    }
  };
}
