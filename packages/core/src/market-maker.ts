import { forEachBounded, sleep } from "./concurrency.ts";
import { ConfigError, describeValue } from "./config-error.ts";
import {
  add,
  compare,
  type Decimal,
  formatDecimal,
  gt,
  isDecimalString,
  lt,
  mul,
  neg,
  normalize,
  parseDecimal,
  sign,
  sub,
  ZERO,
} from "./decimal.ts";
import { type DecimalInput, readDecimal } from "./decimal-input.ts";
import { PriceError, VenueError } from "./errors.ts";
import type {
  CycleOutcome,
  CycleReport,
  MarketMakerEvent,
  RpcCounts,
  SideCounts,
  StopSummary,
} from "./events.ts";
import { type Barrier, barrierOf, pollByPriority, type WatchedOrder } from "./fill-watch.ts";
import { computeLadder, type Ladder, type LadderParams, parseLadderParams } from "./ladder.ts";
import { createTimestamps, formatOrderId, validateMarketMakerId } from "./order-id.ts";
import {
  type CancelReason,
  type LiveOrder,
  type PlaceStep,
  type Plan,
  planCancelAll,
  type RequoteModeName,
  type Requoter,
  resolveRequoter,
} from "./planner.ts";
import type {
  BookInfo,
  CancelOutcome,
  Clock,
  OrderGateway,
  OrderJournal,
  OrderStatus,
  PriceFeed,
  PriceTick,
  Side,
} from "./ports.ts";
import { systemClock } from "./ports.ts";

export type FillPolling =
  /** Poll best price first and infer deeper levels untouched while a better one lives. */
  | "priority"
  /** Poll every live order every cycle. */
  | "all"
  /** Never poll: fills are only seen when a cancel finds the order gone. */
  | "off";

export interface MarketMakerOptions {
  /** Canonical symbol asked of the price feed, e.g. `BTC-USDT`. */
  readonly symbol: string;
  /** The venue's order book name. */
  readonly book: string;
  /** Prefix of every order id (MARKET_MAKER_ID). */
  readonly marketMakerId: string;
  readonly ladder: LadderParams;
  /** Time from one cycle's start to the next (a slow cycle delays the next). Default 10 000. */
  readonly intervalMs?: number;
  /**
   * After the first cycle, start each cycle on the next multiple of `intervalMs` since the
   * epoch (per `clock`), so that many market makers on one interval ask for prices within
   * a few ms of each other and one shared fetch serves them all. Still never two cycles at
   * once: a cycle that overruns its slot is followed at the next free slot, and the next
   * cycle's report says how many slots were missed (`missedSlots`). Default false.
   */
  readonly alignToInterval?: boolean;
  /** Default `diff`. Any `Requoter` may be passed to plug in a new mode. */
  readonly requoteMode?: RequoteModeName | Requoter;
  /** `diff` keeps orders within this percentage of their target. Default "0". */
  readonly refreshTolerancePercent?: DecimalInput;
  /** With no accepted price for longer than this, quotes are pulled. Default 30 000. */
  readonly maxPriceAgeMs?: number;
  /** Gateway calls in flight at once within one plan phase or poll. Default 8. */
  readonly concurrency?: number;
  /** While the venue is unreachable the wait between cycles doubles up to this. */
  readonly maxBackoffMs?: number;
  /** Time allowed after abort to finish the cycle and cancel everything. Default 10 000. */
  readonly shutdownTimeoutMs?: number;
  /** Default `priority`. */
  readonly fillPolling?: FillPolling;
  /** Every order id timestamp will be greater than this (e.g. the last one journaled). */
  readonly timestampAfter?: number;
  /**
   * A create whose answer was lost may still be carried out by the venue after a cancel
   * found nothing: for this long after it was sent, such an id stays tracked (uncertain)
   * and is cancelled again each cycle. Default 0: the first "already gone" settles it.
   */
  readonly uncertainGraceMs?: number;
  readonly feed: PriceFeed;
  readonly gateway: OrderGateway;
  readonly journal?: OrderJournal;
  readonly clock?: Clock;
  /** Receives every event. It must not throw; if it does, the error is ignored. */
  readonly onEvent?: (event: MarketMakerEvent) => void;
  /** Called when the venue has no such book (e.g. restarted empty): (re)create it. */
  readonly ensureBook?: () => Promise<void>;
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

export interface MarketMakerSnapshot {
  readonly symbol: string;
  readonly book: string;
  readonly marketMakerId: string;
  readonly mode: string;
  readonly running: boolean;
  readonly cycles: number;
  readonly lastCycle?: CycleReport;
  readonly lastPrice?: Pick<PriceTick, "price" | "source" | "receivedAt">;
  readonly quotesPulled: boolean;
  readonly venue: "unknown" | "up" | "lost";
  /** Every order id we may own, until it is known gone. */
  readonly orders: readonly OrderView[];
  readonly live: SideCounts;
  readonly uncertain: number;
  readonly fills: number;
  readonly volume: { readonly base: string; readonly quote: string };
  /** Base units bought minus sold. */
  readonly position: string;
}

export interface MarketMaker {
  /** Cycles at the interval (the first at once) until `signal` aborts or `stop()`, then cancels everything. */
  run(signal?: AbortSignal): Promise<StopSummary>;
  /** One cycle now (waits for any running cycle first: never two at once). */
  runCycle(signal?: AbortSignal): Promise<CycleReport>;
  /** Cancels every order we may own, retrying transient failures until the deadline. */
  cancelAll(options?: { readonly timeoutMs?: number }): Promise<StopSummary>;
  /** Stops `run` (resolving with its summary), or just cancels everything when not running. */
  stop(): Promise<StopSummary>;
  snapshot(): MarketMakerSnapshot;
}

interface Tracked extends WatchedOrder {
  readonly orderId: string;
  level: number;
  readonly priceText: string;
  readonly quantity: string;
  remaining: Decimal;
  state: OrderState;
  /** The venue lost its book's state: a `gone` for this order is not a fill. */
  verify: boolean;
  /** Uncertain create: an "already gone" before this time (clock ms) does not settle it. */
  settleAfter?: number;
}

interface Stats {
  placed: number;
  canceled: number;
  failed: number;
  skipped: number;
  fills: number;
  rpcs: { placeOrder: number; cancelOrder: number; getOrder: number; getBook: number };
}

const LOST_KINDS = new Set(["unavailable", "deadline-exceeded"]);

function positiveInteger(field: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ConfigError(
      `${field} must be a whole number >= ${min}, got ${describeValue(value)}`,
      field,
      value,
    );
  }
  return value;
}

function requiredString(field: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "" || value.trim() !== value) {
    throw new ConfigError(
      `${field} must be a non-empty string, got ${describeValue(value)}`,
      field,
      value,
    );
  }
  return value;
}

function requiredPort(field: string, value: unknown, methods: readonly string[]): void {
  const ok =
    value !== null &&
    typeof value === "object" &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === "function");
  if (!ok) {
    throw new ConfigError(`${field} must implement ${methods.join(", ")}`, field, value);
  }
}

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error), { cause: error });

const isLost = (error: unknown) => error instanceof VenueError && LOST_KINDS.has(error.kind);

/**
 * The quoting loop: price feed → ladder → plan → gateway, every `intervalMs`, never two
 * cycles at once, tracking every order id until it is known gone.
 */
export function createMarketMaker(options: MarketMakerOptions): MarketMaker {
  const symbol = requiredString("symbol", options.symbol);
  const book = requiredString("book", options.book);
  const marketMakerId = validateMarketMakerId(options.marketMakerId);
  const ladderConfig = parseLadderParams(options.ladder);
  const intervalMs = positiveInteger("intervalMs", options.intervalMs, 10_000);
  const alignToInterval = options.alignToInterval ?? false;
  if (typeof alignToInterval !== "boolean") {
    throw new ConfigError(
      `alignToInterval must be true or false, got ${describeValue(alignToInterval)}`,
      "alignToInterval",
      alignToInterval,
    );
  }
  const maxPriceAgeMs = positiveInteger("maxPriceAgeMs", options.maxPriceAgeMs, 30_000);
  const concurrency = positiveInteger("concurrency", options.concurrency, 8);
  const maxBackoffMs = positiveInteger(
    "maxBackoffMs",
    options.maxBackoffMs,
    Math.max(intervalMs, 5_000),
  );
  const shutdownTimeoutMs = positiveInteger("shutdownTimeoutMs", options.shutdownTimeoutMs, 10_000);
  const uncertainGraceMs = positiveInteger("uncertainGraceMs", options.uncertainGraceMs, 0, 0);
  const requoter = resolveRequoter(options.requoteMode);
  const tolerance = readDecimal("refreshTolerancePercent", options.refreshTolerancePercent ?? "0");
  if (sign(tolerance) < 0) {
    throw new ConfigError(
      `refreshTolerancePercent must be >= 0, got ${describeValue(options.refreshTolerancePercent)}`,
      "refreshTolerancePercent",
      options.refreshTolerancePercent,
    );
  }
  const fillPolling = options.fillPolling ?? "priority";
  if (!["priority", "all", "off"].includes(fillPolling)) {
    throw new ConfigError(
      `fillPolling must be priority, all or off, got ${describeValue(fillPolling)}`,
      "fillPolling",
      fillPolling,
    );
  }
  if (
    options.timestampAfter !== undefined &&
    (typeof options.timestampAfter !== "number" || !Number.isSafeInteger(options.timestampAfter))
  ) {
    throw new ConfigError(
      `timestampAfter must be a whole number, got ${describeValue(options.timestampAfter)}`,
      "timestampAfter",
      options.timestampAfter,
    );
  }
  requiredPort("feed", options.feed, ["latest"]);
  requiredPort("gateway", options.gateway, ["placeOrder", "cancelOrder", "getOrder", "getBook"]);
  if (options.journal !== undefined) requiredPort("journal", options.journal, ["opened", "closed"]);
  const { feed, gateway, journal, ensureBook } = options;
  const clock = options.clock ?? systemClock;
  const timestamps = createTimestamps({ clock, after: options.timestampAfter });

  // ------------------------------------------------------------------ state
  const tracked = new Map<string, Tracked>();
  let retired: Barrier[] = [];
  let logical = 0;
  const tick = () => ++logical;

  let cycles = 0;
  let lastCycle: CycleReport | undefined;
  let lastPrice: PriceTick | undefined;
  let lastGoodPriceAt: number | undefined;
  let firstCycleAt: number | undefined;
  /** Grid slots passed over before the next cycle (alignToInterval), for its report. */
  let missedSlots = 0;
  let quotesPulled = false;
  let venue: "unknown" | "up" | "lost" = "unknown";
  let bookCreatedAt: number | undefined;
  let bookSeen = false;
  let fills = 0;
  let volumeBase: Decimal = ZERO;
  let volumeQuote: Decimal = ZERO;
  let position: Decimal = ZERO;
  let stats: Stats = newStats();

  let running: Promise<StopSummary> | undefined;
  let stopController: AbortController | undefined;
  /** Aborts gateway calls in flight when the shutdown deadline passes. */
  let hard = new AbortController();
  let lock: Promise<unknown> = Promise.resolve();

  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = lock.then(task);
    lock = result.catch(() => undefined);
    return result;
  }

  function emit(event: DistributiveOmit<MarketMakerEvent, "symbol" | "book" | "time">): void {
    if (!options.onEvent) return;
    try {
      options.onEvent({ symbol, book, time: clock.now(), ...event } as MarketMakerEvent);
    } catch {
      // A listener's failure must not stop quoting or lose track of orders.
    }
  }

  // ------------------------------------------------------------------ venue calls
  function venueUp(): void {
    if (venue === "lost") emit({ type: "venue-state", state: "back" });
    venue = "up";
  }

  function venueFailed(error: unknown): void {
    if (!isLost(error)) return;
    if (venue !== "lost") emit({ type: "venue-state", state: "lost", error: asError(error) });
    venue = "lost";
  }

  async function call<T>(method: keyof Stats["rpcs"], run: () => Promise<T>): Promise<T> {
    stats.rpcs[method]++;
    try {
      const result = await run();
      venueUp();
      return result;
    } catch (error) {
      venueFailed(error);
      throw error;
    }
  }

  async function journalClosed(orderId: string): Promise<void> {
    if (!journal) return;
    try {
      await journal.closed(book, orderId);
    } catch (error) {
      emit({ type: "error", stage: "journal", error: asError(error), orderId });
    }
  }

  /** The only way an id leaves the set: the order is known gone. */
  async function forget(order: Tracked): Promise<void> {
    if (!tracked.delete(order.orderId)) return;
    await journalClosed(order.orderId);
  }

  function recordFill(order: Tracked, quantity: Decimal, remaining: Decimal): void {
    if (sign(quantity) <= 0) return;
    fills++;
    stats.fills++;
    volumeBase = add(volumeBase, quantity);
    volumeQuote = add(volumeQuote, mul(quantity, order.price));
    position = add(position, order.side === "buy" ? quantity : neg(quantity));
    emit({
      type: "fill",
      orderId: order.orderId,
      side: order.side,
      price: order.priceText,
      quantity: show(quantity),
      remaining: show(remaining),
      position: show(position),
    });
  }

  // ------------------------------------------------------------------ fills and resets
  /** Applies what GetOrder said; answers whether the order is still live. */
  async function observe(
    order: Tracked,
    status: OrderStatus,
    observedAt: number,
  ): Promise<boolean> {
    if (status.state === "gone") {
      if (!order.verify && order.state === "live") recordFill(order, order.remaining, ZERO);
      await forget(order);
      return false;
    }
    const remaining = readQuantity(status.remainingQuantity, order.remaining);
    if (!order.verify && lt(remaining, order.remaining)) {
      recordFill(order, sub(order.remaining, remaining), remaining);
    }
    order.remaining = remaining;
    order.state = "live";
    order.verify = false;
    order.knownAt = observedAt;
    order.liveAt = Math.max(order.liveAt ?? observedAt, observedAt);
    order.restingBy ??= observedAt;
    return true;
  }

  async function pollOrder(order: Tracked): Promise<boolean> {
    const sentAt = tick();
    const status = await call("getOrder", () =>
      gateway.getOrder(book, order.orderId, { signal: hard.signal }),
    );
    return observe(order, status, sentAt);
  }

  async function pollFills(): Promise<void> {
    const suspects = [...tracked.values()].filter((o) => o.verify);
    await forEachBounded(suspects, concurrency, async (o) => void (await pollOrder(o)));
    if (fillPolling === "off") return;
    const live = [...tracked.values()].filter((o) => o.state === "live" && !o.verify);
    if (fillPolling === "all") {
      await forEachBounded(live, concurrency, async (o) => void (await pollOrder(o)));
      return;
    }
    await pollByPriority(live, retired, tick(), pollOrder, { sidesInParallel: concurrency > 1 });
    const oldest = Math.min(...[...tracked.values()].map((o) => o.knownAt));
    retired = retired.filter((b) => b.to >= oldest);
  }

  async function resetDetected(reason: "book-missing" | "book-recreated"): Promise<void> {
    const confirmed = [...tracked.values()].filter((o) => o.state === "live");
    let lost = 0;
    if (reason === "book-missing") {
      // No book, no orders: every id we hold is gone, none of them filled.
      for (const order of [...tracked.values()]) await forget(order);
      lost = confirmed.length;
    } else {
      for (const order of confirmed) order.verify = true;
      const before = tracked.size;
      await forEachBounded(confirmed, concurrency, async (o) => void (await pollOrder(o)));
      lost = before - tracked.size;
    }
    retired = [];
    emit({ type: "venue-reset", reason, lost });
  }

  async function readBook(): Promise<BookInfo | undefined> {
    try {
      return await call("getBook", () => gateway.getBook(book, { signal: hard.signal }));
    } catch (error) {
      if (error instanceof VenueError && error.kind === "book-not-found") return undefined;
      throw error;
    }
  }

  async function checkVenue(): Promise<void> {
    let info = await readBook();
    if (!info) {
      if (bookSeen || tracked.size > 0) await resetDetected("book-missing");
      if (!ensureBook) {
        throw new VenueError(`order book ${book} does not exist`, {
          kind: "book-not-found",
          method: "GetOrderBook",
        });
      }
      await ensureBook();
      info = await readBook();
      if (!info) {
        throw new VenueError(`order book ${book} still missing after ensureBook`, {
          kind: "book-not-found",
          method: "GetOrderBook",
        });
      }
    } else if (
      info.createdAt !== undefined &&
      bookCreatedAt !== undefined &&
      info.createdAt !== bookCreatedAt
    ) {
      await resetDetected("book-recreated");
    }
    bookSeen = true;
    bookCreatedAt = info.createdAt ?? bookCreatedAt;
    await pollFills();
  }

  // ------------------------------------------------------------------ steps
  async function place(step: PlaceStep): Promise<void> {
    if (step.after.some((id) => tracked.has(id))) {
      // It would cross an order of ours that is not confirmed gone: never risk a self-trade.
      stats.skipped++;
      return;
    }
    const intent = step.order;
    try {
      await journal?.opened(intent);
    } catch (error) {
      stats.failed++;
      emit({ type: "error", stage: "journal", error: asError(error), orderId: intent.orderId });
      emit({
        type: "order-failed",
        action: "place",
        orderId: intent.orderId,
        error: asError(error),
        uncertain: false,
      });
      return;
    }
    const sentAt = tick();
    const order: Tracked = {
      orderId: intent.orderId,
      side: intent.side,
      level: step.level,
      price: parseDecimal(intent.price),
      priceText: intent.price,
      quantity: intent.quantity,
      remaining: parseDecimal(intent.quantity),
      state: "placing",
      verify: false,
      knownAt: sentAt,
    };
    tracked.set(order.orderId, order);
    try {
      const placed = await call("placeOrder", () =>
        gateway.placeOrder(intent, { signal: hard.signal }),
      );
      order.restingBy = tick();
      stats.placed++;
      const remaining =
        placed.status === "filled" ? ZERO : readQuantity(placed.remainingQuantity, order.remaining);
      recordFill(order, sub(order.remaining, remaining), remaining);
      order.remaining = remaining;
      order.state = "live";
      emit({ type: "order-placed", order: intent, level: step.level, status: placed.status });
      if (sign(remaining) <= 0) await forget(order);
    } catch (error) {
      stats.failed++;
      const definite =
        error instanceof VenueError && !error.outcomeUnknown && error.kind !== "already-exists";
      if (definite) await forget(order);
      else {
        order.state = "uncertain";
        order.settleAfter = clock.now() + uncertainGraceMs;
      }
      emit({
        type: "order-failed",
        action: "place",
        orderId: intent.orderId,
        error: asError(error),
        uncertain: !definite,
      });
    }
  }

  /** Cancels one order; answers the outcome, or undefined when it could not be confirmed. */
  async function cancel(orderId: string, reason: CancelReason): Promise<CancelOutcome | undefined> {
    const order = tracked.get(orderId);
    if (!order) return "already-gone";
    const sentAt = tick();
    let outcome: CancelOutcome;
    try {
      outcome = await call("cancelOrder", () =>
        gateway.cancelOrder(book, orderId, { signal: hard.signal }),
      );
    } catch (error) {
      if (!(error instanceof VenueError && error.kind === "book-not-found")) {
        stats.failed++;
        emit({
          type: "order-failed",
          action: "cancel",
          orderId,
          error: asError(error),
          uncertain: true,
        });
        return undefined;
      }
      outcome = "already-gone"; // no book, no order
      order.verify = true;
    }
    if (
      outcome === "already-gone" &&
      order.state === "uncertain" &&
      reason !== "shutdown" &&
      !order.verify &&
      clock.now() < (order.settleAfter ?? 0)
    ) {
      // Its create timed out here, not necessarily on the venue, which may still carry it
      // out: not gone yet. Cancel it again next cycle (it stays in the journal meanwhile).
      return undefined;
    }
    if (outcome === "canceled" && order.restingBy !== undefined) {
      // It was live (not fully consumed) until now: still a barrier for deeper orders.
      order.liveAt = Math.max(order.liveAt ?? sentAt, sentAt);
      const barrier = barrierOf(order);
      if (barrier) retired.push(barrier);
    }
    if (outcome === "already-gone" && order.state === "live" && !order.verify) {
      // Gone without our cancel: filled since we last knew it.
      recordFill(order, order.remaining, ZERO);
    }
    stats.canceled++;
    await forget(order);
    emit({
      type: "order-canceled",
      orderId,
      side: order.side,
      price: order.priceText,
      outcome,
      reason,
    });
    return outcome;
  }

  async function execute(plan: Plan, signal: AbortSignal | undefined): Promise<boolean> {
    for (const kept of plan.keep) {
      const order = tracked.get(kept.orderId);
      if (order) order.level = kept.level;
    }
    for (const [index, phase] of plan.phases.entries()) {
      if (signal?.aborted) {
        stats.skipped += plan.phases.slice(index).reduce((n, p) => n + p.length, 0);
        return false;
      }
      await forEachBounded(phase, concurrency, async (step) => {
        if (signal?.aborted) {
          stats.skipped++; // stopping: start nothing new, let what is in flight finish
          return;
        }
        if (step.kind === "place") await place(step);
        else await cancel(step.orderId, step.reason);
      });
    }
    return !signal?.aborted;
  }

  // ------------------------------------------------------------------ the cycle
  function liveOrders(): LiveOrder[] {
    return [...tracked.values()].map((o) => ({
      orderId: o.orderId,
      side: o.side,
      level: o.level,
      price: o.priceText,
      quantity: show(o.remaining),
      uncertain: o.state !== "live",
    }));
  }

  async function fetchPrice(signal: AbortSignal | undefined): Promise<PriceTick | Error> {
    try {
      const tick = await feed.latest(symbol, { signal });
      const age = clock.now() - tick.receivedAt;
      if (age > maxPriceAgeMs) {
        return new PriceError(`price for ${symbol} is ${age} ms old (max ${maxPriceAgeMs})`, {
          kind: "stale",
          source: tick.source,
          symbol,
        });
      }
      return tick;
    } catch (error) {
      return asError(error);
    }
  }

  async function cycle(signal: AbortSignal | undefined): Promise<CycleReport> {
    const startedAt = clock.now();
    const started = performance.now();
    firstCycleAt ??= startedAt;
    cycles++;
    stats = newStats();
    let outcome: CycleOutcome = "quoted";
    let kept = 0;
    let quoted: PriceTick | undefined;

    const pricePromise = fetchPrice(signal);
    try {
      await checkVenue();
    } catch (error) {
      await pricePromise;
      if (!isLost(error)) emit({ type: "error", stage: "venue-check", error: asError(error) });
      return finish(cycles, startedAt, started, "venue-error", undefined, 0);
    }

    const price = await pricePromise;
    let plan: Plan;
    let ladder: Ladder | Error | undefined;
    if (!(price instanceof Error)) {
      try {
        ladder = computeLadder(price.price, ladderConfig);
      } catch (error) {
        ladder = asError(error);
        emit({ type: "ladder-error", price: String(price.price), error: ladder });
      }
    } else if (!signal?.aborted) {
      // (A fetch cut short by our own stop is not a price problem worth reporting.)
      const since = lastGoodPriceAt;
      emit({
        type: "price-error",
        error: price,
        ...(since === undefined ? {} : { priceAgeMs: clock.now() - since }),
      });
    }

    if (ladder !== undefined && !(ladder instanceof Error) && !(price instanceof Error)) {
      quoted = price;
      lastPrice = price;
      lastGoodPriceAt = clock.now();
      if (quotesPulled) {
        quotesPulled = false;
        emit({ type: "quotes-resumed", price: price.price, source: price.source });
      }
      const stamp = timestamps.next();
      plan = requoter.plan({
        book,
        target: ladder,
        live: liveOrders(),
        orderId: (side, level) => formatOrderId({ marketMakerId, side, level, timestamp: stamp }),
        refreshTolerancePercent: tolerance,
      });
      kept = plan.keep.length;
    } else {
      outcome = price instanceof Error ? "price-error" : "ladder-error";
      const ageMs = clock.now() - (lastGoodPriceAt ?? firstCycleAt);
      if (ageMs > maxPriceAgeMs) {
        outcome = "pulled";
        if (!quotesPulled) {
          quotesPulled = true;
          emit({ type: "quotes-pulled", priceAgeMs: ageMs, orders: tracked.size });
        }
        plan = planCancelAll(liveOrders(), "pull");
      } else {
        // Keep the quotes we have; settle creates whose outcome is unknown.
        plan = planCancelAll(
          liveOrders().filter((o) => o.uncertain),
          "uncertain",
        );
      }
    }

    const completed = await execute(plan, signal);
    return finish(cycles, startedAt, started, completed ? outcome : "aborted", quoted, kept);
  }

  function finish(
    cycle: number,
    startedAt: number,
    started: number,
    outcome: CycleOutcome,
    price: PriceTick | undefined,
    kept: number,
  ): CycleReport {
    const counts = countLive();
    const { bestBid, bestAsk } = bestPrices();
    const rpcs: RpcCounts = {
      ...stats.rpcs,
      total: Object.values(stats.rpcs).reduce((a, b) => a + b, 0),
    };
    const report: CycleReport = {
      cycle,
      symbol,
      book,
      mode: requoter.name,
      outcome,
      startedAt,
      durationMs: Math.max(0, performance.now() - started),
      ...(price ? { price: price.price, source: price.source } : {}),
      ...(bestBid ? { bestBid } : {}),
      ...(bestAsk ? { bestAsk } : {}),
      placed: stats.placed,
      canceled: stats.canceled,
      kept,
      failed: stats.failed,
      skipped: stats.skipped,
      fills: stats.fills,
      rpcs,
      live: counts.live,
      uncertain: counts.uncertain,
      ...(missedSlots > 0 ? { missedSlots } : {}),
    };
    missedSlots = 0;
    lastCycle = report;
    const { symbol: _s, book: _b, ...rest } = report;
    emit({ type: "cycle", ...rest });
    return report;
  }

  function countLive(): { live: SideCounts; uncertain: number } {
    let buy = 0;
    let sell = 0;
    let uncertain = 0;
    for (const o of tracked.values()) {
      if (o.state !== "live") uncertain++;
      else if (o.side === "buy") buy++;
      else sell++;
    }
    return { live: { buy, sell }, uncertain };
  }

  function bestPrices(): { bestBid?: string; bestAsk?: string } {
    let bid: Tracked | undefined;
    let ask: Tracked | undefined;
    for (const o of tracked.values()) {
      if (o.state !== "live") continue;
      if (o.side === "buy" && (!bid || gt(o.price, bid.price))) bid = o;
      if (o.side === "sell" && (!ask || lt(o.price, ask.price))) ask = o;
    }
    return { bestBid: bid?.priceText, bestAsk: ask?.priceText };
  }

  // ------------------------------------------------------------------ shutdown
  async function cancelEverything(deadline: number): Promise<StopSummary> {
    stats = newStats();
    let canceled = 0;
    let alreadyGone = 0;
    const failed: string[] = [];
    let pending = [...tracked.keys()];
    let backoff = 50;
    while (pending.length > 0) {
      const retry: string[] = [];
      await forEachBounded(pending, concurrency, async (id) => {
        const outcome = await cancel(id, "shutdown");
        if (outcome === "canceled") canceled++;
        else if (outcome === "already-gone") alreadyGone++;
        else if (tracked.has(id)) retry.push(id);
      });
      const left = deadline - performance.now();
      if (retry.length === 0 || left <= 0 || hard.signal.aborted) {
        failed.push(...retry);
        break;
      }
      await sleep(Math.min(backoff, left), hard.signal);
      backoff = Math.min(backoff * 2, 1_000);
      pending = retry;
    }
    return { canceled, alreadyGone, failed };
  }

  function armDeadline(timeoutMs: number): { deadline: number; disarm: () => void } {
    const timer = setTimeout(() => hard.abort(new Error("shutdown deadline passed")), timeoutMs);
    return {
      deadline: performance.now() + timeoutMs,
      disarm: () => {
        clearTimeout(timer);
        if (hard.signal.aborted) hard = new AbortController();
      },
    };
  }

  function cancelAll(cancelOptions: { readonly timeoutMs?: number } = {}): Promise<StopSummary> {
    const timeoutMs = positiveInteger("timeoutMs", cancelOptions.timeoutMs, shutdownTimeoutMs);
    return exclusive(async () => {
      const { deadline, disarm } = armDeadline(timeoutMs);
      try {
        return await cancelEverything(deadline);
      } finally {
        disarm();
      }
    });
  }

  /** The grid slot (index of a multiple of intervalMs) the coming cycle was scheduled for. */
  let scheduledSlot: number | undefined;

  /**
   * Ms until the next grid slot (a multiple of intervalMs since the epoch) after now, and
   * not before `startedAt + minWaitMs` (the venue's back-off). Counts the slots passed over
   * by a cycle that ran past the end of its own slot.
   */
  function untilNextSlot(startedAt: number, minWaitMs: number): number {
    const now = clock.now();
    // A timer may fire a hair early: the slot a cycle was scheduled for is its slot.
    const current = scheduledSlot ?? Math.floor(startedAt / intervalMs);
    const next = Math.max(
      current + 1,
      Math.floor(now / intervalMs) + 1,
      Math.ceil((startedAt + minWaitMs) / intervalMs),
    );
    if (minWaitMs === 0) missedSlots = next - current - 1;
    scheduledSlot = next;
    return next * intervalMs - now;
  }

  async function loop(stopSignal: AbortSignal): Promise<StopSummary> {
    let venueFailures = 0;
    scheduledSlot = undefined;
    let disarm: (() => void) | undefined;
    let deadline = Number.POSITIVE_INFINITY;
    const onStop = () => {
      const armed = armDeadline(shutdownTimeoutMs);
      disarm = armed.disarm;
      deadline = armed.deadline;
    };
    if (stopSignal.aborted) onStop();
    else stopSignal.addEventListener("abort", onStop, { once: true });
    try {
      while (!stopSignal.aborted) {
        const started = performance.now();
        const startedAt = clock.now();
        try {
          const report = await exclusive(() => cycle(stopSignal));
          venueFailures =
            report.outcome === "venue-error" && venue === "lost" ? venueFailures + 1 : 0;
        } catch (error) {
          emit({ type: "error", stage: "cycle", error: asError(error) });
        }
        const wait =
          venueFailures > 0
            ? Math.min(intervalMs * 2 ** (venueFailures - 1), Math.max(maxBackoffMs, intervalMs))
            : intervalMs;
        if (alignToInterval)
          await sleep(untilNextSlot(startedAt, venueFailures > 0 ? wait : 0), stopSignal);
        else await sleep(started + wait - performance.now(), stopSignal);
      }
      const summary = await exclusive(() => cancelEverything(deadline));
      emit({ type: "stopped", summary });
      return summary;
    } finally {
      stopSignal.removeEventListener("abort", onStop);
      disarm?.();
    }
  }

  return {
    run(signal) {
      if (running) return Promise.reject(new Error(`market maker ${symbol} is already running`));
      const controller = new AbortController();
      stopController = controller;
      if (signal) {
        if (signal.aborted) controller.abort(signal.reason);
        else
          signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
      }
      running = loop(controller.signal).finally(() => {
        running = undefined;
        stopController = undefined;
      });
      return running;
    },
    runCycle(signal) {
      return exclusive(() => cycle(signal));
    },
    cancelAll,
    stop() {
      if (running && stopController) {
        stopController.abort(new Error("stopped"));
        return running;
      }
      return cancelAll();
    },
    snapshot() {
      const counts = countLive();
      return {
        symbol,
        book,
        marketMakerId,
        mode: requoter.name,
        running: running !== undefined,
        cycles,
        ...(lastCycle ? { lastCycle } : {}),
        ...(lastPrice
          ? {
              lastPrice: {
                price: lastPrice.price,
                source: lastPrice.source,
                receivedAt: lastPrice.receivedAt,
              },
            }
          : {}),
        quotesPulled,
        venue,
        orders: [...tracked.values()].map((o) => ({
          orderId: o.orderId,
          side: o.side,
          level: o.level,
          price: o.priceText,
          quantity: o.quantity,
          remaining: show(o.remaining),
          state: o.state,
        })),
        live: counts.live,
        uncertain: counts.uncertain,
        fills,
        volume: { base: show(volumeBase), quote: show(volumeQuote) },
        position: show(position),
      };
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function newStats(): Stats {
  return {
    placed: 0,
    canceled: 0,
    failed: 0,
    skipped: 0,
    fills: 0,
    rpcs: { placeOrder: 0, cancelOrder: 0, getOrder: 0, getBook: 0 },
  };
}

function show(value: Decimal): string {
  return formatDecimal(normalize(value));
}

/** A venue quantity, or the fallback when the venue sent something unreadable. */
function readQuantity(text: string, fallback: Decimal): Decimal {
  if (!isDecimalString(text)) return fallback;
  const value = parseDecimal(text);
  return sign(value) < 0 || compare(value, fallback) > 0 ? fallback : value;
}
