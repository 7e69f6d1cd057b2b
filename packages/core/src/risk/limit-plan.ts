import { add, type Decimal, gt, parseDecimal, sub, ZERO } from "../decimal.ts";
import { type DecimalInput, readDecimal } from "../decimal-input.ts";
import type { LiveOrder, PlaceStep, Plan, PlanStep } from "../planner.ts";
import type { Side } from "../ports.ts";

export interface PlanLimit {
  /** Signed position when the plan was made. */
  readonly position: DecimalInput;
  /** MAX_POSITION. */
  readonly maxPosition: DecimalInput;
}

/**
 * Keeps a requote plan inside the position limit while it runs, not only once done.
 *
 * `diff` plans make before they break: new orders go out before the ones they replace
 * are cancelled, so for a moment both rest. With a limit, that moment could hold more
 * than the limit allows on the growing side. For each side this checks the worst case of
 * every phase (orders of the side not yet cancelled in an earlier phase, uncertain
 * creates included, plus every place sent so far); if it ever exceeds the room left,
 * that side alone becomes break-before-make: its cancels move to a new first phase, its
 * places to a new last phase, each waiting (`after`) on those cancels, so a cancel the
 * venue does not confirm keeps the places back rather than risk the limit. The other
 * side keeps its make-before-break order. The ladder itself must already be trimmed
 * (`trimToPositionLimit`); this only orders the steps.
 */
export function holdPlacesWithinLimit(
  plan: Plan,
  live: readonly LiveOrder[],
  limit: PlanLimit,
): Plan {
  const position = readDecimal("position", limit.position);
  const maxPosition = readDecimal("maxPosition", limit.maxPosition);
  const rooms: Record<Side, Decimal> = {
    buy: sub(maxPosition, position),
    sell: add(maxPosition, position),
  };
  const over = (["buy", "sell"] as const).filter((side) =>
    exceedsWhileRunning(plan, live, side, rooms[side]),
  );
  if (over.length === 0) return plan;

  const moving = (step: PlanStep) => over.includes(sideOf(step));
  const cancels = plan.phases.flat().filter((step) => step.kind === "cancel" && moving(step));
  const cancelIds = (side: Side) =>
    cancels
      .filter((step) => sideOf(step) === side)
      .map((step) => (step as { orderId: string }).orderId);
  const places = plan.phases
    .flat()
    .filter((step): step is PlaceStep => step.kind === "place" && moving(step))
    .map((step) => ({
      ...step,
      after: [...new Set([...step.after, ...cancelIds(step.order.side)])],
    }));
  const rest = plan.phases
    .map((phase) => phase.filter((step) => !moving(step)))
    .filter((phase) => phase.length > 0);
  return {
    ...plan,
    phases: [cancels, ...rest, places].filter((phase) => phase.length > 0),
  };
}

function sideOf(step: PlanStep): Side {
  return step.kind === "place" ? step.order.side : step.side;
}

function exceedsWhileRunning(
  plan: Plan,
  live: readonly LiveOrder[],
  side: Side,
  room: Decimal,
): boolean {
  const resting = new Map(
    live
      .filter((order) => order.side === side)
      .map((order) => [order.orderId, parseDecimal(order.quantity)]),
  );
  let placed = ZERO;
  for (const phase of plan.phases) {
    // Within a phase steps run concurrently: its cancels may land after its places.
    for (const step of phase) {
      if (step.kind === "place" && step.order.side === side) {
        placed = add(placed, parseDecimal(step.order.quantity));
      }
    }
    let exposure = placed;
    for (const quantity of resting.values()) exposure = add(exposure, quantity);
    if (gt(exposure, room)) return true;
    for (const step of phase) {
      if (step.kind === "cancel") resting.delete(step.orderId);
    }
  }
  return false;
}
