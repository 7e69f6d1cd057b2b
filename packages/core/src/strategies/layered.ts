import { eq } from "../decimal.ts";
import { computeLadder, type Ladder } from "../ladder.ts";
import { skewedCenter } from "../risk/skew.ts";
import type { MarketView, Strategy } from "./types.ts";

/**
 * The seed's layered symmetric ladder: `bid_1 = P − P·spread/200`, `ask_1 = P + P·spread/200`,
 * one `P·step/100` further out per level, around P or, with inventory skew, around
 * `P × (1 − skew%/100 × position/MAX_POSITION)`.
 */
export function layeredLadder(view: MarketView): Ladder {
  const { reference, risk, position } = view;
  const center = skewedCenter(reference, position, risk.maxPosition, risk.skewPercent);
  return eq(center, reference)
    ? computeLadder(reference, view.ladder)
    : computeLadder(reference, view.ladder, { center });
}

export const layered: Strategy = { name: "layered", quote: layeredLadder };
