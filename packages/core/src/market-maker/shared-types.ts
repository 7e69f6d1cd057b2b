import type { DecimalInput } from "../decimal-input.ts";
import type { Side } from "../ports.ts";
import type { PnlState } from "../risk/pnl.ts";

// The data shapes the market maker's modules and its events share. This module imports
// nothing else from market-maker/, so no import circle can run through it.

export type FillPolling =
  /** Poll best price first and infer deeper levels untouched while a better one lives. */
  | "priority"
  /** Poll every live order every cycle. */
  | "all"
  /** Never poll: fills are only seen when a cancel finds the order gone. */
  | "off";

/**
 * The quoting parameters an operator may change while running (`updateParams`). `null`
 * removes `orderSizeStep`, `orderSizeMultiplier` or `asHorizonMs` (infinite horizon).
 */
export interface QuoteParamsInput {
  readonly levels: number;
  readonly baseSpreadPercent: DecimalInput;
  readonly priceStepPercent: DecimalInput;
  readonly orderSize: DecimalInput | readonly DecimalInput[];
  readonly orderSizeStep: DecimalInput | null;
  readonly orderSizeMultiplier: DecimalInput | null;
  readonly refreshTolerancePercent: DecimalInput;
  readonly minRequoteIntervalMs: number;
  readonly asGamma: DecimalInput;
  readonly asKappa: DecimalInput;
  readonly asHorizonMs: number | null;
  readonly volatilityWindowMs: number;
}

/** The quoting parameters in effect, decimals as normalized strings. */
export interface QuoteParams {
  readonly levels: number;
  readonly baseSpreadPercent: string;
  readonly priceStepPercent: string;
  /** One size, or one per level as a comma list (`0.01,0.02,0.04`). */
  readonly orderSize: string;
  readonly orderSizeStep?: string;
  readonly orderSizeMultiplier?: string;
  /** Each level's size after the form and the lot step, innermost first. */
  readonly sizes: readonly string[];
  readonly refreshTolerancePercent: string;
  readonly minRequoteIntervalMs: number;
  readonly asGamma: string;
  readonly asKappa: string;
  /** Absent: infinite horizon. */
  readonly asHorizonMs?: number;
  readonly volatilityWindowMs: number;
}

export type OrderState = "placing" | "live" | "uncertain";

export interface OrderView {
  readonly orderId: string;
  readonly side: Side;
  readonly level: number;
  readonly price: string;
  /** As placed. */
  readonly quantity: string;
  readonly remaining: string;
  readonly state: OrderState;
}

/** What the market maker starts from: the P&L a ledger restored (default: flat). */
export interface RestoredPnl {
  readonly pnl: PnlState;
  /** Base units traded in the restored fills (for the volume shown). */
  readonly baseVolume?: string;
}

/** What a ledger knows of an order of an earlier run: to book its late stream fills once. */
export interface RestoredOrderFills {
  readonly orderId: string;
  readonly side: Side;
  /** Every fill booked on it, and those of them the stream reported (decimals). */
  readonly booked: string;
  readonly streamed: string;
}
