import type { PriceError, PriceTick } from "@matchingo-mm/core";
import type { TrustedHow, UntrustedReason } from "./trust.ts";

/** What a failover chain reports, through `onEvent`; it never prints. */
export type ChainEvent =
  /** A source failed; it is left alone for `retryInMs` and then probed again. */
  | {
      readonly type: "source-failed";
      readonly source: string;
      /** Set when the failure concerns one symbol only (unknown, bad price, stale, jump). */
      readonly symbol?: string;
      readonly error: PriceError;
      /** Consecutive failures so far; the back-off grows with it. */
      readonly failures: number;
      readonly retryInMs: number;
    }
  /** A source that had failed answered again. */
  | {
      readonly type: "source-recovered";
      readonly source: string;
      readonly symbol?: string;
      /** How long since its first failure in that run. */
      readonly downMs: number;
    }
  /** A symbol is now answered by a source further down the chain than before. */
  | {
      readonly type: "failover";
      readonly symbol: string;
      readonly from: string;
      readonly to: string;
    }
  /** A symbol is answered again by a source higher up the chain (the preferred one). */
  | {
      readonly type: "failback";
      readonly symbol: string;
      readonly from: string;
      readonly to: string;
    }
  /** A jump beyond the guard, accepted because a second source confirmed the new level. */
  | {
      readonly type: "jump-confirmed";
      readonly symbol: string;
      readonly tick: PriceTick;
      readonly lastPrice: string;
      readonly confirmedBy: string;
      readonly confirmingPrice: string;
    }
  /** A jump beyond the guard that no other source confirmed: the tick is not used. */
  | {
      readonly type: "jump-rejected";
      readonly symbol: string;
      readonly tick: PriceTick;
      readonly lastPrice: string;
      readonly error: PriceError;
    }
  /** A first price (or a jump, by time) earned trust: quoting may start on it. */
  | {
      readonly type: "price-trusted";
      readonly symbol: string;
      readonly tick: PriceTick;
      readonly how: Exclude<TrustedHow, "reference" | "jump-confirmed">;
      readonly confirmedBy: readonly string[];
      readonly from?: string;
    }
  /** The round's price is not trusted (yet): nothing may be quoted on it. */
  | {
      readonly type: "price-untrusted";
      readonly symbol: string;
      readonly reason: UntrustedReason;
      readonly message: string;
      readonly tick: PriceTick;
      readonly error: PriceError;
    }
  /** No source gave a usable price for the symbol this round. */
  | {
      readonly type: "all-sources-failed";
      readonly symbol: string;
      readonly error: PriceError;
    };

export type ChainEventListener = (event: ChainEvent) => void;
