import {
  add,
  type ConfigProblem,
  compare,
  formatDecimal,
  formSizes,
  gt,
  levelSizes,
  type MarketMakerSnapshot,
  normalize,
  type PriceTick,
  parseDecimal,
  type RiskSnapshot,
  readSizes,
  sub,
  ZERO,
} from "@matchingo-mm/core";
import type { SymbolConfig } from "../config/types.ts";
import type { WireEvent } from "../workers/wire/protocol.ts";
import type {
  FillMark,
  LadderOrder,
  RiskStatus,
  StatusEvent,
  SymbolState,
  SymbolStatus,
} from "./runner-status.ts";

const RECENT_EVENTS = 30;
/** Fill markers kept for the charts (the page's history keeps its own bounded copy). */
const RECENT_FILLS = 50;

type WorkerState = "starting" | "running" | "crashed" | "stopped";

interface LiveOrder {
  readonly side: "buy" | "sell";
  readonly price: string;
  readonly quantity: string;
}

export interface SymbolTracker {
  /** A market-maker event from this symbol's worker. */
  onEvent(event: WireEvent): void;
  /** Core's own view of our orders, fills and position (after each cycle and fill). */
  onSnapshot(snapshot: MarketMakerSnapshot): void;
  /** The price the main thread handed this symbol's worker. */
  onPrice(tick: PriceTick): void;
  /** A line for the recent-events list (failover, worker restarts...). */
  note(type: string, message: string, level?: StatusEvent["level"]): void;
  onWorker(state: WorkerState, reason?: string): void;
  /** Levels per side changed while running (control API): a full ladder has this many. */
  setLevels(levels: number): void;
  /** Each level's size in effect, innermost first (after a live change of the sizes). */
  setSizes(sizes: readonly string[]): void;
  /** The operator paused (true) or resumed (false) this symbol through the control API. */
  setPaused(paused: boolean): void;
  snapshot(): SymbolStatus;
}

/** Folds one symbol's events into the status `/status`, `/readyz` and the page show. */
export function createSymbolTracker(config: SymbolConfig, now = Date.now): SymbolTracker {
  const live = new Map<string, LiveOrder>();
  const recent: StatusEvent[] = [];
  let worker: WorkerState = "starting";
  let workerReason: string | undefined;
  let restarts = 0;
  let price: SymbolStatus["price"];
  let cycles = 0;
  let lastCycleAt: number | undefined;
  let lastOutcome: string | undefined;
  let lastCycleFailed = 0;
  let quotedOnce = false;
  let pulled: string | undefined;
  let venueLost: string | undefined;
  let priceProblem: string | undefined;
  let fillCount = 0;
  let volume = ZERO;
  let position = "0";
  let levels = config.numLevels;
  let sizes = sizesOf(config);
  let fillSeq = 0;
  let paused = false;
  let risk: RiskSnapshot | undefined;
  const recentFills: FillMark[] = [];

  const note: SymbolTracker["note"] = (type, message, level = "info") => {
    recent.push({ at: now(), type, message, level });
    if (recent.length > RECENT_EVENTS) recent.shift();
  };

  return {
    onEvent(event) {
      switch (event.type) {
        case "cycle": {
          cycles++;
          lastCycleAt = event.startedAt + event.durationMs;
          lastOutcome = event.outcome;
          lastCycleFailed = event.failed;
          if (lastOutcome === "quoted") {
            quotedOnce = true;
            pulled = undefined;
            priceProblem = undefined;
            venueLost = undefined;
          }
          break;
        }
        case "price-error":
          priceProblem =
            event.error.name === "PriceError" &&
            (event.error as { kind?: string }).kind === "untrusted"
              ? `price not trusted: ${event.error.message}`
              : `no usable price: ${event.error.message}`;
          break;
        case "ladder-error":
          priceProblem = `no valid ladder at ${event.price}: ${event.error.message}`;
          note("ladder-error", priceProblem, "warn");
          break;
        case "venue-state":
          if (event.state === "lost") {
            venueLost = `venue unreachable: ${event.error?.message ?? "unknown"}`;
            note("venue-lost", venueLost, "warn");
          } else {
            venueLost = undefined;
            note("venue-back", "venue reachable again");
          }
          break;
        case "fill":
          // Counts, volume and position come from core's snapshots alone (its ledger); a
          // fill event only adds a marker and a line.
          fillSeq++;
          recentFills.push({
            seq: fillSeq,
            at: event.time,
            side: event.side,
            price: event.price,
            quantity: event.quantity,
          });
          if (recentFills.length > RECENT_FILLS) recentFills.shift();
          note(
            "fill",
            `${event.side} ${event.quantity} @ ${event.price}, position ${event.position}`,
          );
          break;
        case "quotes-pulled":
          // The price's own problem (its latest words) follows this reason in the snapshot.
          pulled =
            event.reason === "untrusted"
              ? "quotes pulled: the price is not trusted"
              : `no usable price for ${Math.round(event.priceAgeMs / 1000)} s: quotes pulled`;
          note("quotes-pulled", pulled, "warn");
          break;
        case "quotes-resumed":
          pulled = undefined;
          note("quotes-resumed", `quoting again at ${event.price} (${event.source})`);
          break;
        case "venue-reset":
          live.clear();
          note(
            "venue-reset",
            `the venue ${event.reason === "book-missing" ? "lost the book" : "re-created the book"}; ${event.lost} orders forgotten, restoring the ladder`,
            "warn",
          );
          break;
        case "halted":
          note("halted", `HALTED: ${event.reason}`, "error");
          break;
        case "resumed":
          if (event.halted !== undefined)
            note("halt-lifted", `halt lifted (${event.halted})`, "warn");
          break;
        case "error":
          note(`error-${event.stage}`, event.error.message, "error");
          break;
        case "stopped":
          live.clear();
          break;
      }
    },
    onSnapshot(snapshot) {
      live.clear();
      for (const order of snapshot.orders) {
        if (order.state !== "live") continue;
        live.set(order.orderId, {
          side: order.side,
          price: order.price,
          quantity: order.remaining,
        });
      }
      fillCount = snapshot.fills;
      volume = parseDecimal(snapshot.volume.base);
      position = snapshot.position;
      risk = snapshot.risk;
    },
    onPrice(tick) {
      price = { value: tick.price, source: tick.source, receivedAt: tick.receivedAt };
    },
    note,
    onWorker(state, reason) {
      if (state === "starting" && worker === "crashed") restarts++;
      worker = state;
      workerReason = reason;
      if (state === "crashed") live.clear();
    },
    setLevels(value) {
      levels = value;
    },
    setSizes(value) {
      sizes = [...value];
    },
    setPaused(value) {
      if (value === paused) return;
      paused = value;
      note(
        value ? "paused" : "resumed",
        value ? "paused by an operator" : "resumed by an operator",
      );
    },
    snapshot() {
      const reasons: string[] = [];
      let state: SymbolState;
      if (worker === "crashed") {
        state = "crashed";
        reasons.push(workerReason ?? "worker crashed");
      } else if (worker === "stopped") {
        state = "stopped";
      } else if (risk?.halted) {
        state = "halted";
        reasons.push(
          `halted by the kill switch: ${risk.halted.reason} (resume it through the control API, or restart with RESUME=1)`,
        );
      } else if (paused) {
        state = "paused";
        reasons.push("paused by an operator (control API)");
      } else if (pulled) {
        state = "pulled";
        reasons.push(pulled);
        if (priceProblem) reasons.push(priceProblem);
      } else if (!quotedOnce) {
        state = "starting";
        if (priceProblem) reasons.push(priceProblem);
        if (venueLost) reasons.push(venueLost);
      } else {
        if (lastOutcome !== "quoted") reasons.push(`last cycle: ${lastOutcome}`);
        if (priceProblem) reasons.push(priceProblem);
        if (venueLost) reasons.push(venueLost);
        if (lastCycleFailed > 0) reasons.push(`${lastCycleFailed} order steps failed last cycle`);
        const bids = [...live.values()].filter((order) => order.side === "buy").length;
        const asks = live.size - bids;
        const limited = limitedSides(levels, sizes, risk);
        // A side the position limit trims is as it should be, not degraded.
        const bidsShort = bids < levels && !limited.buy;
        const asksShort = asks < levels && !limited.sell;
        if (bidsShort || asksShort) {
          reasons.push(`partial ladder: ${bids}/${levels} bids, ${asks}/${levels} asks`);
        }
        state = reasons.length === 0 ? "quoting" : "degraded";
      }
      return {
        symbol: config.symbol,
        book: config.book,
        marketMakerId: config.marketMakerId,
        strategy: config.strategy,
        sizes: sizes.slice(0, levels),
        state,
        reasons,
        ...(price ? { price } : {}),
        bids: side(live, "buy"),
        asks: side(live, "sell"),
        fills: { count: fillCount, volume: formatDecimal(volume) },
        position,
        ...(risk ? { pnl: totalPnl(risk), risk: riskStatus(levels, sizes, risk) } : {}),
        recentFills: [...recentFills],
        cycles,
        ...(lastCycleAt === undefined ? {} : { lastCycleAt }),
        workerRestarts: restarts,
        events: [...recent],
      };
    },
  };
}

function side(live: ReadonlyMap<string, LiveOrder>, which: "buy" | "sell"): LadderOrder[] {
  const orders = [...live.entries()]
    .filter(([, order]) => order.side === which)
    .map(([orderId, order]) => ({ price: order.price, quantity: order.quantity, orderId }));
  const sign = which === "buy" ? -1 : 1;
  return orders.sort((a, b) => sign * compare(parseDecimal(a.price), parseDecimal(b.price)));
}

/** Each level's size as configured (one size, a list, a step or a multiplier). */
function sizesOf(config: SymbolConfig): readonly string[] {
  const problems: ConfigProblem[] = [];
  const orderSize = readSizes(config.orderSize, problems);
  if (orderSize === undefined) return [];
  const { orderSizeStep: step, orderSizeMultiplier: multiplier } = config;
  const form = {
    orderSize,
    ...(step === undefined ? {} : { orderSizeStep: parseDecimal(step) }),
    ...(multiplier === undefined ? {} : { orderSizeMultiplier: parseDecimal(multiplier) }),
  };
  // Configuration refused bad sizes before any tracker exists: none means nothing to size by.
  // Quantized as the ladder will be (a test's partial config may have no lot step).
  const sized =
    config.qtyStep === undefined
      ? formSizes(form, config.numLevels)
      : levelSizes(form, config.numLevels, parseDecimal(config.qtyStep));
  return (sized.sizes ?? []).map((size) => formatDecimal(normalize(size)));
}

/** Whether the position limit trims each side of the full ladder at this position. */
function limitedSides(
  levels: number,
  sizes: readonly string[],
  risk: RiskSnapshot | undefined,
): { buy: boolean; sell: boolean } {
  if (risk?.maxPosition === undefined || sizes.length === 0) {
    return { buy: false, sell: false };
  }
  const max = parseDecimal(risk.maxPosition);
  const position = parseDecimal(risk.position);
  const side = sizes.slice(0, levels).reduce((total, size) => add(total, parseDecimal(size)), ZERO);
  return {
    buy: gt(add(position, side), max),
    sell: gt(sub(side, position), max),
  };
}

function totalPnl(risk: RiskSnapshot): string {
  const open = risk.unrealized === undefined ? ZERO : parseDecimal(risk.unrealized);
  return formatDecimal(normalize(add(parseDecimal(risk.realized), open)));
}

function riskStatus(levels: number, sizes: readonly string[], risk: RiskSnapshot): RiskStatus {
  const limited = limitedSides(levels, sizes, risk);
  return {
    state: risk.halted ? "halted" : limited.buy || limited.sell ? "limited" : "ok",
    ...(risk.maxPosition === undefined ? {} : { maxPosition: risk.maxPosition }),
    realized: risk.realized,
    ...(risk.unrealized === undefined ? {} : { unrealized: risk.unrealized }),
    fees: risk.fees,
    ...(risk.maxLoss === undefined ? {} : { maxLoss: risk.maxLoss }),
    ...(risk.maxDrawdown === undefined ? {} : { maxDrawdown: risk.maxDrawdown }),
    ...(risk.peak === undefined ? {} : { peak: risk.peak }),
    ...(risk.halted ? { halted: risk.halted } : {}),
  };
}
