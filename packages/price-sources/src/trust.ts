import type { Clock, Decimal, PriceTick } from "@matchingo-mm/core";
import { compare, formatDecimal, parseDecimal, systemClock } from "@matchingo-mm/core";
import { isJump, parsePercent } from "./guards.ts";

/**
 * When a symbol's price is trusted enough to quote on (issue 22: a bad first price was
 * quoted, and the guard then refused the right one until restart).
 *
 * - **First price** (at start, and after no price was accepted for `maxGapMs`): two
 *   sources must agree within `maxDeviationPercent`, or, with one source answering, the
 *   price must hold within that deviation for `confirmations` rounds (`minRoundGapMs`
 *   apart, so a burst of stream frames is one round).
 * - **Then**: a price within `maxJumpPercent` of the last accepted one is taken; a jump
 *   needs a second source within `maxJumpPercent` of the new level, or every answering
 *   source saying so for `jumpAcceptMs`: the guard can never lock a symbol out.
 * - Always: a price outside `[priceMin, priceMax]` (when set) is refused.
 */
export interface TrustRules {
  readonly maxJumpPercent: Decimal;
  readonly maxDeviationPercent: Decimal;
  /** Rounds a lone source's first price must hold. 1: taken at once. */
  readonly confirmations: number;
  readonly minRoundGapMs: number;
  /** A jump every answering source keeps confirming this long is taken. */
  readonly jumpAcceptMs: number;
  /** No price accepted for longer than this: the next one is a first price again. */
  readonly maxGapMs: number;
  readonly priceMin?: Decimal;
  readonly priceMax?: Decimal;
}

/** Rules as options give them: percentages as text or numbers, limits optional. */
export interface TrustOptions {
  /** Default 5. */
  readonly maxJumpPercent?: number | string;
  /** Default 1. */
  readonly maxDeviationPercent?: number | string;
  /** Default 1 (a first price is taken as it comes, as before issue 22). */
  readonly confirmations?: number;
  /** Default 1000. */
  readonly minRoundGapMs?: number;
  /** Default 60 000: a jump every source keeps saying for a minute is taken. */
  readonly jumpAcceptMs?: number;
  /** Default Infinity (the reference never expires). */
  readonly maxGapMs?: number;
  readonly priceMin?: string;
  readonly priceMax?: string;
}

export function parseTrustRules(options: TrustOptions = {}): TrustRules {
  const positive = (field: string, value: number, whole = false) => {
    if (!(value > 0) || (whole && !Number.isInteger(value)) || Number.isNaN(value)) {
      throw new TypeError(
        `trust.${field} must be a positive ${whole ? "whole " : ""}number, got ${value}`,
      );
    }
    return value;
  };
  const bound = (field: string, value: string | undefined) =>
    value === undefined ? undefined : parsePercent(`trust.${field}`, value);
  const priceMin = bound("priceMin", options.priceMin);
  const priceMax = bound("priceMax", options.priceMax);
  return {
    maxJumpPercent: parsePercent("trust.maxJumpPercent", options.maxJumpPercent ?? 5),
    maxDeviationPercent: parsePercent(
      "trust.maxDeviationPercent",
      options.maxDeviationPercent ?? 1,
    ),
    confirmations: positive("confirmations", options.confirmations ?? 1, true),
    minRoundGapMs: options.minRoundGapMs ?? 1000,
    jumpAcceptMs: positive("jumpAcceptMs", options.jumpAcceptMs ?? 60_000),
    maxGapMs: positive("maxGapMs", options.maxGapMs ?? Number.POSITIVE_INFINITY),
    ...(priceMin === undefined ? {} : { priceMin }),
    ...(priceMax === undefined ? {} : { priceMax }),
  };
}

/** What one symbol's trust remembers between rounds. */
export interface TrustState {
  /** The last accepted price, and when: the jump guard's reference. */
  readonly reference?: { readonly price: string; readonly at: number };
  /** An unconfirmed first price and the rounds it held. */
  readonly held?: {
    readonly price: string;
    readonly rounds: number;
    readonly lastAt: number;
  };
  /** A jump no second source confirmed: the level and since when every source says so. */
  readonly jump?: { readonly price: string; readonly since: number };
}

/** One usable price of a round; `backers`: the sources behind it (a median's), default its own. */
export interface Observation {
  readonly tick: PriceTick;
  readonly backers?: readonly string[];
}

/** How an accepted price earned trust. */
export type TrustedHow =
  /** Within the jump guard of the last accepted price. */
  | "reference"
  /** A first price two sources agree on. */
  | "agreed"
  /** A first price one source held for the confirmations. */
  | "held"
  /** A jump a second source confirmed. */
  | "jump-confirmed"
  /** A jump every answering source kept saying for `jumpAcceptMs`. */
  | "jump-accepted";

/** Why a round's price is not used. */
export type UntrustedReason =
  /** A first price no second source agrees on, not yet held for the confirmations. */
  | "unconfirmed"
  /** A first price on which the answering sources disagree. */
  | "disagree"
  /** Outside the configured band. */
  | "out-of-band"
  /** A jump from the last accepted price that no second source confirms (yet). */
  | "jump";

export type TrustVerdict =
  | {
      readonly trusted: true;
      readonly tick: PriceTick;
      readonly how: TrustedHow;
      /** The other sources that agree (`agreed`, `jump-confirmed`). */
      readonly confirmedBy: readonly string[];
      /** The reference it jumped from (`jump-confirmed`, `jump-accepted`). */
      readonly from?: string;
      /** Answers of this round further than the jump guard from the accepted price. */
      readonly outliers: readonly PriceTick[];
    }
  | {
      readonly trusted: false;
      readonly reason: UntrustedReason;
      /** Says why, with the prices, for logs, `/status` and `/readyz`. */
      readonly message: string;
      /** The price refused (the preferred source's). */
      readonly tick: PriceTick;
      /** The reference it jumped from (`jump`). */
      readonly from?: string;
    };

const sources = (o: Observation) => o.backers ?? [o.tick.source];

/** True when the state has no reference fresh enough to measure jumps from. */
export function needsFirstPrice(state: TrustState, now: number, rules: TrustRules): boolean {
  return state.reference === undefined || now - state.reference.at > rules.maxGapMs;
}

/**
 * One round of a symbol: the usable prices the sources gave (preference order, at least
 * one) judged against what the state remembers. Pure: answers the verdict and the state
 * to keep.
 */
export function judgeRound(
  state: TrustState,
  observations: readonly Observation[],
  now: number,
  rules: TrustRules,
): { readonly verdict: TrustVerdict; readonly state: TrustState } {
  if (observations.length === 0) throw new RangeError("judgeRound: no observation");
  const inBand = observations.filter((o) => outOfBand(o.tick.price, rules) === undefined);
  if (inBand.length === 0) {
    const tick = observations[0]!.tick;
    return {
      verdict: {
        trusted: false,
        reason: "out-of-band",
        tick,
        message: `${tick.source} says ${tick.price}, ${outOfBand(tick.price, rules)}`,
      },
      state: keepReference(state),
    };
  }
  const accept = (
    tick: PriceTick,
    how: TrustedHow,
    confirmedBy: readonly string[] = [],
  ): { verdict: TrustVerdict; state: TrustState } => ({
    verdict: {
      trusted: true,
      tick,
      how,
      confirmedBy,
      ...(how === "jump-confirmed" || how === "jump-accepted"
        ? { from: state.reference?.price ?? "" }
        : {}),
      outliers: inBand
        .map((o) => o.tick)
        .filter((other) => other !== tick && isJump(tick.price, other.price, rules.maxJumpPercent)),
    },
    state: { reference: { price: tick.price, at: now } },
  });
  const agreeing = (limit: Decimal) => {
    for (const candidate of inBand) {
      if (sources(candidate).length >= 2)
        return { tick: candidate.tick, by: sources(candidate).slice(1) };
      const by = inBand
        .filter(
          (other) =>
            other !== candidate &&
            other.tick.source !== candidate.tick.source &&
            !isJump(candidate.tick.price, other.tick.price, limit),
        )
        .map((other) => other.tick.source);
      if (by.length > 0) return { tick: candidate.tick, by };
    }
    return undefined;
  };

  if (!needsFirstPrice(state, now, rules)) {
    const reference = state.reference!;
    const near = inBand.find((o) => !isJump(reference.price, o.tick.price, rules.maxJumpPercent));
    if (near) return accept(near.tick, "reference");
    const confirmed = agreeing(rules.maxJumpPercent);
    if (confirmed) return accept(confirmed.tick, "jump-confirmed", confirmed.by);
    const tick = inBand[0]!.tick;
    const pending = state.jump;
    const same =
      pending !== undefined &&
      inBand.every((o) => !isJump(pending.price, o.tick.price, rules.maxJumpPercent));
    const since = same ? pending.since : now;
    if (same && now - since >= rules.jumpAcceptMs) return accept(tick, "jump-accepted");
    const waited = Math.round((now - since) / 1000);
    const limit = Number.isFinite(rules.jumpAcceptMs)
      ? `; taken if every source still says so after ${rules.jumpAcceptMs / 1000} s (${waited} s so far)`
      : "";
    return {
      verdict: {
        trusted: false,
        reason: "jump",
        tick,
        from: reference.price,
        message: `${tick.source} says ${tick.price}, more than ${formatDecimal(rules.maxJumpPercent)}% from the last accepted ${reference.price}, and no other source confirms it${limit}`,
      },
      state: { reference, jump: { price: same ? pending.price : tick.price, since } },
    };
  }

  const agreed = agreeing(rules.maxDeviationPercent);
  if (agreed) return accept(agreed.tick, "agreed", agreed.by);
  const tick = inBand[0]!.tick;
  const answering = new Set(inBand.map((o) => o.tick.source));
  if (answering.size > 1) {
    return {
      verdict: {
        trusted: false,
        reason: "disagree",
        tick,
        message: `first price: the sources disagree by more than ${formatDecimal(rules.maxDeviationPercent)}% (${inBand.map((o) => `${o.tick.source} ${o.tick.price}`).join(", ")})`,
      },
      state: keepReference(state),
    };
  }
  const held = state.held;
  const holds = held !== undefined && !isJump(held.price, tick.price, rules.maxDeviationPercent);
  const next = !holds
    ? { price: tick.price, rounds: 1, lastAt: now }
    : now - held.lastAt >= rules.minRoundGapMs
      ? { price: held.price, rounds: held.rounds + 1, lastAt: now }
      : held;
  if (next.rounds >= rules.confirmations) return accept(tick, "held");
  return {
    verdict: {
      trusted: false,
      reason: "unconfirmed",
      tick,
      message: `first price: ${tick.source} says ${tick.price} and no second source agrees within ${formatDecimal(rules.maxDeviationPercent)}%; taken once it holds for ${rules.confirmations} rounds (${next.rounds} so far)`,
    },
    state: { ...keepReference(state), held: next },
  };
}

function keepReference(state: TrustState): TrustState {
  return state.reference === undefined ? {} : { reference: state.reference };
}

function outOfBand(price: string, rules: TrustRules): string | undefined {
  const value = parseDecimal(price);
  if (rules.priceMin !== undefined && compare(value, rules.priceMin) < 0) {
    return `below PRICE_MIN ${formatDecimal(rules.priceMin)}`;
  }
  if (rules.priceMax !== undefined && compare(value, rules.priceMax) > 0) {
    return `above PRICE_MAX ${formatDecimal(rules.priceMax)}`;
  }
  return undefined;
}

/** The trust of one symbol as `/status` shows it. */
export interface TrustStatus {
  readonly trusted: boolean;
  /** The last round's reason when it was not trusted. */
  readonly reason?: UntrustedReason;
  readonly message?: string;
  /** The last accepted price. */
  readonly reference?: string;
}

/** Every symbol's trust, with its state between rounds: shared by the chains of a runner. */
export interface PriceTrust {
  /** A round of `symbol` judged, and its state kept. */
  judge(symbol: string, observations: readonly Observation[]): TrustVerdict;
  /** The verdict a round would get, without keeping anything. */
  peek(symbol: string, observations: readonly Observation[]): TrustVerdict;
  /** No fresh reference: every source should be asked, for a second one to agree. */
  needsFirstPrice(symbol: string): boolean;
  rules(symbol: string): TrustRules;
  reference(symbol: string): string | undefined;
  status(symbol: string): TrustStatus;
  /** Forgets a symbol's (or every) reference: its next price is a first price again. */
  reset(symbol?: string): void;
}

export function createPriceTrust(
  options: TrustOptions | ((symbol: string) => TrustOptions) = {},
  clock: Clock = systemClock,
): PriceTrust {
  const parsed = new Map<string, TrustRules>();
  const shared = typeof options === "function" ? undefined : parseTrustRules(options);
  const rulesOf = (symbol: string): TrustRules => {
    if (shared) return shared;
    let rules = parsed.get(symbol);
    if (!rules) {
      rules = parseTrustRules((options as (symbol: string) => TrustOptions)(symbol));
      parsed.set(symbol, rules);
    }
    return rules;
  };
  const states = new Map<string, TrustState>();
  const last = new Map<string, TrustVerdict>();
  return {
    judge(symbol, observations) {
      const round = judgeRound(
        states.get(symbol) ?? {},
        observations,
        clock.now(),
        rulesOf(symbol),
      );
      states.set(symbol, round.state);
      last.set(symbol, round.verdict);
      return round.verdict;
    },
    peek: (symbol, observations) =>
      judgeRound(states.get(symbol) ?? {}, observations, clock.now(), rulesOf(symbol)).verdict,
    needsFirstPrice: (symbol) =>
      needsFirstPrice(states.get(symbol) ?? {}, clock.now(), rulesOf(symbol)),
    rules: rulesOf,
    reference: (symbol) => states.get(symbol)?.reference?.price,
    status(symbol) {
      const verdict = last.get(symbol);
      const reference = states.get(symbol)?.reference?.price;
      const base = reference === undefined ? {} : { reference };
      if (verdict === undefined || verdict.trusted)
        return { trusted: verdict !== undefined, ...base };
      return { trusted: false, reason: verdict.reason, message: verdict.message, ...base };
    },
    reset(symbol) {
      if (symbol === undefined) {
        states.clear();
        last.clear();
      } else {
        states.delete(symbol);
        last.delete(symbol);
      }
    },
  };
}
