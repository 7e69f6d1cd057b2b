import { formatDecimal, normalize, ZERO } from "../decimal.ts";
import { checkLoss } from "../risk/kill-switch.ts";
import { unrealized } from "../risk/pnl.ts";
import type { MarketMakerContext } from "./context.ts";

/**
 * The loss kill switch on the current P&L: realized (by average cost, fees included) plus
 * unrealized marked at the last accepted reference price. On a trip quoting halts (see
 * `haltQuoting`); a halted market maker is not checked again until resumed.
 */
export function checkKillSwitch(ctx: MarketMakerContext): void {
  const { maxLoss, maxDrawdown } = ctx.risk;
  if (ctx.halt || (maxLoss === undefined && maxDrawdown === undefined)) return;
  const pnl = ctx.ledger.pnl;
  const mark = ctx.lastPrice?.price;
  const open = mark === undefined ? ZERO : unrealized(pnl, mark);
  const check = checkLoss(
    { realized: pnl.realized, unrealized: open, peak: ctx.peak },
    { maxLoss, maxDrawdown },
  );
  ctx.peak = check.peak;
  if (!check.tripped) return;
  haltQuoting(ctx, `kill switch: ${check.reason}`, {
    realized: pnl.realized,
    unrealized: formatDecimal(normalize(open)),
    peak: check.peak,
    position: pnl.position,
  });
}

/**
 * Stops quoting on a risk trip: nothing new is placed (a plan under way skips its
 * places), the cycle's risk reaction cancels every order, and it stays so until `resume()`.
 */
export function haltQuoting(
  ctx: MarketMakerContext,
  reason: string,
  figures: { realized: string; unrealized: string; peak: string; position: string },
): void {
  if (ctx.halt) return;
  ctx.halt = { reason, since: ctx.ports.clock.now() };
  ctx.paused = true;
  ctx.pausedReason = reason;
  ctx.builtOn = undefined;
  ctx.emit({ type: "halted", reason, ...figures });
}
